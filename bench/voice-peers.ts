// A Worker of the voice bench: hosts some of the room's participants (werift peers joined through
// the server's real signalling), so the load generator is spread over threads instead of one
// event loop. Commands by message: join, raw, start (50 stamped packets/s per participant, at
// spread phases),
// window (the measurement window, wall-clock ms), stop (answers with what was sent and received
// within the window and the send->receive delays).
//
// Accounting is by send time, not by when this thread got around to counting: every packet
// carries its send time (ms) in the RTP timestamp, which SRTP leaves in clear and the SFU does
// not rebase (one publisher per downlink). A packet counts as sent in the window if its stamp is
// in it, and as received if a packet with a stamp in the window arrived by the time `stop` is
// handled (the caller waits a grace period after the window first, so late packets count as late,
// not lost). A busy load-generator thread therefore cannot make packets look lost by counting
// late, nor hide loss by sending less: how much it really sent in the window is reported too.
import { RtpHeader, RtpPacket } from "werift";
import { VoicePeer } from "../src/testing/voice-peer.ts";

declare const self: Worker;

interface Person {
  peer: VoicePeer;
  ws: WebSocket;
  ssrc: number;
  seq: number;
}
const people: Person[] = [];
let sending = false;
let window = { t0: Infinity, t1: -Infinity };
let sentInWindow = 0;
let receivedInWindow = 0;
let receivedTotal = 0;
let gaps = 0;
const delays: number[] = [];
const lastSeq = new Map<number, number>();
/** Downlink SSRC -> the publishing user, from the offers (a=ssrc of each m-line, and whose it is). */
const ssrcUser = new Map<number, string>();
/** Packets sent in the window that arrived, by publishing user. */
const byUser = new Map<string, number>();

function learnSsrcs(sdp: string, tracks: { mid: string; user: string }[]): void {
  const users = new Map(tracks.map((t) => [t.mid, t.user]));
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /a=mid:(\S+)/.exec(section)?.[1];
    const user = mid !== undefined ? users.get(mid) : undefined;
    if (!user) continue;
    for (const m of section.matchAll(/a=ssrc:(\d+) /g)) ssrcUser.set(Number(m[1]), user);
  }
}
const payload = Buffer.alloc(100, 0x11);

/** Whether a 32-bit ms stamp lies in the window (modular: the stamps are Date.now() mod 2^32). */
const inWindow = (stamp: number) => ((stamp - (window.t0 % 2 ** 32)) >>> 0) < window.t1 - window.t0;

function audioLevelId(peer: VoicePeer): number {
  for (const t of peer.pc.getTransceivers()) {
    const ext = t.headerExtensions.find((e) => e.uri === "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    if (ext) return ext.id;
  }
  return 2;
}

/** One Opus-sized packet with the send time (ms mod 2^32) as its RTP timestamp; returns the stamp. */
function sendMic(p: Person): number {
  p.seq = (p.seq + 1) & 0xffff;
  const stamp = Date.now() % 2 ** 32;
  const header = new RtpHeader({ payloadType: 111, sequenceNumber: p.seq, timestamp: stamp, ssrc: p.ssrc });
  header.extension = true;
  header.extensions = [{ id: audioLevelId(p.peer), payload: Buffer.from([0x80 | 20]) }];
  p.peer.local.mic.writeRtp(new RtpPacket(header, payload));
  return stamp;
}

/** Count a datagram from its clear RTP header; RTCP and anything else is ignored. */
function onDatagram(buf: Uint8Array): void {
  if (buf.length < 12 || (buf[0]! & 0xc0) !== 0x80) return;
  const pt = buf[1]! & 0x7f;
  if (pt >= 64 && pt <= 95) return; // RTCP
  receivedTotal++;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const ssrc = view.getUint32(8);
  const seq = view.getUint16(2);
  const last = lastSeq.get(ssrc);
  if (last !== undefined && seq !== ((last + 1) & 0xffff)) gaps++;
  lastSeq.set(ssrc, seq);
  const stamp = view.getUint32(4);
  if (!inWindow(stamp)) return;
  receivedInWindow++;
  const user = ssrcUser.get(ssrc) ?? "?";
  byUser.set(user, (byUser.get(user) ?? 0) + 1);
  delays.push(((Date.now() % 2 ** 32) - stamp) | 0);
}

/**
 * Stop decrypting what arrives and count it from the clear RTP header. ICE/DTLS
 * processing of incoming datagrams stops with it (fine for a run shorter than werift's 30 s ICE
 * consent expiry); sending is unaffected.
 */
function countRaw(peer: VoicePeer): void {
  for (const transport of peer.pc.iceTransports) {
    for (const protocol of (transport.connection as unknown as { protocols: { transport?: { socket?: import("node:dgram").Socket } }[] }).protocols) {
      const socket = protocol.transport?.socket;
      if (!socket) continue;
      socket.removeAllListeners("message");
      socket.on("message", onDatagram);
    }
  }
}

self.onmessage = async (e: MessageEvent) => {
  const m = e.data as { op: string; port?: number; tokens?: string[]; voiceId?: string; t0?: number; t1?: number };
  if (m.op === "join") {
    for (const token of m.tokens!) {
      const peer = new VoicePeer();
      const ws = new WebSocket(`ws://127.0.0.1:${m.port}/ws?voice`, { headers: { Cookie: `pokynano_session=${token}`, Origin: `http://127.0.0.1:${m.port}` } } as never);
      ws.onmessage = async (ev) => {
        const f = JSON.parse(String(ev.data));
        if (f.v === "offer") {
          learnSsrcs(f.sdp, f.tracks);
          try {
            ws.send(JSON.stringify({ v: "answer", sdp: await peer.answer(f) }));
          } catch (err) {
            console.error("voice bench peer: answering failed:", (err as Error).message);
          }
        }
        if (f.v === "error" || f.v === "left") console.error("voice bench peer:", JSON.stringify(f));
      };
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ v: "join", channel: m.voiceId }));
      people.push({ peer, ws, ssrc: Math.floor(Math.random() * 2 ** 31), seq: 0 });
      // People arrive one after another, not all in the same millisecond (every arrival
      // renegotiates everyone already there).
      await Bun.sleep(250);
    }
    self.postMessage({ op: "joined" });
  } else if (m.op === "ready?") {
    const downlinks = people.map((p) => p.peer.pc.getTransceivers().length);
    self.postMessage({ op: "ready", connected: people.every((p) => p.peer.connected), downlinks });
  } else if (m.op === "raw") {
    for (const p of people) countRaw(p.peer);
    self.postMessage({ op: "rawing" });
  } else if (m.op === "start") {
    // Independent microphones are not in step: each participant sends at its own phase of the
    // 20 ms packet interval (`phase` in [0, 1) shifts this worker's participants against the
    // other worker's), so the SFU sees packets spread over the interval, as from real browsers,
    // rather than every publisher's packet in the same millisecond. `lockstep` sends them all
    // at once (the worst case).
    sending = true;
    const lockstep = Boolean((m as { lockstep?: boolean }).lockstep);
    const phase = (m as { phase?: number }).phase ?? 0;
    void (async () => {
      const start = performance.now();
      for (let tick = 0; sending; tick++) {
        for (let i = 0; i < people.length && sending; i++) {
          const at = start + tick * 20 + (lockstep ? 0 : ((i + phase) / people.length) * 20);
          const wait = at - performance.now();
          if (wait > 0.5) await Bun.sleep(wait);
          if (inWindow(sendMic(people[i]!))) sentInWindow++;
        }
      }
    })();
  } else if (m.op === "window") {
    window = { t0: m.t0!, t1: m.t1! };
    self.postMessage({ op: "windowed" });
  } else if (m.op === "stop") {
    sending = false;
    // What each participant's werift sender really sent (its RTP packet count since it started:
    // werift drops packets silently while its DTLS transport is not connected or it has no codec),
    // in join order, to tell a client that did not send from an SFU that did not receive.
    const senders = people.map((p) => {
      const t = p.peer.pc.getTransceivers().find((x) => x.sender.track === p.peer.local.mic);
      const sender = t?.sender as unknown as { packetCount?: number; dtlsTransport?: { state?: string } } | undefined;
      return { mid: t?.mid ?? null, packets: sender?.packetCount ?? -1, dtls: sender?.dtlsTransport?.state ?? "none", ice: p.peer.pc.iceConnectionState };
    });
    self.postMessage({ op: "stopped", sent: sentInWindow, received: receivedInWindow, receivedTotal, gaps, delays, people: people.length, byUser: Object.fromEntries(byUser), senders });
    for (const p of people) {
      p.ws.close();
      await p.peer.close();
    }
    people.length = 0;
  }
};
