// The JSON gateway for bots and API clients, framed as Discord's v10 gateway: HELLO, IDENTIFY,
// READY, dispatches with `s`, HEARTBEAT/ACK, RESUME, INVALID_SESSION, RECONNECT.
//
// Sequence numbers are global to the hub, not per connection: a dispatch is serialised once and
// the same bytes go to every subscriber through Bun's publish. Discord clients only store the
// last `s` they saw and hand it back on RESUME, so numbers need to increase, not be contiguous.
// A bounded ring of recent dispatches serves RESUME; a client whose `s` fell out of it is told
// INVALID_SESSION (no silent loss).
import type { ServerWebSocket } from "bun";
import type { SocketData } from "./hub.ts";
import { contentVisibleTo, isContentEvent, MAX_INTENTS, redactContent, suffixesFor, suffixOf, withoutContent } from "./intents.ts";

export const Op = { dispatch: 0, heartbeat: 1, identify: 2, presenceUpdate: 3, voiceStateUpdate: 4, resume: 6, reconnect: 7, invalidSession: 9, hello: 10, heartbeatAck: 11 } as const;
export const GatewayClose = { unknownError: 4000, unknownOpcode: 4001, decodeError: 4002, notAuthenticated: 4003, authenticationFailed: 4004, alreadyAuthenticated: 4005, rateLimited: 4008, sessionTimedOut: 4009, invalidIntents: 4013 } as const;

export const HEARTBEAT_INTERVAL_MS = 41_250;
/** Discord: 120 gateway events per 60 s per connection. */
const EVENTS_PER_MINUTE = 120;
const RING_SIZE = 5000;
/** How long a disconnected session can be resumed. */
const RESUME_WINDOW_MS = 5 * 60_000;

export interface Identity {
  userId: string;
  /** The auth session behind the token (so signing out closes the gateway too), if any. */
  authSessionId: string | null;
  /** Bots get the events of their IDENTIFY intents; people's clients get everything, as on Discord. */
  bot: boolean;
  topics: string[];
  ready: Record<string, unknown>;
  /** Sent right after READY (GUILD_CREATE per server). */
  followUps: { t: string; d: unknown }[];
}

/** What the gateway needs from the features, injected so the hub imports none of them. */
export interface GatewayAuthority {
  identify(token: string): Identity | null;
  /** The user a token belongs to (RESUME must come from the same user). */
  userOf(token: string): string | null;
  /** Every JSON topic the user may hear now (servers, their visible channels, DMs, own topic). */
  topics(userId: string): string[];
  /** GUILD_CREATE's payload for a server the user just gained, or null when they cannot see it. */
  guildCreate(userId: string, guildId: string): unknown;
  /** CHANNEL_CREATE's payload for a channel the user just gained (`guild_id` tells its server). */
  channelCreate(channelId: string): { guild_id?: string | null } | null;
  /** op 3 PRESENCE_UPDATE: false when `d` is malformed (the connection is then closed). */
  presence(userId: string, d: unknown): boolean;
  /** op 4 VOICE_STATE_UPDATE: false when `d` is malformed (the connection is then closed). */
  voiceState?(userId: string, d: unknown): boolean;
}

interface Dispatch {
  s: number;
  topic: string;
  frame: string;
}

interface GatewaySession {
  id: string;
  userId: string;
  authSessionId: string | null;
  /** What it may hear (json:channel:1, ...); it is subscribed to their sub-topics for its intents (intents.ts). */
  topics: Set<string>;
  /** Its own topic (READY, GUILD_CREATE, per-session message frames). */
  own: string;
  /** IDENTIFY's intents; null when it sent none (a person's client): everything. */
  intents: number | null;
  suffixes: Set<string>;
  socket: ServerWebSocket<SocketData> | null;
  detachedAt: number | null;
}

export class Gateway {
  private seq = 0;
  private readonly ring: Dispatch[] = [];
  private readonly sessions = new Map<string, GatewaySession>();
  /** Sessions with GUILD_MESSAGES but not MESSAGE_CONTENT: they get guild messages one frame per session. */
  private readonly noContent = new Set<GatewaySession>();
  /** Told of every dispatch after it is published (event subscriptions); an observer must not throw. */
  readonly observers: ((topic: string, t: string, d: unknown) => void)[] = [];

  constructor(
    private readonly authority: GatewayAuthority,
    private readonly publishRaw: (topic: string, data: string) => void,
    private readonly resumeUrl: () => string,
  ) {}

  /** Number a dispatch, keep it for RESUME, publish it to the topic's subscribers. */
  dispatch(topic: string, t: string, d: unknown): number {
    const s = ++this.seq;
    const suffix = topic.startsWith("gateway:") ? null : suffixOf(t, d);
    // With no session at all (none connected, none waiting to resume) nobody can hear or replay
    // this frame: skip making it. A session created later starts after it.
    if (this.sessions.size > 0) this.emit(s, suffix ? `${topic}|${suffix}` : topic, JSON.stringify({ op: Op.dispatch, t, s, d }));
    // Without MESSAGE_CONTENT the frame depends on the recipient (its own messages and mentions
    // keep their content), so these few sessions (bots that did not ask for content) get their own.
    if (this.noContent.size > 0 && isContentEvent(suffix)) {
      for (const session of this.noContent) {
        if (session.topics.has(topic)) this.emit(s, session.own, JSON.stringify({ op: Op.dispatch, t, s, d: contentVisibleTo(d, session.userId) ? d : redactContent(d) }));
      }
    }
    for (const observe of this.observers) {
      try {
        observe(topic, t, d);
      } catch {
        // An observer's failure is its own; the dispatch has gone out.
      }
    }
    return s;
  }

  private emit(s: number, topic: string, frame: string): void {
    this.ring.push({ s, topic, frame });
    // Trimmed by a quarter at a time: shifting 5,000 entries on every dispatch cost microseconds each.
    if (this.ring.length > RING_SIZE + RING_SIZE / 4) this.ring.splice(0, this.ring.length - RING_SIZE);
    this.publishRaw(topic, frame);
  }

  /** The Bun topics behind one topic of a session: its intents' sub-topics (and the topic itself). */
  private physical(session: GatewaySession, topic: string): string[] {
    return topic.startsWith("gateway:") ? [topic] : [topic, ...[...session.suffixes].map((x) => `${topic}|${x}`)];
  }

  private hears(session: GatewaySession, physical: string): boolean {
    const bar = physical.indexOf("|");
    if (bar === -1) return session.topics.has(physical);
    return session.topics.has(physical.slice(0, bar)) && session.suffixes.has(physical.slice(bar + 1));
  }

  private subscribe(session: GatewaySession, topic: string, on: boolean): void {
    if (!session.socket) return;
    for (const t of this.physical(session, topic)) {
      if (on) session.socket.subscribe(t);
      else session.socket.unsubscribe(t);
    }
  }

  open(ws: ServerWebSocket<SocketData>): void {
    ws.data.gateway = { sessionId: null, events: [], };
    ws.send(JSON.stringify({ op: Op.hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS }, s: null, t: null }));
  }

  close(ws: ServerWebSocket<SocketData>): void {
    const id = ws.data.gateway?.sessionId;
    const session = id ? this.sessions.get(id) : undefined;
    if (session && session.socket === ws) {
      session.socket = null;
      session.detachedAt = Date.now();
    }
    this.sweep();
  }

  message(ws: ServerWebSocket<SocketData>, raw: string | Buffer): void {
    const state = ws.data.gateway!;
    const now = Date.now();
    state.events = state.events.filter((at) => now - at < 60_000);
    state.events.push(now);
    if (state.events.length > EVENTS_PER_MINUTE) return ws.close(GatewayClose.rateLimited, "You are being rate limited.");
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
    } catch {
      return ws.close(GatewayClose.decodeError, "Decode error.");
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return ws.close(GatewayClose.decodeError, "Decode error.");
    switch (payload.op) {
      case Op.heartbeat:
        ws.send(JSON.stringify({ op: Op.heartbeatAck }));
        return;
      case Op.identify:
        return this.identify(ws, payload.d);
      case Op.presenceUpdate: {
        const session = state.sessionId ? this.sessions.get(state.sessionId) : undefined;
        if (!session) return ws.close(GatewayClose.notAuthenticated, "Not authenticated.");
        if (!this.authority.presence(session.userId, payload.d)) return ws.close(GatewayClose.decodeError, "Decode error.");
        return;
      }
      case Op.voiceStateUpdate: {
        const session = state.sessionId ? this.sessions.get(state.sessionId) : undefined;
        if (!session) return ws.close(GatewayClose.notAuthenticated, "Not authenticated.");
        if (!this.authority.voiceState?.(session.userId, payload.d)) return ws.close(GatewayClose.decodeError, "Decode error.");
        return;
      }
      case Op.resume:
        return this.resume(ws, payload.d);
      default:
        return ws.close(GatewayClose.unknownOpcode, "Unknown opcode.");
    }
  }

  private identify(ws: ServerWebSocket<SocketData>, d: unknown): void {
    if (ws.data.gateway!.sessionId) return ws.close(GatewayClose.alreadyAuthenticated, "Already authenticated.");
    const token = typeof d === "object" && d !== null && typeof (d as { token?: unknown }).token === "string" ? (d as { token: string }).token : null;
    const identity = token ? this.authority.identify(token) : null;
    if (!identity) return ws.close(GatewayClose.authenticationFailed, "Authentication failed.");
    const rawIntents = (d as { intents?: unknown }).intents;
    if (rawIntents !== undefined && rawIntents !== null && !(Number.isInteger(rawIntents) && (rawIntents as number) >= 0 && (rawIntents as number) <= MAX_INTENTS)) {
      return ws.close(GatewayClose.invalidIntents, "Invalid intent(s).");
    }
    const intents = identity.bot && typeof rawIntents === "number" ? rawIntents : null;
    const own = `gateway:${crypto.randomUUID()}`;
    const session: GatewaySession = {
      id: crypto.randomUUID().replaceAll("-", ""),
      userId: identity.userId,
      authSessionId: identity.authSessionId,
      topics: new Set([...identity.topics, own]),
      own,
      intents,
      suffixes: new Set(suffixesFor(intents)),
      socket: ws,
      detachedAt: null,
    };
    this.sessions.set(session.id, session);
    if (withoutContent(intents)) this.noContent.add(session);
    this.attach(ws, session);
    this.dispatch(own, "READY", { v: 10, ...identity.ready, session_id: session.id, resume_gateway_url: this.resumeUrl() });
    for (const f of identity.followUps) this.dispatch(own, f.t, f.d);
  }

  private resume(ws: ServerWebSocket<SocketData>, d: unknown): void {
    const { token, session_id: sessionId, seq } = (typeof d === "object" && d !== null ? d : {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
    const session = typeof sessionId === "string" ? this.sessions.get(sessionId) : undefined;
    const userId = typeof token === "string" ? this.authority.userOf(token) : null;
    const oldest = this.ring[0]?.s ?? this.seq + 1;
    const tooLate = typeof seq !== "number" || seq < oldest - 1 || seq > this.seq;
    if (!session || !userId || session.userId !== userId || tooLate || (session.detachedAt !== null && Date.now() - session.detachedAt > RESUME_WINDOW_MS)) {
      if (session && session.socket === null) this.forget(session);
      ws.send(JSON.stringify({ op: Op.invalidSession, d: false, s: null, t: null }));
      return;
    }
    session.socket?.close(GatewayClose.sessionTimedOut, "Resumed elsewhere.");
    this.attach(ws, session);
    // Replay in order everything this session would have received, then say RESUMED.
    for (const event of this.ring) if (event.s > (seq as number) && this.hears(session, event.topic)) ws.send(event.frame);
    this.dispatch(session.own, "RESUMED", null);
  }

  private attach(ws: ServerWebSocket<SocketData>, session: GatewaySession): void {
    session.socket = ws;
    session.detachedAt = null;
    ws.data.gateway!.sessionId = session.id;
    ws.data.userId = session.userId;
    ws.data.sessionId = session.authSessionId;
    for (const topic of session.topics) this.subscribe(session, topic, true);
  }

  private forget(session: GatewaySession): void {
    this.sessions.delete(session.id);
    this.noContent.delete(session);
  }

  /** Forget detached sessions past the resume window. */
  private sweep(): void {
    const now = Date.now();
    for (const s of this.sessions.values()) if (s.socket === null && s.detachedAt !== null && now - s.detachedAt > RESUME_WINDOW_MS) this.forget(s);
  }

  /**
   * After access changes: sessions stop hearing what they may no longer see and start hearing
   * what they now may, told as Discord does: GUILD_CREATE for a server they joined,
   * CHANNEL_CREATE for a channel that became visible, GUILD_DELETE for a server they lost.
   * Detached sessions are updated too, so a RESUME replays the right events.
   */
  recheck(allowed: (userId: string, topic: string) => boolean, onlyUser?: string): number {
    let changed = 0;
    const expectedOf = new Map<string, Set<string>>();
    for (const session of this.sessions.values()) {
      if (onlyUser && session.userId !== onlyUser) continue;
      let expected = expectedOf.get(session.userId);
      if (!expected) expectedOf.set(session.userId, (expected = new Set(this.authority.topics(session.userId))));
      const own = session.own;
      for (const topic of session.topics) {
        if (topic.startsWith("gateway:") || (expected.has(topic) && allowed(session.userId, topic))) continue;
        session.topics.delete(topic);
        this.subscribe(session, topic, false);
        changed++;
        const guild = /^json:guild:(\d+)$/.exec(topic);
        if (guild) this.dispatch(own, "GUILD_DELETE", { id: guild[1] });
      }
      const gained = [...expected].filter((topic) => !session.topics.has(topic));
      for (const topic of gained) {
        session.topics.add(topic);
        this.subscribe(session, topic, true);
        changed++;
      }
      const newGuilds = new Set(gained.flatMap((topic) => /^json:guild:(\d+)$/.exec(topic)?.[1] ?? []));
      for (const guildId of newGuilds) {
        const d = this.authority.guildCreate(session.userId, guildId);
        if (d) this.dispatch(own, "GUILD_CREATE", d);
      }
      for (const topic of gained) {
        const channelId = /^json:channel:(\d+)$/.exec(topic)?.[1];
        if (!channelId) continue;
        const d = this.authority.channelCreate(channelId);
        // A new server's channels came with its GUILD_CREATE.
        if (d && !(d.guild_id && newGuilds.has(d.guild_id))) this.dispatch(own, "CHANNEL_CREATE", d);
      }
    }
    return changed;
  }

  /** Drop every session of a signed-out auth session, so it cannot be resumed either. */
  forgetAuthSession(authSessionId: string): void {
    for (const s of this.sessions.values()) if (s.authSessionId === authSessionId) this.forget(s);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
