// A downlink: one m-line of a viewer's connection carrying one source of another participant,
// and the werift sender settings that keep thousands of them cheap.
import type { RTCRtpTransceiver } from "werift";
import { LayerSwitcher, type Want } from "./layers.ts";
import type { Peer } from "./peer.ts";
import type { Source } from "./sfu.ts";
import { lastSent, type VideoRoute } from "./video.ts";

export interface Downlink {
  owner: Peer;
  from: Peer;
  source: Source;
  audio: boolean;
  transceiver: RTCRtpTransceiver;
  /** The publisher SSRC last forwarded; a change (recycled m-line) rebases sequence and timestamps. */
  sourceSsrc: number | null;
  /** Video: the tile size the viewer shows it at, and the layer switching of its one stream. */
  want: Want;
  route: VideoRoute | null;
}

/** Writes vanish, reads find nothing: a NACK cache that keeps no packet. */
const NO_CACHE = new Proxy([] as unknown[], { set: () => true });

/** A sending transceiver (new or a reused spare) made into `owner`'s downlink of `from`'s source. */
export function openDownlink(owner: Peer, from: Peer, source: Source, transceiver: RTCRtpTransceiver, want: Want, onKeyframeRequest: (down: Downlink) => void): Downlink {
  const audio = transceiver.kind === "audio";
  // werift's send-side bandwidth estimator keeps a record per packet sent, keyed by the 16-bit
  // transport sequence number, and its pruning looks at the wrong object: up to 65,536 records
  // per connection, ~5-10 MB each once the counter has wrapped (read from the code, not measured
  // separately; a likely part of the growth VOICE.md saw). The SFU does not use that estimate,
  // so the record is not kept at all.
  (transceiver.sender as unknown as { senderBWE: { rtpPacketSent(): void } }).senderBWE.rtpPacketSent = () => {};
  // Its NACK cache holds the last 128 packets of every stream; Opus is not retransmitted (FEC
  // covers single losses and NACK is not negotiated for audio), so audio keeps none: at 25
  // talkers that is 600 caches of 128 packets (the SFU heap at 25 talkers went from 76 to 37 MB without them).
  if (audio) Object.defineProperty(transceiver.sender, "rtpCache", { get: () => NO_CACHE, set: () => {}, configurable: true });
  const down: Downlink = {
    owner,
    from,
    source,
    audio,
    transceiver,
    sourceSsrc: null,
    want,
    // A reused m-line's stream continues from what it sent last.
    route: audio ? null : { transceiver, switcher: new LayerSwitcher(lastSent(transceiver.sender)), codecs: null, vp8: null },
  };
  const sender = transceiver.sender;
  sender.onPictureLossIndication.subscribe(() => onKeyframeRequest(down));
  // FIR (RFC 5104) asks for the same thing as PLI; werift only surfaces PLI.
  sender.onRtcp.subscribe((packet) => {
    if (packet.type === 206 && (packet as { feedback?: { count?: number } }).feedback?.count === 4) onKeyframeRequest(down);
  });
  return down;
}
