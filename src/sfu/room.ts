// A voice room: who receives whose sources. Every active uplink of every peer has one downlink
// in every other peer of the room; the links are made and broken here and each touched peer
// renegotiates. The room also decides whether its publishers may send H.264 (codecs.ts).
import type { Peer } from "./peer.ts";
import type { Source } from "./sfu.ts";

export class Room {
  readonly peers = new Map<string, Peer>();

  constructor(readonly id: string) {}

  add(peer: Peer): void {
    for (const other of this.peers.values()) {
      this.linkAll(other, peer);
      this.linkAll(peer, other);
      other.negotiate();
    }
    this.peers.set(peer.id, peer);
    peer.negotiate();
  }

  /**
   * H.264 is offered to publishers only while every peer that has told (by answering a video
   * m-line) can decode it; the publishers whose offers change renegotiate.
   */
  applyCodecPolicy(): void {
    let h264 = true;
    for (const p of this.peers.values()) if (p.receivesH264 === false) h264 = false;
    for (const p of this.peers.values()) if (p.offerVideoCodecs(h264)) p.negotiate();
  }

  /** Start or stop forwarding one source of a peer to everyone else. */
  setSource(peer: Peer, source: Source, on: boolean): void {
    const up = peer.uplink(source, on);
    this.applyCodecPolicy();
    for (const other of this.peers.values()) {
      if (other === peer) continue;
      if (on) this.link(peer, source, other);
      else for (const down of up.subscribers) if (down.owner === other) this.unlink(down);
      other.negotiate();
    }
    peer.negotiate();
  }

  remove(peer: Peer): void {
    if (!this.peers.delete(peer.id)) return;
    for (const up of peer.up.values()) for (const down of [...up.subscribers]) this.unlink(down);
    for (const down of [...peer.down.values()]) this.unlink(down);
    this.applyCodecPolicy();
    for (const other of this.peers.values()) other.negotiate();
  }

  private linkAll(from: Peer, to: Peer): void {
    for (const [source, up] of from.up) if (up.active) this.link(from, source, to);
  }

  private link(from: Peer, source: Source, to: Peer): void {
    const up = from.up.get(source);
    if (!up) return;
    up.subscribers.add(to.subscribe(from, source));
  }

  private unlink(down: import("./peer.ts").Downlink): void {
    down.from.up.get(down.source)?.subscribers.delete(down);
    down.owner.unsubscribe(down);
  }
}
