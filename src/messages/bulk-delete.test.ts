// POST /channels/{id}/messages/bulk-delete through the real API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { snowflakeAt } from "../db/snowflake.ts";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Bulk");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const send = async (content: string, who = member) => (await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content }, who.bearer))).id;
const exists = async (id: string) => (await api(app, "GET", `/channels/${g.generalId}/messages/${id}`, undefined, g.owner.bearer)).status === 200;
const bulk = (body: unknown, who = g.owner) => api(app, "POST", `/channels/${g.generalId}/messages/bulk-delete`, body, who.bearer);

describe("bulk delete", () => {
  test("a moderator deletes several messages at once; others are untouched", async () => {
    const ids = [await send("one"), await send("two"), await send("three")];
    const keep = await send("keep me");
    expect((await bulk({ messages: ids })).status).toBe(204);
    for (const id of ids) expect(await exists(id)).toBe(false);
    expect(await exists(keep)).toBe(true);
  });

  test("without MANAGE_MESSAGES it is 403; a bad list is a 400 that deletes nothing", async () => {
    const ids = [await send("a"), await send("b")];
    expect((await bulk({ messages: ids }, member)).status).toBe(403);
    const other = await createGuildFixture(app, "Other");
    const foreign = (await json<{ id: string }>(await api(app, "POST", `/channels/${other.generalId}/messages`, { content: "elsewhere" }, other.owner.bearer))).id;
    const old = snowflakeAt(new Date(Date.now() - 15 * 24 * 3600 * 1000)).toString();
    for (const body of [{ messages: [ids[0]] }, { messages: Array.from({ length: 101 }, () => ids[0]) }, { messages: [...ids, foreign] }, { messages: [...ids, old] }, { messages: [ids[0], 5] }, { messages: "all" }, {}]) {
      expect((await bulk(body)).status).toBe(400);
    }
    for (const id of ids) expect(await exists(id)).toBe(true);
  });
});
