// The channel tools in the browser, through the real app: who sees them in the channel header,
// the one-click lock and unlock, "delete the last N" and deleting picked messages (the form route
// js/moderation-select.js posts to), each permission-checked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";
import { snowflakeAt } from "../db/snowflake.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Tools");
  member = await createAccount(app, { username: "plain_member" });
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const page = async (who: TestAccount, channel = g.generalId) => (await app.fetch(`/channels/${g.guildId}/${channel}`, { headers: { Cookie: who.cookie } })).text();
const send = async (who: TestAccount, content: string, channel = g.generalId) => json<{ id: string }>(await api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer));
const ids = async (channel = g.generalId) => (await json<{ id: string; content: string }[]>(await api(app, "GET", `/channels/${channel}/messages?limit=100`, undefined, g.owner.bearer))).map((m) => m.content);
const newChannel = async (name: string) => (await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name }, g.owner.bearer))).id;

describe("channel tools", () => {
  test("the header offers lock, selection and 'delete the last' to those who may, and nothing to a member", async () => {
    const owner = await page(g.owner);
    expect(owner).toContain(`action="/channels/${g.generalId}/moderation/lock"`);
    expect(owner).toContain("Lock channel");
    expect(owner).toContain("data-select-messages");
    expect(owner).toContain(`action="/channels/${g.generalId}/moderation/purge"`);
    expect(owner).toContain("/static/js/moderation-select.js");
    const plain = await page(member);
    expect(plain).not.toContain("channel-tools");
    expect(plain).not.toContain("moderation-select.js");
  });

  test("one click locks the channel (members cannot send, the button says Unlock) and one click unlocks it; a member's click is refused", async () => {
    const channel = await newChannel("lockable");
    expect((await postForm(app, `/channels/${channel}/moderation/lock`, {}, member.cookie)).status).toBe(403);
    const locked = await postForm(app, `/channels/${channel}/moderation/lock`, {}, g.owner.cookie);
    expect(locked.status).toBe(303);
    expect(locked.headers.get("Location")).toBe(`/channels/${g.guildId}/${channel}`);
    expect((await api(app, "POST", `/channels/${channel}/messages`, { content: "hello?" }, member.bearer)).status).toBe(403);
    const shown = await page(g.owner, channel);
    expect(shown).toContain(`action="/channels/${channel}/moderation/unlock"`);
    expect(shown).toContain("Unlock channel");
    expect((await postForm(app, `/channels/${channel}/moderation/unlock`, {}, g.owner.cookie)).status).toBe(303);
    expect((await api(app, "POST", `/channels/${channel}/messages`, { content: "hello!" }, member.bearer)).status).toBe(200);
    expect(await page(g.owner, channel)).toContain("Lock channel");
  });

  test("'delete the last N' deletes the newest N messages of the channel; a member is refused and bad numbers delete nothing", async () => {
    const channel = await newChannel("purgeable");
    for (const n of [1, 2, 3, 4, 5]) await send(member, `message ${n}`, channel);
    expect((await postForm(app, `/channels/${channel}/moderation/purge`, { limit: "2" }, member.cookie)).status).toBe(403);
    for (const bad of ["0", "101", "two"]) expect((await postForm(app, `/channels/${channel}/moderation/purge`, { limit: bad }, g.owner.cookie)).status).toBe(400);
    expect((await ids(channel)).length).toBe(5);
    expect((await postForm(app, `/channels/${channel}/moderation/purge`, { limit: "3" }, g.owner.cookie)).status).toBe(303);
    expect((await ids(channel)).sort()).toEqual(["message 1", "message 2"]);
  });

  test("deleting picked messages: one or several go, a message of another channel or older than 14 days deletes nothing, and a member is refused", async () => {
    const channel = await newChannel("pickable");
    const [a, b, c] = [await send(member, "pick a", channel), await send(member, "pick b", channel), await send(member, "keep c", channel)];
    const elsewhere = await send(member, "elsewhere");
    const post = (who: TestAccount, messages: string[]) => app.fetch(`/channels/${channel}/moderation/bulk-delete`, { method: "POST", headers: { Origin: app.url, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded", Cookie: who.cookie }, body: new URLSearchParams(messages.map((m) => ["messages", m])) });
    expect((await post(member, [a.id, b.id])).status).toBe(403);
    const foreign = await post(g.owner, [a.id, elsewhere.id]);
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { message: string }).message).toContain("not in this channel");
    const old = await post(g.owner, [a.id, (snowflakeAt(new Date(Date.now() - 15 * 86_400_000)) + 1n).toString()]);
    expect(old.status).toBe(400);
    expect(((await old.json()) as { message: string }).message).toContain("14 days");
    expect((await ids(channel)).length).toBe(3);
    const two = await post(g.owner, [a.id, b.id]);
    expect(two.status).toBe(200);
    expect(await two.json()).toEqual({ deleted: 2 });
    expect(await ids(channel)).toEqual(["keep c"]);
    expect(await (await post(g.owner, [c.id])).json()).toEqual({ deleted: 1 });
    expect(await ids(channel)).toEqual([]);
  });
});
