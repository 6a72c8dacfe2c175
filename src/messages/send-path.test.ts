// The send path runs on prepared statements (service.ts, render.ts, reactions.ts): what they store
// and return must be what the plain queries did.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Prepared");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Msg = { id: string; type: number; content: string; author: { id: string }; nonce?: string; message_reference?: { message_id: string }; reactions?: unknown[] };

test("a plain message is stored with no reply and no nonce; a reply keeps its original", async () => {
  const plain = await json<Msg>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "plain words" }, member.bearer));
  const row = app.server.db.reader.query<{ reply_to_id: bigint | null; nonce: string | null; mentions_everyone: bigint }, [bigint]>("SELECT reply_to_id, nonce, mentions_everyone FROM messages WHERE id = ?").get(BigInt(plain.id));
  expect(row).toEqual({ reply_to_id: null, nonce: null, mentions_everyone: 0n });
  expect(plain.type).toBe(0);
  expect(plain.message_reference).toBeUndefined();
  const reply = await json<Msg>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "a reply", nonce: "r1", message_reference: { message_id: plain.id } }, g.owner.bearer));
  expect(reply.type).toBe(19);
  expect(reply.message_reference?.message_id).toBe(plain.id);
  expect(reply.nonce).toBe("r1");
  expect(reply.author.id).toBe(g.owner.user.id);
  const history = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=2`, undefined, member.bearer));
  expect(history.map((m) => [m.id, m.message_reference?.message_id ?? null])).toEqual([
    [reply.id, plain.id],
    [plain.id, null],
  ]);
});
