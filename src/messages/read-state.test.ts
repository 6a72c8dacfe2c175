// Unread channels and mention counts: who is mentioned, when a channel counts as read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let reader: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Readers");
  reader = await createAccount(app, { displayName: "Reader" });
  await g.join(reader);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const page = async (path: string, who: TestAccount) => (await app.fetch(path, { headers: { Cookie: who.cookie } })).text();

describe("read state", () => {
  test("a channel with new messages is unread until it is opened; mentions show as badges on the channel and the rail", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "news", type: 0 }, g.owner.bearer));
    await api(app, "POST", `/channels/${other.id}/messages`, { content: "plain news" }, g.owner.bearer);
    await api(app, "POST", `/channels/${other.id}/messages`, { content: `hey <@${reader.user.id}>` }, g.owner.bearer);
    await api(app, "POST", `/channels/${other.id}/messages`, { content: `again <@${reader.user.id}> and <@${g.owner.user.id}>` }, g.owner.bearer);
    const general = await page(`/channels/${g.guildId}/${g.generalId}`, reader);
    expect(general).toContain(`<i id="unread-${other.id}" class="unread-flag on">`);
    expect(general).toContain('aria-label="2 mentions">2</span>');
    expect(general).toContain(`<span id="rail-mentions-${g.guildId}" class="rail-badge">2</span>`);
    // The author is not mentioned by their own message.
    expect(await page(`/channels/${g.guildId}/${g.generalId}`, g.owner)).not.toContain('aria-label="1 mentions"');
    // Opening the channel reads it.
    await page(`/channels/${g.guildId}/${other.id}`, reader);
    const after = await page(`/channels/${g.guildId}/${g.generalId}`, reader);
    expect(after).toContain(`<i id="unread-${other.id}" class="unread-flag">`);
    expect(after).toContain(`<span id="rail-mentions-${g.guildId}" class="rail-badge" hidden=""></span>`);
  });

  test("the open tab acknowledges live messages, and a read marker never moves backwards", async () => {
    const first = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "one" }, g.owner.bearer));
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "two" }, g.owner.bearer);
    expect((await postForm(app, `/channels/${g.generalId}/ack`, {}, reader.cookie)).status).toBe(204);
    expect((await postForm(app, `/channels/${g.generalId}/ack`, { message_id: first.id }, reader.cookie)).status).toBe(204);
    const other = await page(`/channels/${g.guildId}/${g.generalId}`, reader);
    expect(other).not.toContain(`<i id="unread-${g.generalId}" class="unread-flag on">`);
    const outsider = await createAccount(app);
    expect((await postForm(app, `/channels/${g.generalId}/ack`, {}, outsider.cookie)).status).toBe(404);
  });

  test("every message in a DM counts as a mention for the other person until they open it", async () => {
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: reader.user.id }, g.owner.bearer));
    await api(app, "POST", `/channels/${dm.id}/messages`, { content: "psst" }, g.owner.bearer);
    await api(app, "POST", `/channels/${dm.id}/messages`, { content: "psst again" }, g.owner.bearer);
    const home = await page("/", reader);
    expect(home).toContain('aria-label="2 mentions">2</span>');
    await page(`/channels/@me/${dm.id}`, reader);
    expect(await page("/", reader)).not.toContain('aria-label="2 mentions"');
  });
});
