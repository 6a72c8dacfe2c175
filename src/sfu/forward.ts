// The audio forwarding fast path: one publisher packet to one receiver without werift's sender
// layers. Profiling the SFU thread at 20 talkers (380 streams) showed werift's RTCRtpSender.sendRtp
// costing far more than the cryptography: per packet and receiver it copies and sorts the header
// extensions, makes an NTP time by formatting a float as a string, walks four async functions (a
// promise each) down to node:dgram, which resolves the address again before sending. Here a
// packet costs one header write, one SRTP encryption with the receiver's own session (werift's
// cipher, so the keys and the rollover counter are the same as werift's) and one send on the
// receiver's ICE socket. What werift's RTCP sender reports read (counts, last sequence/timestamp,
// the NTP/RTP pair) is kept up to date, so its sender reports stay right.
//
// Only audio takes this path (video keeps werift's for its NACK cache and retransmissions), and
// only for what it understands: anything else (padding, CSRCs, a connection not up yet, a TCP or
// TURN transport) returns false and the caller uses werift's own path.
import { Socket } from "node:dgram";
import type { RtpPacket, RTCRtpSender } from "werift";
import { destinations } from "./guard.ts";

const MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
const LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
/** Seconds from 1900 (NTP's epoch) to 1970. */
const NTP_EPOCH_OFFSET = 2208988800;

interface SsrcState {
  rolloverCounter: number;
  lastSequenceNumber: number;
  rolloverHasProcessed?: boolean;
}
interface SrtpContext {
  cipher: { encryptRtp(header: HeaderLike, payload: Buffer, roc: number): Buffer };
  getSrtpSsrcState(ssrc: number): SsrcState;
  updateRolloverCount(seq: number, s: SsrcState): void;
}
interface HeaderLike {
  ssrc: number;
  sequenceNumber: number;
  serializeSize: number;
  serialize(size: number): Buffer;
}
interface BunUdp {
  send(data: Buffer, port: number, address: string): boolean;
}
interface IcePair {
  protocol: { transport: { closed?: boolean; socket?: object } };
  remoteAddr: [string, number];
  packetsSent: number;
  bytesSent: number;
}
interface IceConnection {
  nominated?: IcePair;
  canSendApplicationData(): boolean;
}
interface SenderInternals {
  ssrc: number;
  codec?: { payloadType: number };
  mid?: string;
  headerExtensions: { uri: string; id: number }[];
  seqOffset: number;
  timestampOffset: number;
  sequenceNumber?: number;
  timestamp?: number;
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  packetCount: number;
  dtlsTransport: {
    state: string;
    srtp?: { localContext: SrtpContext };
    bytesSent: number;
    packetsSent: number;
    iceTransport: { connection: IceConnection };
  };
  runRtcp(): Promise<void>;
}

/** The sending side of one receiver's downlink, resolved once and revalidated cheaply per packet. */
class Route implements HeaderLike {
  ssrc: number;
  sequenceNumber = 0;
  serializeSize = 0;
  hdr: Buffer = Buffer.alloc(0);
  readonly pt: number;
  midId: number;
  readonly mid: Buffer;
  readonly levelId: number;
  ctx: SrtpContext | null = null;
  state: SsrcState | null = null;
  pair: IcePair | undefined;
  udp: BunUdp | null = null;
  fallback: { send(data: Buffer, port: number, address: string): void } | null = null;
  queued: (() => boolean) | null = null;
  ntpAt = 0;

  readonly exts: SenderInternals["headerExtensions"];

  constructor(readonly sender: SenderInternals) {
    this.ssrc = sender.ssrc;
    this.exts = sender.headerExtensions;
    this.pt = sender.codec!.payloadType;
    const exts = sender.headerExtensions;
    this.midId = exts.find((e) => e.uri === MID_URI)?.id ?? 0;
    this.mid = Buffer.from(sender.mid ?? "");
    this.levelId = exts.find((e) => e.uri === LEVEL_URI)?.id ?? 0;
    if (this.mid.length === 0 || this.mid.length > 16) this.midId = 0;
  }

  serialize(): Buffer {
    return this.hdr;
  }
}

const routes = new WeakMap<RTCRtpSender, Route>();
let stateSymbol: symbol | null | undefined;

/** The Bun UDP socket under a node:dgram socket (Bun implements dgram on it); null if not found. */
function bunSocket(sock: object): { udp: BunUdp; queued: () => boolean } | null {
  if (stateSymbol === undefined) stateSymbol = Object.getOwnPropertySymbols(sock).find((s) => s.description === "state symbol") ?? null;
  if (!stateSymbol) return null;
  const handle = (sock as Record<symbol, { handle?: { socket?: BunUdp; sendQueue?: unknown } }>)[stateSymbol]?.handle;
  const udp = handle?.socket;
  if (!handle || !udp || typeof udp.send !== "function") return null;
  return { udp, queued: () => handle.sendQueue !== undefined };
}

/** Counters of the fast path (tests check it is taken). */
export const forwardCounters = { fast: 0, slow: 0 };

/**
 * Forward one audio packet to one receiver. `level` is the publisher's audio-level byte (-1:
 * none). False when this packet must go through werift's sender instead.
 */
export function forwardAudio(senderObj: RTCRtpSender, rtp: RtpPacket, level: number, now: number): boolean {
  const sender = senderObj as unknown as SenderInternals;
  const h = rtp.header;
  if (h.padding || h.csrcLength > 0) return false;
  const dtls = sender.dtlsTransport;
  if (dtls.state !== "connected" || !sender.codec) return false;
  let route = routes.get(senderObj);
  // A renegotiation may change the m-line's extensions (and the route with them).
  if (!route || route.ssrc !== sender.ssrc || route.exts !== sender.headerExtensions) {
    route = new Route(sender);
    routes.set(senderObj, route);
    void sender.runRtcp();
  }
  const conn = dtls.iceTransport.connection;
  const pair = conn.nominated;
  if (!pair || !conn.canSendApplicationData()) return false;
  const ctx = dtls.srtp?.localContext;
  if (!ctx) return false;
  if (route.ctx !== ctx) {
    route.ctx = ctx;
    route.state = ctx.getSrtpSsrcState(route.ssrc);
  }
  if (route.pair !== pair) {
    // Plain UDP only (a TCP or TURN transport's socket is something else).
    const sock = pair.protocol.transport.socket;
    const udp = sock instanceof Socket ? sock : null;
    const bun = udp ? bunSocket(udp) : null;
    route.pair = pair;
    route.udp = bun?.udp ?? null;
    route.queued = bun?.queued ?? null;
    route.fallback = udp;
    if (destinations.size < 1000) destinations.add(pair.remoteAddr[0]);
  }
  if (pair.protocol.transport.closed || !route.fallback) return false;

  // Sequence and timestamp rebased as werift's sender does (its offsets, set on a publisher change).
  const seq = (h.sequenceNumber + sender.seqOffset) & 0xffff;
  const ts = (h.timestamp + sender.timestampOffset) >>> 0;

  // The header: mid (the receiver's own m-line) and the audio level, as one-byte extensions.
  let extLen = 0;
  if (route.midId) extLen += 1 + route.mid.length;
  const withLevel = level >= 0 && route.levelId > 0;
  if (withLevel) extLen += 2;
  const extWords = (extLen + 3) >> 2;
  const size = 12 + (extWords > 0 ? 4 + extWords * 4 : 0);
  const hdr = Buffer.allocUnsafe(size);
  hdr[0] = extWords > 0 ? 0x90 : 0x80;
  hdr[1] = (h.marker ? 0x80 : 0) | route.pt;
  hdr.writeUInt16BE(seq, 2);
  hdr.writeUInt32BE(ts, 4);
  hdr.writeUInt32BE(route.ssrc, 8);
  if (extWords > 0) {
    hdr[12] = 0xbe;
    hdr[13] = 0xde;
    hdr.writeUInt16BE(extWords, 14);
    let o = 16;
    if (route.midId) {
      hdr[o++] = (route.midId << 4) | (route.mid.length - 1);
      route.mid.copy(hdr, o);
      o += route.mid.length;
    }
    if (withLevel) {
      hdr[o++] = route.levelId << 4;
      hdr[o++] = level;
    }
    while (o < size) hdr[o++] = 0;
  }
  route.hdr = hdr;
  route.serializeSize = size;
  route.sequenceNumber = seq;
  ctx.updateRolloverCount(seq, route.state!);
  const enc = ctx.cipher.encryptRtp(route, rtp.payload, route.state!.rolloverCounter);

  const [address, port] = pair.remoteAddr;
  if (route.udp && !route.queued!()) {
    let accepted = false;
    try {
      accepted = route.udp.send(enc, port, address);
    } catch {
      return true; // a socket closed under us: the packet is lost, as werift's send would lose it
    }
    if (!accepted) route.fallback.send(enc, port, address); // full: dgram queues it
  } else {
    route.fallback.send(enc, port, address);
  }

  // What werift's sender reports (RTCP SR, stats) reads.
  sender.sequenceNumber = seq;
  sender.timestamp = ts;
  sender.octetCount += rtp.payload.length;
  sender.packetCount = (sender.packetCount + 1) >>> 0;
  if (now - route.ntpAt >= 200) {
    // The NTP/RTP pair of a sender report, refreshed a few times a second (not per packet).
    route.ntpAt = now;
    const ms = performance.timeOrigin + performance.now();
    const sec = Math.floor(ms / 1000);
    const frac = Math.floor(((ms - sec * 1000) / 1000) * 2 ** 32);
    sender.ntpTimestamp = (BigInt(sec + NTP_EPOCH_OFFSET) << 32n) | BigInt(frac);
    sender.rtpTimestamp = ts;
  }
  dtls.bytesSent += enc.length;
  dtls.packetsSent++;
  pair.packetsSent++;
  pair.bytesSent += enc.length;
  forwardCounters.fast++;
  return true;
}
