// Renegotiation while people come and go: every publisher must reach every other participant
// whatever the order of joins, leaves and answers (the voice bench once lost whole publishers
// after the same users left and rejoined a room).
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestAccount } from "../testing/accounts.ts";
import { until, type Frame, type VoiceClient } from "../testing/voice-client.ts";
import { openVoiceFixture, type VoiceFixture } from "../testing/voice-fixture.ts";
import { voiceOf } from "./service.ts";

let f: VoiceFixture;

beforeAll(async () => {
  f = await openVoiceFixture();
});
afterAll(async () => {
  await f.close();
});

const member = () => f.member();

async function joined(acct: TestAccount): Promise<VoiceClient> {
  const c = await f.client(acct);
  c.send({ v: "join", channel: f.voiceId });
  return c;
}

test("a downlink dropped before it was ever negotiated, reused for a newcomer while another newcomer gets a new m-line, still carries the newcomer", async () => {
  const [ua, ub, uc, ud] = [await member(), await member(), await member(), await member()];
  const a = await joined(ua);
  await until(() => a.peer.connected, 10000);
  // From here A answers by hand, so the SFU's offers to A wait while the room changes.
  a.answering = false;
  const offers = () => a.frames.filter((f) => f.v === "offer");
  const answer = async (k: number) => {
    await until(() => offers().length > k, 10000);
    a.send({ v: "answer", sdp: await a.peer.answer(offers()[k] as Frame as never) });
  };
  const seen = offers().length;
  // B joins (A gets a downlink for B, offered) and leaves before A answered: that m-line goes
  // to A's spares never having been negotiated as sending.
  const b = await joined(ub);
  await until(() => offers().length > seen);
  b.send({ v: "leave" });
  await b.waitFor((f) => f.v === "left");
  await Bun.sleep(100);
  await answer(seen);
  await answer(seen + 1); // the offer with B's m-line inactive
  await Bun.sleep(200);
  // C's downlink takes the spare; D's, before A answered, is a new m-line.
  const c = await joined(uc);
  await until(() => offers().length > seen + 2);
  const d = await joined(ud);
  await Bun.sleep(300);
  a.answering = true;
  await answer(seen + 2);
  await until(() => c.peer.connected && d.peer.connected, 10000);
  await Bun.sleep(1000);
  for (let i = 0; i < 30; i++) {
    c.peer.send("mic");
    d.peer.send("mic");
    await Bun.sleep(10);
  }
  await Bun.sleep(500);
  // Before the fix, werift replaced C's reused m-line with D's new one: A got nothing from C
  // (its packets went out on a transceiver no longer in A's connection, under D's mid).
  const heard = (from: TestAccount) => ({ packets: a.peer.count(from.user.id).packets, gaps: a.peer.count(from.user.id).gaps });
  expect({ c: heard(uc), d: heard(ud) }).toEqual({ c: { packets: 30, gaps: 0 }, d: { packets: 30, gaps: 0 } });
  // The SFU's per-publisher uplink count (the voice bench reads it for publishers heard by nobody).
  const s = await voiceOf(f.app.server.core).sfu.stats();
  expect({ c: s.uplinkByUser[uc.user.id], d: s.uplinkByUser[ud.user.id] }).toEqual({ c: 30, d: 30 });
}, 60000);
