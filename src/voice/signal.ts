// The voice socket's frames (a tab opens `/ws?voice` for its call): JSON objects with a `v`
// op, validated here, answered with `{v: "error", op, code, message}` when refused. The protocol
// is written down in docs/voice.md.
import type { ServerWebSocket } from "bun";
import { z } from "zod";
import { CloseCode, type SocketData } from "../hub/hub.ts";
import { send } from "./live.tsx";
import { endTests, join, leave, moderate, publish, push, setSelf, startTest, VoiceError, type Voice } from "./service.ts";

const id = z.string().regex(/^\d{1,20}$/);
/** An SDP is text of bounded size (the socket frame limit is 64 KiB anyway). */
const sdp = z.string().min(10).max(60_000);

const frame = z.discriminatedUnion("v", [
  z.strictObject({ v: z.literal("join"), channel: id }),
  z.strictObject({ v: z.literal("leave") }),
  z.strictObject({ v: z.literal("test") }),
  z.strictObject({ v: z.literal("answer"), sdp }),
  z.strictObject({ v: z.literal("state"), selfMute: z.boolean().optional(), selfDeaf: z.boolean().optional() }),
  z.strictObject({ v: z.literal("ptt"), on: z.boolean() }),
  z.strictObject({ v: z.literal("publish"), source: z.enum(["camera", "screen", "screenAudio"]), on: z.boolean() }),
  z.strictObject({ v: z.literal("restart") }),
  // The size (device pixels) each camera is shown at; 0 x 0 for a tile out of sight.
  z.strictObject({ v: z.literal("view"), tiles: z.array(z.strictObject({ user: id, source: z.literal("camera"), width: z.number().int().min(0).max(16384), height: z.number().int().min(0).max(16384) })).max(100) }),
  z.strictObject({ v: z.literal("mod"), user: id, mute: z.boolean().optional(), deaf: z.boolean().optional(), channel: id.nullable().optional() }),
]);

/** Push-to-talk toggles twice per press: generous, but a flood still closes the socket. */
const FRAMES_PER_10S = 200;

export async function voiceFrame(v: Voice, ws: ServerWebSocket<SocketData>, text: string): Promise<void> {
  const now = Date.now();
  const events = (ws.data.events ?? []).filter((at) => now - at < 10_000);
  events.push(now);
  ws.data.events = events;
  if (events.length > FRAMES_PER_10S) return void ws.close(CloseCode.policy, "too many frames");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return send(ws, { v: "error", code: "bad_request", message: "Frames are JSON objects." });
  }
  const parsed = frame.safeParse(raw);
  const op = typeof raw === "object" && raw !== null ? (raw as { v?: unknown }).v : undefined;
  if (!parsed.success) return send(ws, { v: "error", op: typeof op === "string" ? op.slice(0, 20) : null, code: "bad_request", message: "Unknown or malformed voice frame." });
  const f = parsed.data;
  const userId = ws.data.userId!;
  try {
    if (f.v === "join") return void (await join(v, ws, userId, f.channel));
    if (f.v === "test") return await startTest(v, ws, userId);
    if (f.v === "answer" && [...v.tests].some(([, owner]) => owner === ws)) {
      const peerId = [...v.tests].find(([, owner]) => owner === ws)![0];
      return await v.sfu.answer(peerId, f.sdp);
    }
    if (f.v === "leave" && endTests(v, ws)) return send(ws, { v: "left", channel: null, reason: "left" });
    if (f.v === "mod") return await moderate(v, userId, f.user, { mute: f.mute, deaf: f.deaf, channel: f.channel });
    const p = v.states.ofUser(userId);
    // A frame from a tab whose call moved to another tab is not about the current call.
    if (!p || p.ws !== ws) throw new VoiceError("not_in_voice", "You are not in a voice channel.");
    switch (f.v) {
      case "leave":
        return await leave(v, p, "left");
      case "answer":
        return await v.sfu.answer(p.peerId, f.sdp);
      case "state":
        return await setSelf(v, p, f);
      case "ptt":
        p.talking = f.on;
        return await push(v, p);
      case "publish":
        return await publish(v, p, f.source, f.on);
      case "restart":
        return await v.sfu.restartIce(p.peerId);
      case "view":
        for (const t of f.tiles) await v.sfu.view(p.peerId, t.user, t.source, t.width, t.height);
        return;
    }
  } catch (err) {
    const code = err instanceof VoiceError ? err.code : "bad_request";
    const message = err instanceof VoiceError ? err.message : `Refused: ${(err as Error).message}`;
    send(ws, { v: "error", op: f.v, code, message });
  }
}

/** The tab's voice socket closed: its call ends (its media connection lived in that page). */
export function voiceClosed(v: Voice, ws: ServerWebSocket<SocketData>): void {
  endTests(v, ws);
  const p = ws.data.userId ? v.states.ofUser(ws.data.userId) : undefined;
  if (p && p.ws === ws) void leave(v, p, "socket closed");
}
