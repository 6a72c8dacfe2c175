// allowed_mentions and the mention highlight: a message keeps the mention's text, but only the
// people the send actually notified are in data-mentions (the per-user stylesheet highlights
// those) and in the API's `mentions`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bob: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Quiet Pings");
  alice = await createAccount(app, { displayName: "Alice" });
  bob = await createAccount(app, { displayName: "Bob" });
  await g.join(alice);
  await g.join(bob);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const mentionsAttr = async (id: string) => {
  const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: alice.cookie } })).text();
  const tag = page.slice(page.indexOf(`id="m-${id}"`) - 400, page.indexOf(`id="m-${id}"`) + 400);
  return /data-mentions="([^"]*)"/.exec(tag.slice(tag.lastIndexOf("<article")))?.[1] ?? null;
};

describe("mention highlight", () => {
  test("a mention suppressed by allowed_mentions is shown as text but not highlighted, not counted and not in mentions", async () => {
    const text = `<@${alice.user.id}> and <@${bob.user.id}>`;
    const quiet = await json<{ id: string; mentions: { id: string }[]; content: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: text, allowed_mentions: { users: [bob.user.id] } }, g.owner.bearer));
    expect(quiet.content).toBe(text);
    expect(quiet.mentions.map((u) => u.id)).toEqual([bob.user.id]);
    expect(await mentionsAttr(quiet.id)).toBe(bob.user.id);
    const none = await json<{ id: string; mentions: unknown[] }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: text, allowed_mentions: { parse: [] } }, g.owner.bearer));
    expect(none.mentions).toEqual([]);
    expect(await mentionsAttr(none.id)).toBeNull();
    const loud = await json<{ id: string; mentions: { id: string }[] }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: text }, g.owner.bearer));
    expect(loud.mentions.map((u) => u.id).sort()).toEqual([alice.user.id, bob.user.id].sort());
    expect((await mentionsAttr(loud.id))?.split(" ").sort()).toEqual([alice.user.id, bob.user.id].sort());
    // The page's message list still shows the suppressed mention as a mention.
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: alice.cookie } })).text();
    const article = page.slice(page.indexOf(`id="m-${none.id}"`));
    expect(article.slice(0, article.indexOf("</article>"))).toContain(`data-user-id="${alice.user.id}"`);
  });
});
