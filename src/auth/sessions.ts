// Server-side sessions. A browser keeps its token in an HttpOnly cookie, an API client sends it
// as a bearer token; either way the row is the truth: deleting it signs the device out at once,
// and the hub closes that session's live sockets in the same step.
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { readBatch } from "../db/client.ts";
import { TableMemory } from "../db/table-memory.ts";
import { ids } from "../db/snowflake.ts";
import { formatToken, newSecret, secretMatches, type ParsedToken } from "./tokens.ts";
import { sessions, users, type Session, type User } from "./table.ts";

/** Sessions live 30 days from their last use. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** last_seen is written at most this often per session (a write per request would be waste). */
const TOUCH_EVERY_MS = 60_000;

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

/** A short human name for the device, from the User-Agent ("Firefox on Linux"). */
export function deviceName(userAgent: string | undefined): string {
  if (!userAgent) return "Unknown device";
  const ua = userAgent.slice(0, 512);
  const browser =
    /Edg\//.test(ua) ? "Edge" : /OPR\//.test(ua) ? "Opera" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : null;
  if (browser && os) return `${browser} on ${os}`;
  if (browser || os) return (browser ?? os)!;
  return ua.replace(/[^\x20-\x7e]/g, "").slice(0, 60) || "Unknown device";
}

export async function createSession(core: Core, userId: string, kind: Session["kind"], client: ClientInfo): Promise<{ token: string; session: Session }> {
  const { secret, hash } = newSecret();
  const id = ids.nextString();
  const now = new Date();
  const session = await core.queue.write(({ orm }) =>
    orm
      .insert(sessions)
      .values({
        id,
        userId,
        secretHash: hash,
        kind,
        device: deviceName(client.userAgent),
        ip: client.ip,
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      })
      .returning()
      .get(),
  );
  return { token: formatToken("session", id, secret), session };
}

// Every authenticated request runs this lookup: prepared once per connection.
const sessionQueries = new WeakMap<Core["db"], ReturnType<typeof buildSessionQuery>>();
// Two lookups by primary key rather than a join: bun:sqlite reads a joined row several times slower.
const buildSessionQuery = (orm: Core["db"]["readOrm"]) => ({
  session: orm.select().from(sessions).where(eq(sessions.id, sql.placeholder("id"))).prepare(),
  user: orm.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare(),
});
function sessionQuery(core: Core) {
  let q = sessionQueries.get(core.db);
  if (!q) sessionQueries.set(core.db, (q = buildSessionQuery(core.db.readOrm)));
  return q;
}

/** The session and its user for a parsed session token, or null when it is not (or no longer) valid. */
export function resolveSession(core: Core, token: ParsedToken): { session: Session; user: User } | null {
  return lookupSession(core, token);
}

// Asked on every authenticated request: the rows are remembered while the sessions and users tables
// are unchanged (db/table-memory.ts); a sign-out, a password change or a profile edit starts afresh.
// The secret and the expiry are checked on every request, remembered rows or not.
const memories = new WeakMap<Core["db"], TableMemory<{ session: Session; user: User | undefined } | null>>();
function sessionRows(core: Core, id: string) {
  let memory = memories.get(core.db);
  if (!memory) memories.set(core.db, (memory = new TableMemory(core.db, "sessions", ["sessions", "users"])));
  return memory.get(id, () =>
    readBatch(core.db, () => {
      const q = sessionQuery(core);
      const session = q.session.get({ id: BigInt(id) });
      return session ? { session, user: q.user.get({ id: session.userId }) } : null;
    }),
  );
}

function lookupSession(core: Core, token: ParsedToken): { session: Session; user: User } | null {
  if (token.kind !== "session") return null;
  const rows = sessionRows(core, token.id);
  if (!rows || !secretMatches(token.secret, rows.session.secretHash)) return null;
  const { session, user } = rows;
  if (!user) return null;
  if (session.expiresAt <= new Date().toISOString() || user.deactivatedAt || user.deletedAt) return null;
  touch(core, session);
  return { session, user };
}

function touch(core: Core, session: Session): void {
  const now = Date.now();
  if (now - Date.parse(session.lastSeenAt) < TOUCH_EVERY_MS) return;
  const lastSeenAt = new Date(now).toISOString();
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  core.queue
    .write(({ orm }) => orm.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, session.id)).run())
    .catch((err) => core.logger.warn("could not record session activity", { err }));
}

export function listSessions(core: Core, userId: string): Session[] {
  return core.db.readOrm.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(sessions.lastSeenAt).all().reverse();
}

/** Delete one of the user's sessions; false when it is not theirs or does not exist. */
export async function revokeSession(core: Core, userId: string, sessionId: string): Promise<boolean> {
  const changes = await core.queue.write(({ orm }) => orm.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId))).returning({ id: sessions.id }).all().length);
  core.hub.disconnectSession(sessionId);
  return changes > 0;
}

/** Delete every session of the user except `keep` (null: all of them). */
export async function revokeAllSessions(core: Core, userId: string, keep: string | null): Promise<number> {
  const gone = await core.queue.write(({ orm }) => {
    const where = keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId);
    return orm.delete(sessions).where(where).returning({ id: sessions.id }).all();
  });
  for (const { id } of gone) core.hub.disconnectSession(id);
  return gone.length;
}

/** Of these session ids, the ones still valid (row present, not expired, user active). */
export function stillValidSessions(core: Core, ids: readonly string[]): Set<string> {
  const valid = new Set<string>();
  const now = new Date().toISOString();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = core.db.readOrm
      .select({ id: sessions.id, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(inArray(sessions.id, ids.slice(i, i + 500)), isNull(users.deactivatedAt), isNull(users.deletedAt)))
      .all();
    for (const r of rows) if (r.expiresAt > now) valid.add(r.id);
  }
  return valid;
}

/**
 * Close sockets whose session ended without this process knowing: revoked by the admin CLI (a
 * separate process), expired, or its user deactivated. In-process revocations close sockets at
 * once; this sweep bounds the others.
 */
export function sweepRevokedSockets(core: Core): number {
  const open = core.hub.openSessionIds();
  if (open.length === 0) return 0;
  const valid = stillValidSessions(core, open);
  let closed = 0;
  for (const id of open) if (!valid.has(id)) closed += core.hub.disconnectSession(id);
  return closed;
}
