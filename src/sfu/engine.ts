// The SFU inside its worker thread: rooms and peers by id, the per-packet forwarding path, and
// the timers (speaking, liveness, event-loop watch) batched at fixed rates rather than per packet.
import type { RtpPacket } from "werift";
import { arrival, coarse, destinations, socketCounters } from "./guard.ts";
import { codecCounters } from "./codecs.ts";
import { Peer, peerCounters, type Downlink, type PeerHost, type Uplink } from "./peer.ts";
import type { Layer } from "./layers.ts";
import { SPEAKING_LEVEL } from "./media.ts";
import { Histogram } from "./histogram.ts";
import { DEAD_AFTER_MS, whyGone } from "./liveness.ts";
import { Room } from "./room.ts";
import { muxCounters, sharedPortInUse } from "./udp-mux.ts";
import type { Flags, Grants, IceSettings, SfuEvent, SfuStats, Source } from "./sfu.ts";
import { applyView, keyframeFor, selectLayer, videoPacket } from "./simulcast.ts";

/** Speaking = a loud audio-level packet within this window (DTX sends nothing in silence). */
const SPEAKING_HOLD_MS = 400;

export class Engine implements PeerHost {
  private readonly rooms = new Map<string, Room>();
  private readonly peers = new Map<string, Peer>();
  private readonly roomOf = new Map<Peer, Room>();
  private now = Date.now();
  private forwarded = 0;
  private gated = 0;
  private maxBlock = 0;
  private readonly forwardTimes = new Histogram();
  private readonly timers: Timer[] = [];
  private judgeAfter = 0;

  constructor(
    readonly ice: IceSettings,
    readonly emit: (event: SfuEvent) => void,
  ) {
    // One coarse clock for the hot path (no Date.now() per packet) that also measures how long
    // the thread was blocked: a 20 ms timer that fires late was held up by synchronous work.
    let expected = performance.now() + 20;
    this.timers.push(
      setInterval(() => {
        const t = performance.now();
        this.maxBlock = Math.max(this.maxBlock, t - expected);
        // After the thread itself stalled (an overloaded machine), "silent" peers may only be
        // unprocessed ones: give them a full dead-peer period again before judging.
        if (t - expected > 2000) this.judgeAfter = Date.now() + DEAD_AFTER_MS;
        expected = t + 20;
        this.now = coarse.now = Date.now();
      }, 20),
      setInterval(() => this.speakingTick(), 100),
      setInterval(() => this.layerTick(), 500),
      setInterval(() => this.livenessTick(), 1000),
    );
  }

  clock(): number {
    return this.now;
  }

  async join(roomId: string, peerId: string, user: string, grants: Grants, flags: Flags): Promise<void> {
    if (this.peers.has(peerId)) throw new Error("peer already joined");
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Room(roomId)));
    const peer = new Peer(peerId, user, grants, flags, this);
    this.peers.set(peerId, peer);
    this.roomOf.set(peer, room);
    this.guardRoom(room, () => room.add(peer));
  }

  async answer(peerId: string, sdp: string): Promise<void> {
    const peer = this.peer(peerId);
    await peer.answer(sdp);
    // What the answer said it decodes may change which codecs the room's publishers are offered.
    const room = this.roomOf.get(peer);
    if (room) this.guardRoom(room, () => room.applyCodecPolicy());
  }

  async publish(peerId: string, source: Exclude<Source, "mic">, on: boolean): Promise<void> {
    const peer = this.peer(peerId);
    if (on && !peer.grants.stream) throw new Error("missing STREAM permission");
    const room = this.roomOf.get(peer)!;
    if (Boolean(peer.up.get(source)?.active) === on) return;
    this.guardRoom(room, () => room.setSource(peer, source, on));
  }

  async update(peerId: string, grants: Grants, flags: Flags): Promise<void> {
    const peer = this.peer(peerId);
    peer.grants = grants;
    peer.flags = flags;
    const room = this.roomOf.get(peer)!;
    this.guardRoom(room, () => {
      // SPEAK granted later: the receive-only peer gets its microphone uplink now.
      if (grants.speak && !peer.up.has("mic")) room.setSource(peer, "mic", true);
      if (!grants.stream) for (const source of ["camera", "screen", "screenAudio"] as const) if (peer.up.get(source)?.active) room.setSource(peer, source, false);
    });
  }

  /** The size a viewer shows a publisher's source at: its downlink moves to the layer that fits. */
  async view(peerId: string, user: string, source: Source, width: number, height: number): Promise<void> {
    applyView(this.peer(peerId), user, source, { width, height }, this.now);
  }

  async restartIce(peerId: string): Promise<void> {
    this.peer(peerId).negotiate(true);
  }

  async leave(peerId: string): Promise<void> {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    const room = this.roomOf.get(peer);
    this.roomOf.delete(peer);
    if (room) {
      try {
        room.remove(peer);
      } catch {
        // The peer goes regardless; the room's other peers renegotiate on their next change.
      }
      if (room.peers.size === 0) this.rooms.delete(room.id);
    }
    await peer.close();
  }

  private peer(peerId: string): Peer {
    const peer = this.peers.get(peerId);
    if (!peer) throw new Error("unknown peer");
    return peer;
  }

  /** One room's failure (an exception in werift or here) closes that room only. */
  private guardRoom(room: Room, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.failRoom(room, (err as Error).message);
    }
  }

  private failRoom(room: Room, reason: string): void {
    for (const peer of [...room.peers.values()]) {
      this.emit({ event: "gone", peer: peer.id, reason: `room failed: ${reason}` });
      void this.leave(peer.id);
    }
    this.rooms.delete(room.id);
  }

  /** The hot path: one uplink packet to every subscriber, no decoding, one header copy each. */
  onRtp(from: Peer, up: Uplink, rtp: RtpPacket, layer: Layer): void {
    from.lastHeard = this.now;
    from.uplinkPackets++;
    const audio = up.source === "mic" || up.source === "screenAudio";
    if (!audio) return this.onVideo(from, up, rtp, layer);
    if (up.wantKeyframe) from.requestKeyframe(up);
    let level = -1;
    if (up.source === "mic") {
      const f = from.flags;
      if (!from.grants.speak || f.muted || (!from.grants.vad && !f.talking)) {
        this.gated++;
        return;
      }
    }
    if (audio && up.audioLevelId > 0) {
      const exts = rtp.header.extensions;
      for (let i = 0; i < exts.length; i++) {
        const ext = exts[i]!;
        if (ext.id === up.audioLevelId) {
          level = ext.payload[0]!;
          if (up.source === "mic" && (level & 0x7f) <= SPEAKING_LEVEL) from.loudAt = this.now;
          break;
        }
      }
    }
    const now = this.now;
    try {
      for (const down of up.subscribers) {
        if (audio && down.owner.flags.deaf) continue;
        down.owner.send(down, rtp, level, now);
        this.forwarded++;
      }
      this.forwardTimes.record(performance.now() - arrival.at);
    } catch (err) {
      const room = this.roomOf.get(from);
      if (room) this.failRoom(room, (err as Error).message);
    }
  }

  /** Video: the layer bookkeeping and one copy to each viewer on that layer (simulcast.ts). */
  private onVideo(from: Peer, up: Uplink, rtp: RtpPacket, layer: Layer): void {
    try {
      this.forwarded += videoPacket(up, rtp, layer, this.now);
      if (up.wantKeyframe) from.requestKeyframe(up, layer);
      this.forwardTimes.record(performance.now() - arrival.at);
    } catch (err) {
      const room = this.roomOf.get(from);
      if (room) this.failRoom(room, (err as Error).message);
    }
  }

  /** Viewers whose layer stopped arriving, or that came back, move (twice a second). */
  private layerTick(): void {
    for (const peer of this.peers.values()) {
      for (const up of peer.up.values()) {
        if (!up.active || up.source === "mic" || up.source === "screenAudio") continue;
        for (const down of up.subscribers) selectLayer(up, down, this.now);
      }
    }
  }

  onKeyframeRequest(down: Downlink): void {
    const up = down.from.up.get(down.source);
    if (up?.active) keyframeFor(up, down, this.now);
  }

  private speakingTick(): void {
    for (const peer of this.peers.values()) {
      const speaking = this.now - peer.loudAt < SPEAKING_HOLD_MS;
      if (speaking === peer.speaking) continue;
      peer.speaking = speaking;
      this.emit({ event: "speaking", peer: peer.id, speaking });
    }
  }

  private livenessTick(): void {
    if (this.now < this.judgeAfter) return;
    for (const peer of [...this.peers.values()]) {
      const reason = whyGone(peer, this.now);
      if (!reason) continue;
      this.emit({ event: "gone", peer: peer.id, reason });
      void this.leave(peer.id);
    }
  }

  private uplinkByUser(): Record<string, number> {
    const out: Record<string, number> = {};
    let n = 0;
    for (const peer of this.peers.values()) {
      if (n++ >= 200) break;
      out[peer.user] = (out[peer.user] ?? 0) + peer.uplinkPackets;
    }
    return out;
  }

  stats(): SfuStats {
    const out: SfuStats = {
      rooms: this.rooms.size,
      peers: this.peers.size,
      peerConnections: peerCounters.open,
      udpSockets: socketCounters.open,
      sharedPort: sharedPortInUse() ? { ...muxCounters } : null,
      sentTo: [...destinations].slice(0, 50),
      socketErrors: socketCounters.errors,
      forwarded: this.forwarded,
      gated: this.gated,
      undecodable: codecCounters.undecodable,
      uplinkByUser: this.uplinkByUser(),
      forwardMs: this.forwardTimes.take(),
      maxBlockMs: Math.round(this.maxBlock * 10) / 10,
      heapUsed: process.memoryUsage().heapUsed,
    };
    this.maxBlock = 0;
    return out;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.all([...this.peers.keys()].map((id) => this.leave(id)));
  }
}
