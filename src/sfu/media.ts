// What the SFU offers: Opus with in-band FEC and DTX (the browser stops sending in silence and
// recovers single losses itself), VP8 and H.264 (constrained baseline, the profile every browser
// decodes; codecs.ts decides when a publisher may send it) with NACK/PLI/FIR, and the header
// extensions it reads (mid for demultiplexing, the audio level for speaking detection, the rid of
// each simulcast layer). One config object per peer: werift numbers extension ids across the
// audio then video lists by position, so the shared `mid` object ends up with one id in both (a
// BUNDLE group must not map one URI to two ids).
//
// Transport-wide congestion control is not offered: werift's feedback made Chromium's bandwidth
// estimate fall (measured: a 3-layer camera sent to werift with it ran "bandwidth"-limited at
// ~100 kbit/s, its two upper layers stopped; without it all three ran unlimited). Chromium then
// estimates from losses in werift's receiver reports, starting from the start bitrate given in
// the video codecs' parameters (its default 300 kbit/s would leave the top layer off for a long time).
import {
  RTCRtpCodecParameters,
  useAudioLevelIndication,
  useFIR,
  useNACK,
  usePLI,
  useSdesMid,
  useSdesRTPStreamId,
  type PeerConfig,
} from "werift";
import type { IceSettings } from "./sfu.ts";

export const AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
/** The camera's simulcast layers, low to high (quarter, half and full size). */
export const CAMERA_RIDS = ["q", "h", "f"] as const;
/** Chromium's starting send estimate, kbit/s: about the three camera layers together. */
const START_KBPS = 2000;

export const VP8 = "video/VP8";
export const H264 = "video/H264";

/** Fresh objects each time: werift numbers payload types into the objects it is given. */
export function videoCodecs(): RTCRtpCodecParameters[] {
  const rtcpFeedback = () => [useNACK(), usePLI(), useFIR()];
  const start = `x-google-start-bitrate=${START_KBPS}`;
  return [
    new RTCRtpCodecParameters({ mimeType: VP8, clockRate: 90000, parameters: start, rtcpFeedback: rtcpFeedback() }),
    new RTCRtpCodecParameters({
      mimeType: H264,
      clockRate: 90000,
      rtcpFeedback: rtcpFeedback(),
      parameters: `level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;${start}`,
    }),
  ];
}

export function peerConfig(ice: IceSettings): Partial<PeerConfig> {
  const mid = useSdesMid();
  return {
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: "minptime=10;useinbandfec=1;usedtx=1" })],
      video: videoCodecs(),
    },
    headerExtensions: { audio: [mid, useAudioLevelIndication()], video: [mid, useSdesRTPStreamId()] },
    // ICE-lite: the server only answers connectivity checks, so it gathers no server-reflexive
    // candidate and sends no STUN query anywhere. An empty iceServers alone is not enough:
    // werift falls back to stun.l.google.com:19302 when no STUN server is given.
    iceLite: true,
    // One transport for every m-line from the first offer (max-compat would open one per m-line
    // until the answer confirms BUNDLE: sockets that are never used).
    bundlePolicy: "max-bundle",
    iceServers: [],
    iceUseIpv6: ice.ipv6,
    iceUseTcp: false,
    // A single port is shared by every connection through udp-mux.ts, not given to werift.
    icePortRange: ice.portRange && ice.portRange[0] !== ice.portRange[1] ? ice.portRange : undefined,
    ...(ice.listenIp ? { iceInterfaceAddresses: { udp4: ice.listenIp, udp6: ice.listenIp } as never, iceAdditionalHostAddresses: [ice.listenIp] } : {}),
  };
}

/**
 * The candidates the client is told: only those on the listen address when one is set (werift
 * also lists the interface addresses it found), rewritten to the announced public address when
 * the server sits behind NAT (the socket stays bound to the local address).
 */
export function rewriteCandidates(sdp: string, ice: IceSettings): string {
  if (!ice.listenIp && !ice.announcedIp) return sdp;
  return sdp
    .split("\r\n")
    .flatMap((line) => {
      const m = /^a=candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/.exec(line);
      if (!m) return [line];
      if (ice.listenIp && m[5] !== ice.listenIp) return [];
      if (!ice.announcedIp) return [line];
      return [`a=candidate:${m[1]} ${m[2]} ${m[3]} ${m[4]} ${ice.announcedIp} ${m[6]} typ ${m[7]}${m[8]}`];
    })
    .join("\r\n");
}

/** Chrome's audio level: 0 is loudest, 127 silence (-dBov). Speech sits well under this. */
export const SPEAKING_LEVEL = 60;
