// Simulcast through the real SFU engine (in this thread): a werift publisher answers the camera's
// simulcast offer and sends three layers (rids q/h/f, each its own SSRC, sequence numbers and
// timestamp base, a VP8 keyframe every 10 frames); each werift viewer gets one continuous stream
// of the layer that fits the size it asked for, switching only at the new layer's keyframes.
import { afterAll, expect, test } from "bun:test";
import { RTCDtlsTransport, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, useNACK, usePLI, useSdesMid, useSdesRTPStreamId, type RTCRtpTransceiver } from "werift";
import { Engine } from "./engine.ts";
import { guardUdpSockets } from "./guard.ts";
import { VoicePeer, type Offer } from "../testing/voice-peer.ts";

guardUdpSockets();

const LOOPBACK = { iceServers: [], iceUseIpv6: false, iceInterfaceAddresses: { udp4: "127.0.0.1" } as never, iceAdditionalHostAddresses: ["127.0.0.1"] };
const SIZES = { q: [320, 180], h: [640, 360], f: [1280, 720] } as const;
type Rid = keyof typeof SIZES;

/** A publisher that sends the camera as three simulcast streams, as a browser does. */
class SimulcastPublisher {
  readonly pc = new RTCPeerConnection({
    ...LOOPBACK,
    codecs: { video: [new RTCRtpCodecParameters({ mimeType: "video/VP8", clockRate: 90000, rtcpFeedback: [useNACK(), usePLI()] })] },
    headerExtensions: { video: [useSdesMid(), useSdesRTPStreamId()] },
  });
  camera: RTCRtpTransceiver | null = null;
  /** Keyframe requests (PLI) received, by media SSRC. */
  readonly plis: number[] = [];
  private readonly seq = { q: 100, h: 30_000, f: 65_500 };
  private readonly ts = { q: 1_000, h: 4_000_000_000, f: 77_777 };
  readonly ssrc = { q: 1111, h: 2222, f: 3333 };

  async answer(offer: Offer): Promise<string> {
    await this.pc.setRemoteDescription({ type: "offer", sdp: offer.sdp });
    for (const t of this.pc.getTransceivers()) {
      if (t.mid !== offer.uplink.camera) continue;
      t.setDirection("sendonly");
      this.camera = t;
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.pc.dtlsTransports[0]?.onRtcp.subscribe((p) => {
      const fb = (p as { type: number; feedback?: { count?: number; mediaSsrc?: number } }).feedback;
      if (p.type === 206 && fb?.count === 1 && fb.mediaSsrc !== undefined) this.plis.push(fb.mediaSsrc);
    });
    return this.pc.localDescription!.sdp;
  }

  /** One frame (one packet) of a layer; the payload's last byte names the layer. */
  async frame(rid: Rid, key: boolean): Promise<void> {
    const t = this.camera!;
    const id = (uri: string) => t.headerExtensions.find((e) => e.uri === uri)!.id;
    const [w, h] = SIZES[rid];
    const payload = Buffer.from([0x10, key ? 0x50 : 0x51, 0x02, 0x00, 0x9d, 0x01, 0x2a, w & 0xff, w >> 8, h & 0xff, h >> 8, 0, 0, rid.charCodeAt(0)]);
    this.seq[rid] = (this.seq[rid] + 1) & 0xffff;
    this.ts[rid] = (this.ts[rid] + 3750) >>> 0;
    const header = new RtpHeader({
      payloadType: t.codecs[0]!.payloadType,
      sequenceNumber: this.seq[rid],
      timestamp: this.ts[rid],
      ssrc: this.ssrc[rid],
      marker: true,
      extension: true,
      extensions: [
        { id: id("urn:ietf:params:rtp-hdrext:sdes:mid"), payload: Buffer.from(t.mid!) },
        { id: id("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"), payload: Buffer.from(rid) },
      ],
    });
    await t.sender.dtlsTransport.sendRtp(payload, header);
  }
}

const publisher = new SimulcastPublisher();
const viewer = new VoicePeer();
/** A second viewer, showing the camera large from the start. */
const large = new VoicePeer();
const engine = new Engine({ portRange: null, listenIp: "127.0.0.1", announcedIp: null, ipv6: false }, async (e) => {
  if (e.event !== "offer") return;
  const answer = e.peer === "pub" ? await publisher.answer(e) : await (e.peer === "view" ? viewer : large).answer(e);
  await engine.answer(e.peer, answer).catch((err) => console.error("answer failed", err));
});
afterAll(async () => {
  await engine.close();
  await publisher.pc.close();
  await viewer.close();
  await large.close();
});

const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(20);
  }
};

test("each viewer gets one continuous stream of the layer that fits its size, switched only at that layer's keyframes", async () => {
  await RTCDtlsTransport.SetupCertificate();
  const grants = { speak: false, stream: true, vad: true };
  const flags = { muted: false, deaf: false, talking: false };
  await engine.join("room", "pub", "user-pub", grants, flags);
  await engine.join("room", "view", "user-view", grants, flags);
  await engine.join("room", "large", "user-large", grants, flags);
  // Said before its downlink exists: kept for it.
  await engine.view("large", "user-pub", "camera", 1280, 720);
  await engine.publish("pub", "camera", true);
  await until(() => publisher.camera !== null && publisher.pc.connectionState === "connected" && viewer.connected && large.connected);
  const hasCamera = (p: VoicePeer) => p.pc.getTransceivers().some((t) => t.kind === "video" && t.receiver.tracks.length > 0);
  await until(() => hasCamera(viewer) && hasCamera(large));
  // What each viewer receives on the camera's m-line, in order.
  type Got = { rid: string; seq: number; ts: number; key: boolean; ssrc: number };
  const record = (p: VoicePeer, into: Got[]) => {
    for (const t of p.pc.getTransceivers()) {
      if (t.kind !== "video") continue;
      for (const track of t.receiver.tracks) {
        track.onReceiveRtp.subscribe((rtp) => {
          const b = rtp.payload;
          into.push({ rid: String.fromCharCode(b[b.length - 1]!), seq: rtp.header.sequenceNumber, ts: rtp.header.timestamp, key: (b[1]! & 1) === 0, ssrc: rtp.header.ssrc });
        });
      }
    }
  };
  const got: Got[] = [];
  const gotLarge: Got[] = [];
  record(viewer, got);
  record(large, gotLarge);
  let frame = 0;
  const everyTenth = (_rid: Rid, n: number) => n % 10 === 0;
  const run = async (frames: number, key = everyTenth, rids: readonly Rid[] = ["q", "h", "f"]) => {
    for (let i = 0; i < frames; i++, frame++) {
      for (const rid of rids) await publisher.frame(rid, key(rid, frame));
      await Bun.sleep(8);
    }
  };
  // Before the viewer says anything: the layer for 640x360 (after whatever layer arrived first,
  // while it was the only one known).
  await run(40);
  await until(() => got.length > 10);
  expect(got.map((g) => g.rid).join("")).toMatch(/^q*h{10,}$/);
  expect(got[0]!.key).toBe(true);

  // A small tile: the quarter layer, from its next keyframe; the SFU asks for one on its SSRC.
  // (Keyframe requests are at most one per 500 ms per layer: the first ones are that old now.)
  await Bun.sleep(600);
  publisher.plis.length = 0;
  await engine.view("view", "user-pub", "camera", 200, 112);
  await run(40);
  expect(publisher.plis).toContain(publisher.ssrc.q);
  // A large tile: the full layer, whose next keyframe comes 15 frames later; "q" flows until then.
  await Bun.sleep(200);
  const beforeLarge = got.length;
  await engine.view("view", "user-pub", "camera", 1280, 720);
  await run(25, (rid, n) => (rid === "f" ? n === 95 : n % 10 === 0));
  await Bun.sleep(200);

  // The top layer stops (the publisher's bandwidth dropped it): after 1.5 s the viewer moves to
  // the largest still arriving, and back up when it returns.
  const beforeDrop = got.length;
  const deadline = Date.now() + 2500;
  while (Date.now() < deadline) await run(5, everyTenth, ["q", "h"]);
  expect(got.slice(beforeDrop).some((g) => g.rid === "h")).toBe(true);
  await run(60);
  await Bun.sleep(200);
  expect(got[got.length - 1]!.rid).toBe("f");

  const rids = got.map((g) => g.rid).join("");
  // One layer after the other, each entered at a keyframe.
  expect(rids).toMatch(/^q*h+q+f+h+f+$/);
  for (let i = 1; i < got.length; i++) if (got[i]!.rid !== got[i - 1]!.rid) expect(got[i]!.key).toBe(true);
  // The other viewer, large all along, had the full layer meanwhile (bar the start and the drop).
  expect(gotLarge.map((g) => g.rid).join("")).toMatch(/^q*h*f{80,}h+f+$/);
  for (let i = 1; i < gotLarge.length; i++) {
    if (gotLarge[i]!.rid !== gotLarge[i - 1]!.rid) expect(gotLarge[i]!.key).toBe(true);
    expect((gotLarge[i]!.seq - gotLarge[i - 1]!.seq) & 0xffff).toBe(1);
  }
  // The switch to "f" came at its keyframe, with "q" still flowing for the 15 frames before it.
  const firstF = got.findIndex((g) => g.rid === "f");
  expect(firstF - beforeLarge).toBeGreaterThanOrEqual(14);
  // One SSRC, consecutive sequence numbers, timestamps never going back.
  expect(new Set(got.map((g) => g.ssrc)).size).toBe(1);
  for (let i = 1; i < got.length; i++) {
    expect((got[i]!.seq - got[i - 1]!.seq) & 0xffff).toBe(1);
    expect(((got[i]!.ts - got[i - 1]!.ts) >>> 0) < 2 ** 31).toBe(true);
  }
}, 30000);
