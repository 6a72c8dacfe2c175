// Moderation reaches voice: a timeout takes CONNECT away, so a timed-out member is dropped from
// the call at once and refused when joining; a banned member is dropped at once too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { until, VoiceClient } from "../testing/voice-client.ts";
import { voiceOf } from "../voice/service.ts";

let app: TestApp;
let g: GuildFixture;
let voiceId: string;
const clients: VoiceClient[] = [];
const LOOPBACK = { ports: null, listenIp: "127.0.0.1", publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null };

beforeAll(async () => {
  app = await createTestApp({ voice: LOOPBACK });
  g = await createGuildFixture(app);
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, g.owner.bearer));
  voiceId = channels.find((c) => c.type === 2)!.id;
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await app.close();
});

async function inVoice(): Promise<{ acct: TestAccount; client: VoiceClient }> {
  const acct = await createAccount(app);
  await g.join(acct);
  const client = await VoiceClient.open(app, acct);
  clients.push(client);
  expect(await client.join(voiceId)).toMatchObject({ v: "joined" });
  return { acct, client };
}
const inCall = (userId: string) => voiceOf(app.server.core).states.ofUser(userId) !== undefined;

describe("moderation and voice", () => {
  test("a member timed out during a call is dropped at once and cannot join again until the timeout is removed", async () => {
    const { acct, client } = await inVoice();
    const until10min = new Date(Date.now() + 600_000).toISOString();
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${acct.user.id}`, { communication_disabled_until: until10min }, g.owner.bearer)).status).toBe(200);
    expect(await client.waitFor((f) => f.v === "left")).toMatchObject({ reason: "access changed" });
    expect(inCall(acct.user.id)).toBe(false);
    expect(await client.join(voiceId)).toMatchObject({ v: "error", code: "forbidden" });
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${acct.user.id}`, { communication_disabled_until: null }, g.owner.bearer)).status).toBe(200);
    expect(await client.join(voiceId)).toMatchObject({ v: "joined" });
  }, 20000);

  test("a banned member is dropped from voice at once", async () => {
    const { acct, client } = await inVoice();
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${acct.user.id}`, {}, g.owner.bearer)).status).toBe(204);
    expect(await client.waitFor((f) => f.v === "left")).toMatchObject({ reason: "access changed" });
    await until(() => !inCall(acct.user.id), 5000);
  }, 20000);
});
