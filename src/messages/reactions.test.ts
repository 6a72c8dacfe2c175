// Reactions through the API, the page and the hub.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let fan: TestAccount;
let msgId: string;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Reactors");
  fan = await createAccount(app, { displayName: "Fan" });
  await g.join(fan);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  msgId = (await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "react to me" }, g.owner.bearer))).id;
});
afterAll(() => app.close());

const path = (emoji: string) => `/channels/${g.generalId}/messages/${msgId}/reactions/${encodeURIComponent(emoji)}`;
type Msg = { reactions?: { emoji: { name: string }; count: number; me: boolean }[] };

describe("reactions", () => {
  test("adding and removing a reaction updates counts and who reacted; repeats change nothing", async () => {
    expect((await api(app, "PUT", `${path("👍")}/@me`, undefined, fan.bearer)).status).toBe(204);
    expect((await api(app, "PUT", `${path("👍")}/@me`, undefined, fan.bearer)).status).toBe(204);
    expect((await api(app, "PUT", `${path("👍")}/@me`, undefined, g.owner.bearer)).status).toBe(204);
    const msg = await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${msgId}`, undefined, fan.bearer));
    expect(msg.reactions).toEqual([{ emoji: { id: null, name: "👍" } as never, count: 2, me: true }]);
    const who = await json<{ id: string }[]>(await api(app, "GET", path("👍"), undefined, fan.bearer));
    expect(who.map((u) => u.id).sort()).toEqual([fan.user.id, g.owner.user.id].sort());
    expect((await api(app, "DELETE", `${path("👍")}/@me`, undefined, fan.bearer)).status).toBe(204);
    const after = await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${msgId}`, undefined, fan.bearer));
    expect(after.reactions).toEqual([{ emoji: { id: null, name: "👍" } as never, count: 1, me: false }]);
  });

  test("only emoji are accepted", async () => {
    for (const bad of ["abc", "<script>", " ", "👍 👍", "x".repeat(200), "%E0%A4%A"]) {
      expect((await api(app, "PUT", `/channels/${g.generalId}/messages/${msgId}/reactions/${bad.startsWith("%") ? bad : encodeURIComponent(bad)}/@me`, undefined, fan.bearer)).status).toBe(400);
    }
    expect((await api(app, "PUT", `${path("🇫🇷")}/@me`, undefined, fan.bearer)).status).toBe(204);
    // A custom emoji must exist and be usable here (emoji/content.ts); emoji.test.ts covers the usable ones.
    expect((await api(app, "PUT", `${path("party:123456")}/@me`, undefined, fan.bearer)).status).toBe(400);
  });

  test("a new emoji needs ADD_REACTIONS, joining an existing one does not; at most 20 different", async () => {
    await api(app, "PUT", `${path("🎉")}/@me`, undefined, g.owner.bearer);
    await api(app, "PATCH", `/guilds/${g.guildId}/roles/${g.guildId}`, { permissions: ((1n << 10n) | (1n << 16n) | (1n << 11n)).toString() }, g.owner.bearer);
    expect((await api(app, "PUT", `${path("🎉")}/@me`, undefined, fan.bearer)).status).toBe(204);
    expect((await api(app, "PUT", `${path("😮")}/@me`, undefined, fan.bearer)).status).toBe(403);
    const many = ["😀", "😃", "😄", "😁", "😆", "😅", "🤣", "😊", "😇", "🙂", "🙃", "😉", "😌", "😍", "🥰", "😘", "😗", "😙", "😚", "😋"];
    const statuses: number[] = [];
    for (const e of many) statuses.push((await api(app, "PUT", `${path(e)}/@me`, undefined, g.owner.bearer)).status);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(0);
    expect(statuses.indexOf(400)).toBeGreaterThan(10);
  });

  test("the page shows chips with who reacted, the toggle form works, and subscribers get the update live", async () => {
    const local = await createGuildFixture(app, "Chips");
    const id = (await json<{ id: string }>(await api(app, "POST", `/channels/${local.generalId}/messages`, { content: "chip me" }, local.owner.bearer))).id;
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws?channel=${local.generalId}`, { headers: { Cookie: local.owner.cookie, Origin: app.url } } as never);
    const frames: string[] = [];
    ws.onmessage = (e) => frames.push(String(e.data));
    await new Promise((resolve) => (ws.onopen = resolve));
    const res = await postForm(app, `/channels/${local.generalId}/messages/${id}/reactions`, { emoji: "❤️" }, local.owner.cookie);
    expect(res.status).toBe(303);
    await Bun.sleep(50);
    expect(frames.some((f) => f.includes(`hx-target="#m-${id}"`) && f.includes(`data-reactors="${local.owner.user.id}"`))).toBe(true);
    const html = await (await app.fetch(`/channels/${local.guildId}/${local.generalId}`, { headers: { Cookie: local.owner.cookie } })).text();
    expect(html).toContain(`data-reactors="${local.owner.user.id}"`);
    await postForm(app, `/channels/${local.generalId}/messages/${id}/reactions`, { emoji: "❤️" }, local.owner.cookie);
    const after = await (await app.fetch(`/channels/${local.guildId}/${local.generalId}`, { headers: { Cookie: local.owner.cookie } })).text();
    expect(after).not.toContain(`data-reactors="${local.owner.user.id}"`);
    ws.close();
  });
});
