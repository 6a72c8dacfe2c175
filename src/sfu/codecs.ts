// Which video codec goes where. The SFU forwards without decoding, so a receiver can only show a
// publisher's video if it decodes the codec the publisher sends. Publishers are offered VP8 and
// H.264 and send whichever their browser puts first (the client orders its answer by the
// browser's own preference: Safari's hardware H.264, Chrome's VP8); H.264 is taken off the
// publishers' offers while anyone in the room cannot receive it (a Chromium built without
// proprietary codecs, a Firefox without its OpenH264 plugin), and comes back when they leave.
// Payload types are looked up per receiver by codec name, never assumed equal between connections.
import type { RTCRtpCodecParameters } from "werift";
import { H264 } from "./media.ts";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The codecs a video uplink may be offered: all the SFU has, or all but H.264. */
export function allowedVideoCodecs(all: RTCRtpCodecParameters[], h264: boolean): RTCRtpCodecParameters[] {
  return h264 ? all : all.filter((c) => !same(c.mimeType, H264));
}

/** Same codec names (order aside): a renegotiation is needed only when they differ. */
export function sameCodecSet(a: RTCRtpCodecParameters[], b: RTCRtpCodecParameters[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => same(x.mimeType, y.mimeType)));
}

/**
 * Whether a peer's answer says it can receive H.264: the codecs of its video downlinks (m-lines
 * the SFU sends on, offered with every codec). Null when it has none yet (nothing to judge by).
 */
export function receivesH264(downlinkCodecs: RTCRtpCodecParameters[][]): boolean | null {
  if (downlinkCodecs.length === 0) return null;
  return downlinkCodecs.every((codecs) => codecs.some((c) => same(c.mimeType, H264)));
}

/**
 * The receiver's codec for a publisher's packet: the codec of the same name in the receiver's
 * negotiated list (its payload type may differ), or undefined when the receiver cannot decode it.
 * Remembered per pair of lists: they only change when either connection renegotiates.
 */
const memo = new WeakMap<RTCRtpCodecParameters[], WeakMap<RTCRtpCodecParameters[], Map<number, RTCRtpCodecParameters | undefined>>>();

export function receiverCodec(publisher: RTCRtpCodecParameters[], receiver: RTCRtpCodecParameters[], payloadType: number): RTCRtpCodecParameters | undefined {
  let byReceiver = memo.get(publisher);
  if (!byReceiver) memo.set(publisher, (byReceiver = new WeakMap()));
  let byPt = byReceiver.get(receiver);
  if (!byPt) byReceiver.set(receiver, (byPt = new Map()));
  if (byPt.has(payloadType)) return byPt.get(payloadType);
  const sent = publisher.find((c) => c.payloadType === payloadType);
  const found = sent ? receiver.find((c) => same(c.mimeType, sent.mimeType)) : undefined;
  byPt.set(payloadType, found);
  return found;
}
