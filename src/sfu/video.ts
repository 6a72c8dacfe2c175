// Video to one viewer: one layer of the publisher's camera (or its single-layer screen), with the
// sequence numbers and timestamps the viewer's LayerSwitcher gives, through werift's sender (its
// NACK cache then holds exactly what this viewer was sent, so retransmissions stay right). The
// payload type is the viewer's own for the packet's codec (matched by MIME type, not assumed to
// be the same number on both connections).
import { RtpHeader, RtpPacket, type RTCRtpCodecParameters, type RTCRtpReceiver, type RTCRtpSender, type RTCRtpTransceiver } from "werift";
import type { LayerSwitcher } from "./layers.ts";
import { codecCounters } from "./codecs.ts";
import { h264KeyframeStart } from "./h264.ts";
import { vp8KeyframeStart, Vp8Numbers } from "./vp8.ts";

interface SenderInternals {
  codec?: RTCRtpCodecParameters;
  seqOffset: number;
  timestampOffset: number;
  sequenceNumber?: number;
  timestamp?: number;
}

/** The viewer's codec for each publisher payload type, remade when either side renegotiates. */
export interface CodecMap {
  up: Record<number, RTCRtpCodecParameters>;
  down: RTCRtpCodecParameters[];
  byPt: Map<number, RTCRtpCodecParameters>;
}

function codecFor(map: CodecMap, pt: number): RTCRtpCodecParameters | null {
  const known = map.byPt.get(pt);
  if (known) return known;
  const mime = map.up[pt]?.mimeType.toLowerCase();
  const codec = (mime && map.down.find((c) => c.mimeType.toLowerCase() === mime)) || null;
  // Only a match is kept: werift fills the uplink's table in place when an answer is applied.
  if (codec) map.byPt.set(pt, codec);
  return codec;
}

/** The last sequence number and timestamp a downlink's sender put out (a reused m-line continues from them). */
export function lastSent(sender: RTCRtpSender): { seq: number; ts: number } | undefined {
  const s = sender as unknown as SenderInternals;
  return s.sequenceNumber === undefined || s.timestamp === undefined ? undefined : { seq: s.sequenceNumber, ts: s.timestamp };
}

export interface VideoRoute {
  transceiver: RTCRtpTransceiver;
  switcher: LayerSwitcher;
  codecs: CodecMap | null;
  /** VP8 picture numbering of this viewer's stream (made on its first VP8 packet). */
  vp8: Vp8Numbers | null;
}

/** Forward one video packet of layer `rid` to one viewer; false when the switcher dropped it. */
export function forwardVideo(route: VideoRoute, receiver: RTCRtpReceiver, rid: string, rtp: RtpPacket, keyframeStart: boolean, now: number): boolean {
  const h = rtp.header;
  const out = route.switcher.rewrite(rid, h.sequenceNumber, h.timestamp, keyframeStart, now);
  if (!out) return false;
  const upCodecs = (receiver as unknown as { codecs: Record<number, RTCRtpCodecParameters> }).codecs;
  let map = route.codecs;
  if (!map || map.up !== upCodecs || map.down !== route.transceiver.codecs) map = route.codecs = { up: upCodecs, down: route.transceiver.codecs, byPt: new Map() };
  const codec = codecFor(map, h.payloadType);
  // A codec this viewer cannot decode (a publisher switching codec, codecs.ts): not sent.
  if (!codec) {
    codecCounters.undecodable++;
    return false;
  }
  let payload = rtp.payload;
  if (codec.mimeType.toLowerCase() === "video/vp8") payload = (route.vp8 ??= new Vp8Numbers()).apply(payload, out.switched);
  const sender = route.transceiver.sender as unknown as SenderInternals;
  // werift's sender writes its own codec's payload type and adds its offsets: the numbers are
  // ours already, and the codec is the one matching this packet.
  sender.codec = codec;
  sender.seqOffset = 0;
  sender.timestampOffset = 0;
  const copy = new RtpHeader({
    padding: h.padding,
    paddingSize: h.paddingSize,
    marker: h.marker,
    payloadType: codec.payloadType,
    sequenceNumber: out.seq,
    timestamp: out.ts,
    ssrc: h.ssrc,
    csrcLength: h.csrcLength,
    csrc: h.csrc,
    // The publisher's extensions (its rid, its mid) are not the viewer's: werift adds the
    // viewer's mid itself.
    extension: true,
    extensions: [],
  });
  route.transceiver.sender.sendRtp(new RtpPacket(copy, payload)).catch(() => {});
  return true;
}

interface NackTracker {
  addPacket(packet: RtpPacket): void;
  close(): void;
  onPacketLost: unknown;
}

/**
 * One NACK tracker per SSRC on a receiver that gets several streams (simulcast layers): werift's
 * single tracker follows one sequence space and reads the other layers' numbers as losses.
 */
export function nackPerStream(receiver: RTCRtpReceiver): void {
  const r = receiver as unknown as { nack: NackTracker };
  const first = r.nack;
  const Tracker = first.constructor as new (receiver: RTCRtpReceiver) => NackTracker;
  const bySsrc = new Map<number, NackTracker>();
  r.nack = {
    addPacket(packet) {
      const ssrc = packet.header.ssrc;
      let tracker = bySsrc.get(ssrc);
      if (!tracker) {
        // A handful of layers; a client cycling SSRCs does not grow this without bound.
        if (bySsrc.size >= 8) return;
        bySsrc.set(ssrc, (tracker = bySsrc.size === 0 ? first : new Tracker(receiver)));
      }
      tracker.addPacket(packet);
    },
    close() {
      first.close();
      for (const t of bySsrc.values()) t.close();
    },
    onPacketLost: first.onPacketLost,
  };
}

/**
 * Where a packet starts a keyframe, and the frame size when it says (VP8's keyframe header does;
 * for H.264 the size stays 0 and the layer's nominal size is used).
 */
export function keyframeStart(mimeType: string | undefined, payload: Uint8Array): { width: number; height: number } | null {
  const mime = mimeType?.toLowerCase();
  if (mime === "video/vp8") return vp8KeyframeStart(payload);
  if (mime === "video/h264") return h264KeyframeStart(payload) ? { width: 0, height: 0 } : null;
  return null;
}
