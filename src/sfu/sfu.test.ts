import { afterAll, expect, test } from "bun:test";
import { WorkerSfu } from "./worker-sfu.ts";
import type { SfuEvent } from "./sfu.ts";
import { VoicePeer } from "../testing/voice-peer.ts";

const sfu = new WorkerSfu({ portRange: null, listenIp: "127.0.0.1", announcedIp: null, ipv6: false });
const peers = new Map<string, VoicePeer>();
const events: SfuEvent[] = [];
sfu.onEvent(async (e) => {
  events.push(e);
  if (e.event !== "offer") return;
  const p = peers.get(e.peer);
  if (!p) return;
  const answer = await p.answer(e);
  await sfu.answer(e.peer, answer).catch((err) => console.error("answer failed", err));
});
afterAll(() => sfu.close());

const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(20);
  }
};

test("three peers in a room each receive the other two's audio in order", async () => {
  const grants = { speak: true, stream: true, vad: true };
  const flags = { muted: false, deaf: false, talking: false };
  for (const id of ["a", "b", "c"]) {
    peers.set(id, new VoicePeer());
    await sfu.join("room1", id, `user-${id}`, grants, flags);
  }
  await until(() => [...peers.values()].every((p) => p.connected));
  await Bun.sleep(300);
  for (let i = 0; i < 50; i++) {
    for (const p of peers.values()) p.send("mic");
    await Bun.sleep(5);
  }
  await Bun.sleep(500);
  for (const [id, p] of peers) {
    for (const other of ["a", "b", "c"].filter((o) => o !== id)) {
      const r = p.count(`user-${other}`);
      expect({ id, other, packets: r.packets, gaps: r.gaps }).toEqual({ id, other, packets: 50, gaps: 0 });
    }
  }
  const stats = await sfu.stats();
  console.log(stats);
  expect(stats.sentTo).toEqual(["127.0.0.1"]);
}, 30000);
