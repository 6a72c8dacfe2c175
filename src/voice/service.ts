// Voice channels: joining, leaving, switches and moderation, with every permission checked here
// and enforced again by the SFU (it drops a muted peer's packets; a peer without SPEAK has no
// microphone uplink at all). The server holds the voice state; the SFU holds the media.
import { setVoiceRooms } from "../ops/metrics.ts";
import type { ServerWebSocket } from "bun";
import type { Core } from "../core.ts";
import { isSnowflake } from "../db/snowflake.ts";
import { channelAccess } from "../guilds/access.ts";
import type { RecheckScope, SocketData } from "../hub/hub.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { WorkerSfu } from "../sfu/worker-sfu.ts";
import type { Sfu, SfuEvent } from "../sfu/sfu.ts";
import { announce, roomTopic, send } from "./live.tsx";
import { flagsOf, VoiceStates, type Participant } from "./state.ts";
import { browserIceServers } from "./turn.ts";
import { dmPartnersOf, ringFor, stopRinging } from "./ring.tsx";
import { isBlocked } from "../dms/service.ts";

export class VoiceError extends Error {
  constructor(
    readonly code: "unknown_channel" | "not_voice" | "forbidden" | "full" | "not_in_voice" | "bad_request",
    message: string,
  ) {
    super(message);
  }
}

const VOICE = 2;
const DM_TYPES = new Set([1, 3]);

export interface Voice {
  core: Core;
  sfu: Sfu;
  states: VoiceStates;
  /** Connection tests (settings page): a peer alone in a room of its own, by peer id. */
  tests: Map<string, ServerWebSocket<SocketData>>;
}

const instances = new WeakMap<Core, Voice>();

/**
 * The main event loop's longest stall while voice is in use (a 20 ms timer that fires late was
 * held up): the SFU runs in its own thread, and this shows it does not hold up chat.
 */
export const mainLoopBlock = {
  max: 0,
  timer: null as Timer | null,
  start(): void {
    if (this.timer) return;
    let expected = performance.now() + 20;
    this.timer = setInterval(() => {
      const t = performance.now();
      this.max = Math.max(this.max, t - expected);
      expected = t + 20;
    }, 20);
    this.timer.unref?.();
  },
  take(): number {
    const max = Math.round(this.max * 10) / 10;
    this.max = 0;
    return max;
  },
};

/** The voice feature if anything has started it (nobody was ever in a call: undefined). */
export const runningVoice = (core: Core): Voice | undefined => instances.get(core);

/** The voice feature of a running server (its SFU thread starts on the first join). */
export function voiceOf(core: Core): Voice {
  let v = instances.get(core);
  if (!v) {
    const cfg = core.config.voice;
    const sfu = new WorkerSfu({ portRange: cfg?.ports ?? null, listenIp: cfg?.listenIp ?? null, announcedIp: cfg?.publicIp ?? null, ipv6: false });
    const states = new VoiceStates();
    states.onRoomsChanged = (rooms) => setVoiceRooms(core, rooms);
    v = { core, sfu, states, tests: new Map() };
    const voice = v;
    sfu.onEvent((event) => onSfuEvent(voice, event));
    instances.set(core, v);
  }
  return v;
}

function grantsOf(permissions: bigint): Participant["grants"] {
  return { speak: has(permissions, Permission.SPEAK), stream: has(permissions, Permission.STREAM), vad: has(permissions, Permission.USE_VAD), priority: has(permissions, Permission.PRIORITY_SPEAKER) };
}

function voiceChannel(core: Core, userId: string, channelId: string) {
  const access = isSnowflake(channelId) ? channelAccess(core, userId, channelId) : null;
  if (!access) throw new VoiceError("unknown_channel", "Unknown channel.");
  if (access.channel.type !== VOICE && !DM_TYPES.has(access.channel.type)) throw new VoiceError("not_voice", "This is not a voice channel.");
  return access;
}

export async function join(v: Voice, ws: ServerWebSocket<SocketData>, userId: string, channelId: string): Promise<Participant> {
  const access = voiceChannel(v.core, userId, channelId);
  if (!has(access.permissions, Permission.CONNECT)) throw new VoiceError("forbidden", "You may not connect to this channel.");
  // A 1:1 DM where either person blocked the other has no calls (as it has no new messages).
  if (access.channel.type === 1 && dmPartnersOf(v.core, channelId, userId).some((other) => isBlocked(v.core, userId, other) || isBlocked(v.core, other, userId))) throw new VoiceError("forbidden", "You cannot call this person.");
  const here = v.states.inChannel(channelId).filter((p) => p.userId !== userId);
  // Like Discord: people who may move members can enter a full channel.
  if (access.channel.userLimit > 0 && here.length >= access.channel.userLimit && !has(access.permissions, Permission.MOVE_MEMBERS)) throw new VoiceError("full", "This voice channel is full.");
  const previous = v.states.ofUser(userId);
  if (previous) await leave(v, previous, previous.ws === ws ? "switched" : "joined elsewhere");
  const p: Participant = {
    userId,
    channelId,
    guildId: access.channel.guildId,
    peerId: crypto.randomUUID(),
    ws,
    selfMute: false,
    selfDeaf: false,
    // Server mute and deafen follow the member across channels while they stay in voice.
    serverMute: previous?.serverMute ?? false,
    serverDeaf: previous?.serverDeaf ?? false,
    video: false,
    stream: false,
    speaking: false,
    talking: false,
    grants: grantsOf(access.permissions),
    joinedAt: Date.now(),
  };
  v.states.add(p);
  mainLoopBlock.start();
  ws.subscribe(roomTopic(channelId));
  send(ws, { v: "joined", channel: channelId, guild: p.guildId, user: userId, grants: p.grants, ice: browserIceServers(v.core.config.voice, userId) });
  try {
    await v.sfu.join(channelId, p.peerId, userId, { speak: p.grants.speak, stream: p.grants.stream, vad: p.grants.vad }, flagsOf(p));
  } catch (err) {
    v.states.remove(p);
    ws.unsubscribe(roomTopic(channelId));
    throw err;
  }
  announce(v, p, channelId);
  if (p.guildId === null) ringFor(v, channelId, userId);
  return p;
}

export async function leave(v: Voice, p: Participant, reason: string): Promise<void> {
  if (!v.states.remove(p)) return;
  try {
    p.ws.unsubscribe(roomTopic(p.channelId));
    send(p.ws, { v: "left", channel: p.channelId, reason });
  } catch {
    // The socket is already closed.
  }
  announce(v, p, null);
  if (p.guildId === null && v.states.inChannel(p.channelId).length === 0) stopRinging(v, p.channelId);
  await v.sfu.leave(p.peerId).catch(() => {});
}

/** Push new grants and switches to the SFU (it enforces them per packet). */
export async function push(v: Voice, p: Participant): Promise<void> {
  await v.sfu.update(p.peerId, { speak: p.grants.speak, stream: p.grants.stream, vad: p.grants.vad }, flagsOf(p));
}

export async function setSelf(v: Voice, p: Participant, change: { selfMute?: boolean; selfDeaf?: boolean }): Promise<void> {
  if (change.selfMute !== undefined) p.selfMute = change.selfMute;
  if (change.selfDeaf !== undefined) p.selfDeaf = change.selfDeaf;
  await push(v, p);
  announce(v, p, p.channelId);
}

export async function publish(v: Voice, p: Participant, source: "camera" | "screen" | "screenAudio", on: boolean): Promise<void> {
  if (on && !p.grants.stream) throw new VoiceError("forbidden", "You may not share video in this channel.");
  await v.sfu.publish(p.peerId, source, on);
  if (source === "camera") p.video = on;
  else if (source === "screen") p.stream = on;
  announce(v, p, p.channelId);
}

/**
 * A moderator's action on someone in voice: server mute (MUTE_MEMBERS), server deafen
 * (DEAFEN_MEMBERS), move to another voice channel or disconnect (MOVE_MEMBERS, and for a move
 * the target must be allowed to connect there), checked in the channel they are in.
 */
export async function moderate(v: Voice, actorId: string, targetId: string, change: { mute?: boolean; deaf?: boolean; channel?: string | null }): Promise<void> {
  const target = v.states.ofUser(targetId);
  if (!target || target.guildId === null) throw new VoiceError("not_in_voice", "That member is not in a voice channel.");
  const access = channelAccess(v.core, actorId, target.channelId);
  if (!access) throw new VoiceError("not_in_voice", "That member is not in a voice channel.");
  const need = (p: bigint) => {
    if (!has(access.permissions, p)) throw new VoiceError("forbidden", "Missing permission.");
  };
  if (change.mute !== undefined) need(Permission.MUTE_MEMBERS);
  if (change.deaf !== undefined) need(Permission.DEAFEN_MEMBERS);
  if (change.channel !== undefined) need(Permission.MOVE_MEMBERS);
  if (change.channel === null) return leave(v, target, "disconnected by a moderator");
  if (change.channel !== undefined) {
    const dest = voiceChannel(v.core, actorId, change.channel);
    if (dest.channel.guildId !== target.guildId || !has(dest.permissions, Permission.CONNECT)) throw new VoiceError("forbidden", "You may not move members there.");
    const theirs = channelAccess(v.core, targetId, change.channel);
    if (!theirs || !has(theirs.permissions, Permission.CONNECT)) throw new VoiceError("forbidden", "That member may not connect there.");
    // The client reconnects to the new channel when told (its media connection is per room).
    send(target.ws, { v: "move", channel: change.channel });
  }
  if (change.mute !== undefined) target.serverMute = change.mute;
  if (change.deaf !== undefined) target.serverDeaf = change.deaf;
  if (change.mute !== undefined || change.deaf !== undefined) {
    await push(v, target);
    announce(v, target, target.channelId);
  }
}

/** After membership, roles or overwrites changed: drop who lost CONNECT, regrant the others. */
export function recheck(v: Voice, scope: RecheckScope): void {
  for (const p of [...v.states.all()]) {
    if (scope.userId && p.userId !== scope.userId) continue;
    if (scope.guildId && p.guildId !== scope.guildId) continue;
    const access = channelAccess(v.core, p.userId, p.channelId);
    if (!access || !has(access.permissions, Permission.CONNECT)) {
      void leave(v, p, "access changed");
      continue;
    }
    const grants = grantsOf(access.permissions);
    if (JSON.stringify(grants) === JSON.stringify(p.grants)) continue;
    p.grants = grants;
    if (!grants.stream) {
      p.video = false;
      p.stream = false;
    }
    void push(v, p).catch(() => {});
    announce(v, p, p.channelId);
  }
}

/**
 * The voice connection test: the user's browser connects to the SFU exactly as in a call, alone
 * in a room of its own, and reads what worked from its own WebRTC statistics (direct UDP or
 * TURN, round-trip time, packet loss as the SFU's receiver reports tell it).
 */
export async function startTest(v: Voice, ws: ServerWebSocket<SocketData>, userId: string): Promise<void> {
  endTests(v, ws);
  const peerId = crypto.randomUUID();
  v.tests.set(peerId, ws);
  send(ws, { v: "joined", test: true, user: userId, grants: { speak: true, stream: false, vad: true, priority: false }, ice: browserIceServers(v.core.config.voice, userId) });
  await v.sfu.join(`test:${peerId}`, peerId, userId, { speak: true, stream: false, vad: true }, { muted: false, deaf: false, talking: false });
}

export function endTests(v: Voice, ws: ServerWebSocket<SocketData>): boolean {
  let ended = false;
  for (const [peerId, owner] of v.tests) {
    if (owner !== ws) continue;
    v.tests.delete(peerId);
    void v.sfu.leave(peerId).catch(() => {});
    ended = true;
  }
  return ended;
}

function onSfuEvent(v: Voice, event: SfuEvent): void {
  const test = v.tests.get(event.peer);
  if (test) {
    if (event.event === "offer") send(test, { v: "offer", sdp: event.sdp, uplink: event.uplink, tracks: event.tracks });
    if (event.event === "gone") v.tests.delete(event.peer);
    return;
  }
  const p = v.states.ofPeer(event.peer);
  if (!p) return;
  if (event.event === "offer") send(p.ws, { v: "offer", sdp: event.sdp, uplink: event.uplink, tracks: event.tracks });
  else if (event.event === "speaking") {
    p.speaking = event.speaking;
    speakingSoon(v, p);
  } else if (event.event === "gone") void leave(v, p, event.reason);
}

/**
 * Speaking flips many times a second in a busy room; each room's list is re-rendered at most
 * every SPEAKING_BATCH_MS with the latest state (one render and three publishes per batch).
 */
const SPEAKING_BATCH_MS = 200;
const speakingBatches = new Map<string, Timer>();
function speakingSoon(v: Voice, p: Participant): void {
  if (speakingBatches.has(p.channelId)) return;
  const channelId = p.channelId;
  const timer = setTimeout(() => {
    speakingBatches.delete(channelId);
    const anyone = v.states.inChannel(channelId)[0];
    if (anyone) announce(v, anyone, channelId, true);
  }, SPEAKING_BATCH_MS);
  timer.unref?.();
  speakingBatches.set(channelId, timer);
}

/** Shutdown: everyone leaves, the SFU thread ends. */
export async function stopVoice(core: Core): Promise<void> {
  const v = instances.get(core);
  if (!v) return;
  for (const p of [...v.states.all()]) await leave(v, p, "server stopping");
  await v.sfu.close();
}
