// Who is in which voice channel: live state held by the server (never stored), one participant
// per user (joining elsewhere, from any tab, moves them). The SFU peer id is fresh per join, so
// a late event about an old connection never touches the new one.
import type { ServerWebSocket } from "bun";
import type { SocketData } from "../hub/hub.ts";

export interface Participant {
  userId: string;
  channelId: string;
  /** Null for a DM call. */
  guildId: string | null;
  peerId: string;
  ws: ServerWebSocket<SocketData>;
  selfMute: boolean;
  selfDeaf: boolean;
  serverMute: boolean;
  serverDeaf: boolean;
  /** Camera on / screen share on (the "LIVE" marker). */
  video: boolean;
  stream: boolean;
  speaking: boolean;
  /** Push-to-talk key held. */
  talking: boolean;
  grants: { speak: boolean; stream: boolean; vad: boolean; priority: boolean };
  joinedAt: number;
}

export class VoiceStates {
  private readonly byUser = new Map<string, Participant>();
  private readonly byPeer = new Map<string, Participant>();
  private readonly byChannel = new Map<string, Set<Participant>>();
  /** Told the number of rooms with someone in them whenever it changes (the /metrics gauge). */
  onRoomsChanged?: (rooms: number) => void;

  add(p: Participant): void {
    this.byUser.set(p.userId, p);
    this.byPeer.set(p.peerId, p);
    let set = this.byChannel.get(p.channelId);
    if (!set) {
      this.byChannel.set(p.channelId, (set = new Set()));
      this.onRoomsChanged?.(this.byChannel.size);
    }
    set.add(p);
  }

  remove(p: Participant): boolean {
    if (this.byPeer.get(p.peerId) !== p) return false;
    this.byPeer.delete(p.peerId);
    if (this.byUser.get(p.userId) === p) this.byUser.delete(p.userId);
    const set = this.byChannel.get(p.channelId);
    set?.delete(p);
    if (set?.size === 0) {
      this.byChannel.delete(p.channelId);
      this.onRoomsChanged?.(this.byChannel.size);
    }
    return true;
  }

  ofUser(userId: string): Participant | undefined {
    return this.byUser.get(userId);
  }

  ofPeer(peerId: string): Participant | undefined {
    return this.byPeer.get(peerId);
  }

  inChannel(channelId: string): Participant[] {
    return [...(this.byChannel.get(channelId) ?? [])].sort((a, b) => a.joinedAt - b.joinedAt);
  }

  all(): IterableIterator<Participant> {
    return this.byPeer.values();
  }

  get roomCount(): number {
    return this.byChannel.size;
  }
}

/** What the SFU enforces for a participant, from their own switches and moderators'. */
export const flagsOf = (p: Participant) => ({
  muted: p.selfMute || p.serverMute || p.selfDeaf || p.serverDeaf,
  deaf: p.selfDeaf || p.serverDeaf,
  talking: p.talking,
});
