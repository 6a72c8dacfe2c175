// Participants whose DTLS fails: the SFU removes one whose DTLS never comes up although its ICE
// consent checks keep arriving (it would sit in the room unheard), without disturbing anyone
// else; and the test/bench client survives the repeated HelloVerifyRequest that failed werift
// clients during the voice bench's join storms.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../testing/app.ts";
import { api } from "../testing/accounts.ts";
import { json, type GuildFixture } from "../testing/guilds.ts";
import { until, type VoiceClient } from "../testing/voice-client.ts";
import { openVoiceFixture, type VoiceFixture } from "../testing/voice-fixture.ts";
import { closeDtls, type DtlsFault } from "../testing/dtls-client.ts";
import { voiceOf } from "./service.ts";

let f: VoiceFixture;
let app: TestApp;
let g: GuildFixture;
let voiceId: string;

beforeAll(async () => {
  f = await openVoiceFixture();
  ({ app, guild: g, voiceId } = f);
});
afterAll(async () => {
  await f.close();
});

async function joined(channel: string, fault: DtlsFault = "none"): Promise<VoiceClient> {
  const c = await f.client(await f.member());
  c.peer.dtlsFault = fault;
  expect((await c.join(channel)).v).toBe("joined");
  return c;
}

/** Every client sends `n` loud mic packets; then each must have received them all from every other. */
async function everyoneHearsEveryone(cs: VoiceClient[], n = 30): Promise<void> {
  const before = cs.map((to) => cs.map((from) => to.peer.count(from.account.user.id).packets));
  for (let i = 0; i < n; i++) {
    for (const c of cs) c.peer.send("mic");
    await Bun.sleep(10);
  }
  await Bun.sleep(600);
  const missing: string[] = [];
  cs.forEach((to, i) =>
    cs.forEach((from, j) => {
      if (to === from) return;
      const got = to.peer.count(from.account.user.id).packets - before[i]![j]!;
      if (got < n) missing.push(`${i} got ${got}/${n} from ${j}`);
    }),
  );
  expect(missing).toEqual([]);
}

const connected = (cs: VoiceClient[]) => until(() => cs.every((c) => c.peer.connected), 15000);

test("a participant whose DTLS never starts while its ICE stays alive is removed within 10 s; everyone is told and both rooms keep hearing each other", async () => {
  const otherRoom = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "other", type: 2 }, g.owner.bearer));
  const a = await joined(voiceId);
  const b = await joined(voiceId);
  const d = await joined(otherRoom.id);
  const e = await joined(otherRoom.id);
  await connected([a, b, d, e]);
  // A gateway client of another member watches the voice states.
  const gw = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const events: { t: string; d: Record<string, unknown> }[] = [];
  gw.onmessage = (m) => {
    const f = JSON.parse(String(m.data));
    if (f.op === 0) events.push(f);
  };
  await new Promise((r) => (gw.onopen = r));
  gw.send(JSON.stringify({ op: 2, d: { token: a.account.token } }));
  await until(() => events.some((ev) => ev.t === "READY"));

  const c = await joined(voiceId, "never");
  await until(() => c.peer.pc.iceConnectionState === "connected", 10000);
  const iceUp = Date.now();
  // Its ICE consent checks keep arriving: before, the SFU kept it for good.
  const left = await c.waitFor((f) => f.v === "left", 14000);
  expect(Date.now() - iceUp).toBeLessThan(10000);
  expect(String(left.reason)).toMatch(/^connection failed: DTLS/);
  expect(c.peer.pc.iceConnectionState).toBe("connected");
  await until(() => events.some((ev) => ev.t === "VOICE_STATE_UPDATE" && ev.d.user_id === c.account.user.id && ev.d.channel_id === null));
  gw.close();
  await until(async () => (await voiceOf(app.server.core).sfu.stats()).peers === 4);
  await everyoneHearsEveryone([a, b]);
  await everyoneHearsEveryone([d, e]);
  for (const x of [a, b, d, e]) x.send({ v: "leave" });
  await until(async () => (await voiceOf(app.server.core).sfu.stats()).peers === 0);
}, 45000);

test("a participant whose DTLS session is closed while its ICE stays alive is removed within seconds, and the others keep hearing each other", async () => {
  const a = await joined(voiceId);
  const b = await joined(voiceId);
  const c = await joined(voiceId);
  await connected([a, b, c]);
  await everyoneHearsEveryone([a, b, c]);
  await closeDtls(c.peer.pc);
  const closed = Date.now();
  const left = await c.waitFor((f) => f.v === "left", 12000);
  expect(Date.now() - closed).toBeLessThan(3000);
  expect(String(left.reason)).toBe("connection failed: DTLS closed");
  await until(async () => (await voiceOf(app.server.core).sfu.stats()).peers === 2);
  await everyoneHearsEveryone([a, b]);
  for (const x of [a, b]) x.send({ v: "leave" });
  await until(async () => (await voiceOf(app.server.core).sfu.stats()).peers === 0);
}, 40000);

test("eight participants joining at once all hear each other, some of them seeing the SFU's HelloVerifyRequest twice", async () => {
  // A second HelloVerifyRequest is what a werift client gets when it retransmitted its
  // ClientHello while the SFU thread was busy (a join storm); werift's client then failed its
  // DTLS and the voice bench had publishers heard by nobody.
  const cs = await Promise.all(Array.from({ length: 8 }, (_, i) => joined(voiceId, i % 3 === 0 ? "repeatHelloVerify" : "none")));
  await connected(cs);
  // Everyone has a downlink for everyone else once the renegotiations settled.
  await until(() => cs.every((c) => c.peer.pc.getTransceivers().filter((t) => t.direction === "recvonly").length >= 7), 20000);
  await Bun.sleep(500);
  await everyoneHearsEveryone(cs);
  for (const c of cs) c.send({ v: "leave" });
  await until(async () => (await voiceOf(app.server.core).sfu.stats()).peers === 0);
}, 60000);
