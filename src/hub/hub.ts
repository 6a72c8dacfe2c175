// The realtime hub: owns every live WebSocket, its topics and who is connected. Features publish
// through it; it knows none of them (what a socket may hear, and what a tab is sent when that
// grows, are injected by the server). It also keeps the per-user socket index presence needs:
// a user with no socket is offline, and one whose every tab reports idle is idle.
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
  /** A browser tab: what it shows (so access changes can add topics to it) and its language. */
  view?: { guildId: string | null; channelId: string | null; locale: string; voice?: boolean };
  /** A browser tab said it is idle (hidden or no input for a while). */
  idle?: boolean;
  /** Times of the tab's recent frames (rate limit). */
  events?: number[];
}

/** Close codes we use (RFC 6455 plus the 4000-4999 application range). */
export const CloseCode = {
  goingAway: 1001,
  policy: 1008,
  accessChanged: 4003,
  sessionRevoked: 4004,
} as const;

export const WS_MAX_PAYLOAD = 64 * 1024;

/** Browser (HTML) topic names. JSON gateway topics are in gateway/authority.ts. */
export const Topic = {
  /** The channel a tab shows: messages, typing. */
  channelHtml: (channelId: string) => `html:channel:${channelId}`,
  /** One user's tabs: their mentions, reads, own status, DM partners' presence, session kill. */
  user: (userId: string) => `user:${userId}`,
  /** The server a tab shows, per language (rendered once per language): member list. */
  guildHtml: (guildId: string, locale: string) => `html:guild:${guildId}:${locale}`,
  /** A channel's row in the sidebar of tabs showing its server: the shared "unread" mark. */
  sidebar: (channelId: string) => `html:sidebar:${channelId}`,
  /** A server's icon on the rail of every member's tabs: the shared "unread" mark. */
  rail: (guildId: string) => `html:rail:${guildId}`,
} as const;

/** How long a user whose last socket closed stays online: a tab moving to another page reconnects within it. */
export const OFFLINE_GRACE_MS = 1500;
/** Frames a browser tab may send per minute (it only reports idle/active). */
const BROWSER_EVENTS_PER_MINUTE = 30;

export interface RecheckScope {
  /** Only this user's sockets (they joined a server, their roles changed). */
  userId?: string;
  /** Only sockets of this server's members (a channel was created or its overwrites changed). */
  guildId?: string;
}

export class Hub {
  private readonly sockets = new Set<ServerWebSocket<SocketData>>();
  /** Sockets by user (browser tabs from the start, gateway clients once identified). */
  private readonly byUser = new Map<string, Set<ServerWebSocket<SocketData>>>();
  private readonly offlineTimers = new Map<string, Timer>();
  private stopped = false;
  private server: Server<SocketData> | null = null;
  /** The JSON gateway, set up by the server once the features it needs exist. */
  gateway: Gateway | null = null;
  /** May this user still hear this topic? Injected by the server (the features know; the hub does not). */
  accessCheck: ((userId: string, topic: string) => boolean) | null = null;
  /** Every topic a browser tab should hear now, given what it shows (injected by the server). */
  browserTopics: ((data: SocketData) => string[]) | null = null;
  /** What a tab is sent when its visible channels or servers changed (fragments that refetch them). */
  refreshFragment: ((data: SocketData, changed: { sidebar: boolean; rail: boolean }) => string) | null = null;
  /** What a browser tab is sent as soon as its socket opens (e.g. its DM partners' presence). */
  welcome: ((data: SocketData) => string | null) | null = null;
  /** Told when a user's connection state may have changed (first socket, last socket gone, idle). */
  onPresence: ((userId: string) => void) | null = null;
  /** A tab's voice socket (`/ws?voice`): its frames are voice signalling, handled by the voice feature. */
  voiceFrame: ((ws: ServerWebSocket<SocketData>, text: string) => void) | null = null;
  voiceClosed: ((ws: ServerWebSocket<SocketData>) => void) | null = null;
  /** Told of every access recheck (voice drops people who lost a channel at once). */
  onRecheck: ((scope: RecheckScope) => void) | null = null;

  /**
   * After membership, roles or permission overwrites change: drop every subscription that is no
   * longer allowed and add the ones that became allowed. A browser tab that lost its channel or
   * server is closed (4003, its page would be stale); one whose list of channels or servers
   * changed is sent a fragment that refetches it. Gateway sessions get GUILD_CREATE /
   * CHANNEL_CREATE / GUILD_DELETE. Runs over the sockets in scope, only on such changes (rare next
   * to messages); the expected topics are computed once per user and page.
   */
  recheckAccess(scope: RecheckScope = {}): number {
    try {
      this.onRecheck?.(scope);
    } catch {
      // The sockets below are rechecked regardless.
    }
    const check = this.accessCheck;
    if (!check) return 0;
    let changed = 0;
    const cache = new Map<string, string[]>();
    for (const ws of this.sockets) {
      const userId = ws.data.userId;
      if (!userId || ws.data.kind !== "browser") continue;
      if (scope.userId && userId !== scope.userId) continue;
      if (scope.guildId && !scope.userId && !this.hearsGuild(ws.data, scope.guildId)) continue;
      const view = ws.data.view;
      const key = `${userId}:${view?.guildId}:${view?.channelId}:${view?.locale}`;
      let expected = cache.get(key);
      if (!expected && this.browserTopics) cache.set(key, (expected = this.browserTopics(ws.data)));
      const allowed = expected ? new Set(expected) : null;
      const lost = ws.data.topics.filter((topic) => (allowed ? !allowed.has(topic) : !check(userId, topic)));
      const gained = expected ? expected.filter((topic) => !ws.data.topics.includes(topic)) : [];
      if (lost.length === 0 && gained.length === 0) continue;
      changed++;
      // The page itself is about the channel and server it shows: without them it is stale.
      if (lost.some((topic) => topic.startsWith("html:channel:") || topic.startsWith("html:guild:"))) {
        for (const topic of lost) ws.unsubscribe(topic);
        ws.data.topics = ws.data.topics.filter((topic) => !lost.includes(topic));
        ws.close(CloseCode.accessChanged, "access changed");
        this.forget(ws);
        continue;
      }
      for (const topic of lost) ws.unsubscribe(topic);
      for (const topic of gained) ws.subscribe(topic);
      ws.data.topics = [...ws.data.topics.filter((topic) => !lost.includes(topic)), ...gained];
      const touched = [...lost, ...gained];
      const fragment = this.refreshFragment?.(ws.data, { sidebar: touched.some((t) => t.startsWith("html:sidebar:")), rail: touched.some((t) => t.startsWith("html:rail:")) });
      if (fragment) ws.send(fragment);
    }
    return changed + (this.gateway?.recheck(check, scope.userId) ?? 0);
  }

  /** Is this tab about the server (showing it, or showing it on its rail)? */
  private hearsGuild(data: SocketData, guildId: string): boolean {
    return data.view?.guildId === guildId || data.topics.includes(Topic.rail(guildId));
  }

  /** Fan-out goes through Bun's native publish: one call, every subscriber, no loop over sockets. */
  attach(server: Server<SocketData>): void {
    this.server = server;
  }

  /** Events published since start (the /metrics events counter). */
  publishedEvents = 0;

  publish(topic: string, data: string): void {
    this.publishedEvents++;
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
      if (ws.data.kind === "gateway") return this.gateway?.open(ws);
      this.bind(ws);
      try {
        const hello = this.welcome?.(ws.data);
        if (hello) ws.send(hello);
      } catch {
        // A missing welcome only delays what the next live update brings.
      }
    },
    message: (ws, raw) => {
      if (ws.data.kind === "gateway") {
        // IDENTIFY and RESUME tell who the client is: from then on it counts for presence.
        const before = ws.data.userId;
        this.gateway?.message(ws, raw);
        if (ws.data.userId && ws.data.userId !== before) this.bind(ws);
        return;
      }
      if (ws.data.view?.voice) return this.voiceFrame?.(ws, typeof raw === "string" ? raw : raw.toString("utf8"));
      this.browserFrame(ws, raw);
    },
    close: (ws) => {
      this.forget(ws);
      if (ws.data.view?.voice) this.voiceClosed?.(ws);
      if (ws.data.kind === "gateway") this.gateway?.close(ws);
    },
  };

  /**
   * Browser tabs act through HTTP; the one thing they say over the socket is whether they are
   * idle, because only the tab knows (hidden, no input) and the socket is what identifies a tab.
   * Anything else is ignored; a tab that floods is closed.
   */
  private browserFrame(ws: ServerWebSocket<SocketData>, raw: string | Buffer): void {
    const now = Date.now();
    const events = (ws.data.events ?? []).filter((at) => now - at < 60_000);
    events.push(now);
    ws.data.events = events;
    if (events.length > BROWSER_EVENTS_PER_MINUTE) return void ws.close(CloseCode.policy, "too many frames");
    const text = typeof raw === "string" ? raw : raw.toString("utf8");
    if (text.length > 100) return;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    const state = typeof frame === "object" && frame !== null ? (frame as { presence?: unknown }).presence : undefined;
    if (state !== "idle" && state !== "active") return;
    const idle = state === "idle";
    if (Boolean(ws.data.idle) === idle) return;
    ws.data.idle = idle;
    if (ws.data.userId) this.notify(ws.data.userId);
  }

  private bind(ws: ServerWebSocket<SocketData>): void {
    const userId = ws.data.userId;
    if (!userId) return;
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    if (set.has(ws)) return;
    set.add(ws);
    clearTimeout(this.offlineTimers.get(userId));
    this.offlineTimers.delete(userId);
    this.notify(userId);
  }

  /** Drop a closed socket; when it was the user's last, they go offline after a short grace. */
  private forget(ws: ServerWebSocket<SocketData>): void {
    this.sockets.delete(ws);
    const userId = ws.data.userId;
    const set = userId ? this.byUser.get(userId) : undefined;
    if (!userId || !set?.delete(ws)) return;
    if (set.size > 0) {
      // The others may all be idle now.
      this.notify(userId);
      return;
    }
    this.byUser.delete(userId);
    if (this.stopped) return;
    clearTimeout(this.offlineTimers.get(userId));
    const timer = setTimeout(() => {
      this.offlineTimers.delete(userId);
      if (!this.byUser.has(userId)) this.notify(userId);
    }, OFFLINE_GRACE_MS);
    timer.unref?.();
    this.offlineTimers.set(userId, timer);
  }

  private notify(userId: string): void {
    if (this.stopped || !this.onPresence) return;
    try {
      this.onPresence(userId);
    } catch {
      // Presence is best effort: a failure must not break the socket that triggered it.
    }
  }

  /** Does the user have at least one live socket (an open tab or client), or did the last one close within the grace? */
  isOnline(userId: string): boolean {
    return this.byUser.has(userId) || this.offlineTimers.has(userId);
  }

  /** Every socket of the user is a browser tab that reports idle (a gateway client is never auto-idle). */
  isIdle(userId: string): boolean {
    const set = this.byUser.get(userId);
    if (!set || set.size === 0) return false;
    for (const ws of set) if (ws.data.kind !== "browser" || !ws.data.idle) return false;
    return true;
  }

  /** Users with at least one socket now. */
  connectedUsers(): IterableIterator<string> {
    return this.byUser.keys();
  }

  /** How many sockets hear a topic (skip rendering for nobody). */
  subscribers(topic: string): number {
    return this.server?.subscriberCount(topic) ?? 0;
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

  /** Shutdown: close everything without announcing anyone offline (the database is closing too). */
  stop(): number {
    this.stopped = true;
    for (const timer of this.offlineTimers.values()) clearTimeout(timer);
    this.offlineTimers.clear();
    return this.closeAll();
  }

  private closeWhere(match: (d: SocketData) => boolean, code: number, reason: string): number {
    let n = 0;
    for (const ws of this.sockets) {
      if (!match(ws.data)) continue;
      ws.close(code, reason);
      this.forget(ws);
      n++;
    }
    return n;
  }
}
