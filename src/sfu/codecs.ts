// Which video codec goes where. The SFU forwards without decoding, so a receiver can only show a
// publisher's video if it decodes the codec the publisher sends. Publishers are offered VP8 and
// H.264 and send whichever their browser puts first (the client orders its answer by the
// browser's own preference: Safari's hardware H.264, Chrome's VP8); H.264 is taken off the
// publishers' offers while anyone in the room cannot receive it (a Chromium built without
// proprietary codecs, a Firefox without its OpenH264 plugin), and comes back when they leave.
// Payload types are looked up per receiver by codec name (video.ts), never assumed equal between
// connections.
import type { RTCRtpCodecParameters } from "werift";
import { H264 } from "./media.ts";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The codecs a video uplink may be offered: all the SFU has, or all but H.264. */
export function allowedVideoCodecs(all: RTCRtpCodecParameters[], h264: boolean): RTCRtpCodecParameters[] {
  return h264 ? all : all.filter((c) => !same(c.mimeType, H264));
}

/**
 * Whether a peer's answer says it can receive H.264: the codecs of its video downlinks (m-lines
 * the SFU sends on, offered with every codec). Null when it has none yet (nothing to judge by).
 */
export function receivesH264(downlinkCodecs: RTCRtpCodecParameters[][]): boolean | null {
  if (downlinkCodecs.length === 0) return null;
  return downlinkCodecs.every((codecs) => codecs.some((c) => same(c.mimeType, H264)));
}

/** Video packets not sent to a viewer that cannot decode their codec (a codec switch settling). */
export const codecCounters = { undecodable: 0 };
