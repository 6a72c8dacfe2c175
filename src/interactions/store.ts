// Live interactions: an interaction's token lets its application answer for 15 minutes (Discord's
// rule), then it is gone. They live in memory: a restart ends pending interactions, as a gateway
// reconnect does on Discord, and nothing needs cleaning up in the database.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Core } from "../core.ts";
import type { Message } from "../messages/table.ts";

export const TOKEN_TTL_MS = 15 * 60_000;

export interface Pending {
  id: string;
  appId: string;
  type: 2 | 3;
  tokenHash: Buffer;
  userId: string;
  channelId: string;
  guildId: string | null;
  /** The message a component sits on (type 3). */
  componentMessageId: string | null;
  /** The response message (@original), once there is one. */
  original: Message | null;
  /** Ephemeral messages are not stored: they are kept here (by id) for edits. */
  ephemeral: Map<string, Message>;
  deferredEphemeral: boolean;
  responded: number | null;
  createdAt: number;
}

const stores = new WeakMap<Core, Map<string, Pending>>();
function store(core: Core): Map<string, Pending> {
  let s = stores.get(core);
  if (!s) stores.set(core, (s = new Map()));
  return s;
}

const hash = (token: string) => createHash("sha256").update(token).digest();

export function remember(core: Core, p: Omit<Pending, "tokenHash" | "original" | "ephemeral" | "deferredEphemeral" | "responded" | "createdAt">): { pending: Pending; token: string } {
  const s = store(core);
  const now = Date.now();
  for (const [id, old] of s) if (now - old.createdAt > TOKEN_TTL_MS) s.delete(id);
  const token = `aW50ZXJhY3Rpb24.${randomBytes(32).toString("base64url")}`;
  const pending: Pending = { ...p, tokenHash: hash(token), original: null, ephemeral: new Map(), deferredEphemeral: false, responded: null, createdAt: now };
  s.set(p.id, pending);
  return { pending, token };
}

const tokenOk = (p: Pending, token: string) => Date.now() - p.createdAt <= TOKEN_TTL_MS && timingSafeEqual(p.tokenHash, hash(token));

/** By interaction id and token (the callback); null when unknown, expired or the token is wrong. */
export function byId(core: Core, id: string, token: string): Pending | null {
  const p = store(core).get(id);
  return p && tokenOk(p, token) ? p : null;
}

/** By application id and token (follow-ups through /webhooks/{application_id}/{token}). */
export function byToken(core: Core, appId: string, token: string): Pending | null {
  if (token.length > 200) return null;
  const h = hash(token);
  for (const p of store(core).values()) if (p.appId === appId && timingSafeEqual(p.tokenHash, h)) return tokenOk(p, token) ? p : null;
  return null;
}

/** An application was deleted: its pending interactions' tokens stop at once. */
export function forgetApplication(core: Core, appId: string): void {
  const s = store(core);
  for (const [id, p] of s) if (p.appId === appId) s.delete(id);
}
