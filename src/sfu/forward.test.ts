// The audio fast path (forward.ts), in this thread so its counters can be read: every packet of
// every publisher reaches every other peer once, in order, decrypted by werift with the receiver's
// own SRTP session, with the receiver's own mid and the publisher's audio level in the header; and
// werift's sender state (what its RTCP sender reports read) follows.
import { afterAll, expect, test } from "bun:test";
import { RTCDtlsTransport, RTCPeerConnection, RTCRtpCodecParameters, useAudioLevelIndication, useSdesMid } from "werift";
import { Engine } from "./engine.ts";
import { forwardCounters } from "./forward.ts";
import { guardUdpSockets } from "./guard.ts";
import { VoicePeer } from "../testing/voice-peer.ts";

guardUdpSockets();

/** A test peer that negotiates the mid and audio-level header extensions, as browsers do. */
class BrowserLikePeer extends VoicePeer {
  constructor() {
    super();
    void this.pc.close();
    const pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv6: false,
      iceInterfaceAddresses: { udp4: "127.0.0.1" } as never,
      iceAdditionalHostAddresses: ["127.0.0.1"],
      codecs: { audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2 })], video: [] },
      headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()] },
    });
    Object.defineProperty(this, "pc", { value: pc });
    this.pc.onTransceiverAdded.subscribe((t) => (this as unknown as { watch(t: unknown): void }).watch(t));
  }
}
const peers = new Map<string, VoicePeer>();
const engine = new Engine({ portRange: null, listenIp: "127.0.0.1", announcedIp: null, ipv6: false }, async (e) => {
  if (e.event !== "offer") return;
  const p = peers.get(e.peer);
  if (!p) return;
  const answer = await p.answer(e);
  await engine.answer(e.peer, answer).catch((err) => console.error("answer failed", err));
});
afterAll(() => engine.close());

const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(20);
  }
};

test("audio forwarded by the fast path arrives complete, in order, decryptable, with the receiver's mid and the audio level", async () => {
  await RTCDtlsTransport.SetupCertificate();
  const ids = ["a", "b", "c", "d"];
  const grants = { speak: true, stream: true, vad: true };
  const flags = { muted: false, deaf: false, talking: false };
  for (const id of ids) {
    peers.set(id, new BrowserLikePeer());
    await engine.join("room", id, `user-${id}`, grants, flags);
  }
  await until(() => [...peers.values()].every((p) => p.connected && p.pc.getTransceivers().length >= ids.length));
  await Bun.sleep(300);
  // Header extensions as the receivers see them, per receiving m-line.
  const seen: { mid: string; midExt: string; level: number }[] = [];
  for (const p of peers.values()) {
    for (const t of p.pc.getTransceivers()) {
      const midId = t.headerExtensions.find((e) => e.uri === "urn:ietf:params:rtp-hdrext:sdes:mid")?.id;
      const levelId = t.headerExtensions.find((e) => e.uri === "urn:ietf:params:rtp-hdrext:ssrc-audio-level")?.id;
      for (const track of t.receiver.tracks) {
        track.onReceiveRtp.subscribe((rtp) => {
          const ext = (id?: number) => rtp.header.extensions.find((e) => e.id === id)?.payload;
          seen.push({ mid: t.mid!, midExt: ext(midId)?.toString() ?? "", level: ext(levelId)?.[0] ?? -1 });
        });
      }
    }
  }
  engine.stats(); // starts the forwarding-time histogram afresh
  const fast0 = forwardCounters.fast;
  const slow0 = forwardCounters.slow;
  const COUNT = 120; // over a hundred, and across the sender report period
  for (let i = 0; i < COUNT; i++) {
    for (const p of peers.values()) p.send("mic");
    await Bun.sleep(10);
  }
  await Bun.sleep(500);
  for (const [id, p] of peers) {
    for (const other of ids.filter((o) => o !== id)) {
      const r = p.count(`user-${other}`);
      expect({ id, other, packets: r.packets, gaps: r.gaps }).toEqual({ id, other, packets: COUNT, gaps: 0 });
    }
  }
  const streams = ids.length * (ids.length - 1);
  expect(forwardCounters.fast - fast0).toBe(COUNT * streams);
  expect(forwardCounters.slow - slow0).toBe(0);
  expect(seen.length).toBe(COUNT * streams);
  for (const s of seen) {
    expect(s.midExt).toBe(s.mid);
    expect(s.level).toBe(0x80 | 20);
  }
  // The forwarding time is measured from the datagram's arrival (werift's inbound path is
  // synchronous): a few tens of µs per packet here, never the stale time of an earlier datagram.
  const { forwardMs } = engine.stats();
  expect(forwardMs.p50).toBeGreaterThan(0);
  expect(forwardMs.p99).toBeLessThan(50);
  // werift's sender state, which its RTCP sender reports are made from, kept current.
  const sender = [...engine["peers"].get("a")!.down.values()][0]!.transceiver.sender as unknown as { packetCount: number; octetCount: number; ntpTimestamp: bigint };
  expect(sender.packetCount).toBeGreaterThanOrEqual(COUNT);
  expect(sender.octetCount).toBeGreaterThanOrEqual(COUNT * 100);
  const ntpMs = Number(sender.ntpTimestamp >> 32n) * 1000 - 2208988800 * 1000;
  expect(Math.abs(ntpMs - Date.now())).toBeLessThan(5000);
}, 30000);
