// The realtime hub: owns every live WebSocket. This first version tracks connections and can
// close them (per user, per session, or all on shutdown); topics, fan-out and the gateway
// protocol build on it (the messaging issue).
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Gateway } from "./gateway.ts";

export interface SocketData {
  connectionId: string;
  userId: string | null;
  sessionId: string | null;
  /** Topics this socket was authorized for when it connected. */
  topics: string[];
  /** A browser tab (HTML fragments) or a JSON gateway client. */
  kind: "browser" | "gateway";
  gateway?: { sessionId: string | null; events: number[] };
}

/** Close codes we use (RFC 6455 plus the 4000-4999 application range). */
export const CloseCode = {
  goingAway: 1001,
  policy: 1008,
  accessChanged: 4003,
  sessionRevoked: 4004,
} as const;

export const WS_MAX_PAYLOAD = 64 * 1024;

/** Topic names: one per channel for browsers (HTML) and one per user. */
export const Topic = {
  channelHtml: (channelId: string) => `html:channel:${channelId}`,
  user: (userId: string) => `user:${userId}`,
} as const;

export class Hub {
  private readonly sockets = new Set<ServerWebSocket<SocketData>>();
  private server: Server<SocketData> | null = null;
  /** The JSON gateway, set up by the server once the features it needs exist. */
  gateway: Gateway | null = null;
  /** May this user still hear this topic? Injected by the server (the features know; the hub does not). */
  accessCheck: ((userId: string, topic: string) => boolean) | null = null;

  /**
   * After membership, roles or permission overwrites change: drop every subscription that is no
   * longer allowed. A browser tab that lost its channel is closed (4003); its page would be stale.
   * Runs over all sockets, but only on such changes, which are rare next to messages.
   */
  recheckAccess(): number {
    const check = this.accessCheck;
    if (!check) return 0;
    let dropped = 0;
    for (const ws of this.sockets) {
      const userId = ws.data.userId;
      if (!userId || ws.data.kind !== "browser") continue;
      const lost = ws.data.topics.filter((topic) => !check(userId, topic));
      if (lost.length === 0) continue;
      for (const topic of lost) ws.unsubscribe(topic);
      ws.data.topics = ws.data.topics.filter((topic) => !lost.includes(topic));
      ws.close(CloseCode.accessChanged, "access changed");
      this.sockets.delete(ws);
      dropped++;
    }
    return dropped + (this.gateway?.recheck(check) ?? 0);
  }

  /** Fan-out goes through Bun's native publish: one call, every subscriber, no loop over sockets. */
  attach(server: Server<SocketData>): void {
    this.server = server;
  }

  publish(topic: string, data: string): void {
    this.server?.publish(topic, data);
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  readonly handler: WebSocketHandler<SocketData> = {
    maxPayloadLength: WS_MAX_PAYLOAD,
    idleTimeout: 120,
    // A client that stops reading is dropped, never buffered without bound.
    backpressureLimit: 1024 * 1024,
    closeOnBackpressureLimit: true,
    sendPings: true,
    open: (ws) => {
      this.sockets.add(ws);
      for (const topic of ws.data.topics) ws.subscribe(topic);
      if (ws.data.kind === "gateway") this.gateway?.open(ws);
    },
    message: (ws, raw) => {
      // Browser tabs only listen (they act through HTTP); gateway clients speak the JSON protocol.
      if (ws.data.kind === "gateway") this.gateway?.message(ws, raw);
    },
    close: (ws) => {
      this.sockets.delete(ws);
      if (ws.data.kind === "gateway") this.gateway?.close(ws);
    },
  };

  /** Does the user have at least one live socket (an open tab or client)? */
  isOnline(userId: string): boolean {
    for (const ws of this.sockets) if (ws.data.userId === userId) return true;
    return false;
  }

  /** The distinct sessions that have a socket open now. */
  openSessionIds(): string[] {
    const ids = new Set<string>();
    for (const ws of this.sockets) if (ws.data.sessionId) ids.add(ws.data.sessionId);
    return [...ids];
  }

  /** Close every socket of a user (logout everywhere, deactivation, ban). */
  disconnectUser(userId: string, code: number = CloseCode.sessionRevoked, reason = "signed out"): number {
    return this.closeWhere((d) => d.userId === userId, code, reason);
  }

  /** Close the sockets of one session (logout, revoked session). */
  disconnectSession(sessionId: string, code: number = CloseCode.sessionRevoked, reason = "session ended"): number {
    this.gateway?.forgetAuthSession(sessionId);
    return this.closeWhere((d) => d.sessionId === sessionId, code, reason);
  }

  /** Close every socket, e.g. with 1001 on shutdown so clients reconnect to the next process. */
  closeAll(code: number = CloseCode.goingAway, reason = "server restarting"): number {
    return this.closeWhere(() => true, code, reason);
  }

  private closeWhere(match: (d: SocketData) => boolean, code: number, reason: string): number {
    let n = 0;
    for (const ws of this.sockets) {
      if (!match(ws.data)) continue;
      ws.close(code, reason);
      this.sockets.delete(ws);
      n++;
    }
    return n;
  }
}
