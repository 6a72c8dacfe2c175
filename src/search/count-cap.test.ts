// Counting stops at the last result a page can show: a word in very many messages answers fast,
// and the page says "more than" instead of an exact number.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { ids } from "../db/snowflake.ts";
import { COUNT_CAP } from "./service.ts";

let app: TestApp;
let g: GuildFixture;
beforeAll(async () => {
  app = await createTestApp();
  await writeSetting(app.server.queue, "search_rate_limit", 0);
  g = await createGuildFixture(app, "Vergers");
  // Written straight into the table (the index triggers still run): 10,000 sends through HTTP would take a minute.
  await app.server.queue.write(({ sqlite }) => {
    const insert = sqlite.prepare("INSERT INTO messages (id, channel_id, author_id, content) VALUES (?, ?, ?, ?)");
    for (let i = 0; i < COUNT_CAP + 30; i++) insert.run(ids.next(), BigInt(g.generalId), BigInt(g.owner.user.id), `une pomme de plus ${i}`);
  });
});
afterAll(() => app.close());

test("a search matching more messages than can be paged reports the cap, and the page says 'more than'", async () => {
  const res = await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=pomme`, undefined, g.owner.bearer);
  const answer = await json<{ total_results: number; messages: unknown[][] }>(res);
  expect(answer.total_results).toBe(COUNT_CAP);
  expect(answer.messages.length).toBe(25);
  const page = await (await app.fetch(`/search?scope=${g.guildId}&q=pomme`, { headers: { Cookie: g.owner.cookie } })).text();
  expect(page).toContain(`More than ${COUNT_CAP.toLocaleString("en")} results`);
  const exact = await json<{ total_results: number }>(await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=pomme&content=9`, undefined, g.owner.bearer));
  expect(exact.total_results).toBeLessThan(COUNT_CAP);
});
