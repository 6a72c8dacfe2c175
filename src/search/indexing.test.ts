// Messages are indexed for search once per group commit (migration 0019, indexing.ts), not once
// per message: searchable from the commit that stores them, edits and deletions followed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let friend: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  await writeSetting(app.server.queue, "search_rate_limit", 0);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  g = await createGuildFixture(app, "Index");
  friend = await createAccount(app, { displayName: "Friend" });
  await g.join(friend);
});
afterAll(() => app.close());

const pending = () => Number(app.server.db.reader.query<{ n: bigint }, []>("SELECT count(*) AS n FROM message_search_pending").get()!.n);
const found = async (words: string) => (await json<{ total_results: number }>(await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=${encodeURIComponent(words)}`, undefined, g.owner.bearer))).total_results;

test("messages sent together are all searchable as soon as their sends are answered, and nothing is left waiting", async () => {
  const commits = app.server.queue.stats.commits;
  const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => api(app, "POST", `/channels/${g.generalId}/messages`, { content: `ensemble numéro${i}` }, g.owner.bearer)));
  expect(sent.every((r) => r.status === 200)).toBe(true);
  expect(app.server.queue.stats.commits - commits).toBeLessThan(20);
  expect(await found("ensemble")).toBe(20);
  expect(await found("numero7")).toBe(1);
  expect(pending()).toBe(0);
});

test("an edit is searchable by its new words only, a mention by the mentioned person, and a deleted message is gone", async () => {
  const m = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `ancienne phrase <@${friend.user.id}>` }, g.owner.bearer));
  expect(await found("ancienne")).toBe(1);
  const mentions = await json<{ total_results: number }>(await api(app, "GET", `/guilds/${g.guildId}/messages/search?mentions=${friend.user.id}`, undefined, g.owner.bearer));
  expect(mentions.total_results).toBe(1);
  expect((await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "nouvelle phrase" }, g.owner.bearer)).status).toBe(200);
  expect(await found("ancienne")).toBe(0);
  expect(await found("nouvelle")).toBe(1);
  expect((await api(app, "DELETE", `/channels/${g.generalId}/messages/${m.id}`, undefined, g.owner.bearer)).status).toBe(204);
  expect(await found("nouvelle")).toBe(0);
  expect(pending()).toBe(0);
});
