// Instance IP bans (admins only): an address or CIDR range is refused at the door (every HTTP
// request from it gets 403; its accounts' sockets close with their sessions), the accounts whose sessions came from it are
// signed out everywhere, and their recent messages can be purged from every server. Sessions
// record the address they were created from (auth/sessions.ts); that is what a range is matched
// against. The ranges are kept parsed in memory: the per-request check is a loop over a short list.
import ipaddr from "ipaddr.js";
import { eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { revokeAllSessions } from "../auth/sessions.ts";
import { sessions, users } from "../auth/table.ts";
import { members } from "../guilds/table.ts";
import type { AppEnv } from "../http/env.ts";
import { clientInfo } from "../http/client-info.ts";
import { AppError, ErrorCode, notFound } from "../lib/errors.ts";
import { auditRow, recordAdminAction } from "../admin/audit.ts";
import { purgeAuthors } from "./purge.ts";
import { ipBans, type IpBan } from "./table.ts";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** "203.0.113.7" or "203.0.113.0/24" or "2001:db8::/32", normalised; null when it is neither. */
export function parseRange(raw: string): { cidr: string; range: Range } | null {
  const text = raw.trim();
  try {
    const range: Range = text.includes("/") ? ipaddr.parseCIDR(text) : (() => {
      const addr = ipaddr.parse(text);
      return [addr, addr.kind() === "ipv4" ? 32 : 128] as Range;
    })();
    const [addr, bits] = range;
    // Refuse ranges so wide they would lock out most of the internet (and the admin).
    if ((addr.kind() === "ipv4" && bits < 8) || (addr.kind() === "ipv6" && bits < 16)) return null;
    const network = addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${bits}`) : addr;
    return { cidr: `${network.toString()}/${bits}`, range: [network, bits] };
  } catch {
    return null;
  }
}

function matches(ip: string, ranges: Range[]): boolean {
  if (ranges.length === 0 || !ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

const loaded = new WeakMap<Core, Range[]>();
function ranges(core: Core): Range[] {
  let list = loaded.get(core);
  if (!list) {
    list = core.db.readOrm.select().from(ipBans).all().map((b) => parseRange(b.cidr)?.range).filter((r): r is Range => r !== undefined);
    loaded.set(core, list);
  }
  return list;
}

export const isIpBanned = (core: Core, ip: string): boolean => matches(ip, ranges(core));

/** Every request from a banned address is refused (health checks and static files included: they are few bytes). */
export function ipGate(core: Core): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // With no ban at all (most instances, most of the time) the address is not even looked up.
    const banned = ranges(core);
    if (banned.length > 0 && matches(clientInfo(c, core.config.trustProxy).ip, banned)) throw new AppError(403, ErrorCode.forbidden, "This address is banned from this instance.", { key: "moderation.ipBanned" });
    await next();
  };
}

export function listIpBans(core: Core): IpBan[] {
  return core.db.readOrm.select().from(ipBans).orderBy(ipBans.id).all();
}

/** Ban a range; sign out the accounts seen from it (never the acting admin) and purge their messages of the last `purgeSeconds`. */
export async function banIp(core: Core, adminId: string, raw: string, reason: string, purgeSeconds: number): Promise<{ ban: IpBan; users: string[]; purged: number }> {
  const parsed = parseRange(raw);
  if (!parsed) throw new AppError(400, ErrorCode.invalidBody, "Give an IP address or a CIDR range (at least /8 for IPv4, /16 for IPv6).", { fields: { ip: "Not an address or range." } });
  if (!Number.isInteger(purgeSeconds) || purgeSeconds < 0 || purgeSeconds > 604_800) throw new AppError(400, ErrorCode.invalidBody, "delete_message_seconds is 0 to 604800.", { fields: { delete_message_seconds: "0 to 604800." } });
  const ban = await core.queue.write(({ orm }) =>
    orm.insert(ipBans).values({ id: ids.nextString(), cidr: parsed.cidr, reason: reason.trim().slice(0, 512), createdBy: adminId, createdAt: new Date().toISOString() }).onConflictDoUpdate({ target: ipBans.cidr, set: { reason: reason.trim().slice(0, 512) } }).returning().get(),
  );
  loaded.delete(core);
  const seen = core.db.readOrm.select({ userId: sessions.userId, ip: sessions.ip }).from(sessions).all();
  const hit = [...new Set(seen.filter((s) => matches(s.ip, [parsed.range])).map((s) => s.userId))].filter((id) => id !== adminId);
  const admins = new Set(core.db.readOrm.select({ id: users.id }).from(users).where(eq(users.isAdmin, true)).all().map((u) => u.id));
  const targets = hit.filter((id) => !admins.has(id));
  for (const userId of targets) await revokeAllSessions(core, userId, null);
  let purged = 0;
  if (purgeSeconds > 0 && targets.length) {
    const guildIds = new Set(core.db.readOrm.select({ g: members.guildId }).from(members).all().map((m) => m.g));
    for (const guildId of guildIds) purged += await purgeAuthors(core, guildId, targets, purgeSeconds * 1000);
  }
  core.logger.info("ip ban", { admin: adminId, cidr: parsed.cidr, users: targets.length, purged });
  await recordAdminAction(core, adminId, "ip_ban.create", parsed.cidr, { reason: ban.reason, delete_message_seconds: purgeSeconds, users_signed_out: targets.length, messages_deleted: purged });
  return { ban, users: targets, purged };
}

/** Lift a ban (404 for an unknown id); the instance audit log keeps which range it was. */
export async function unbanIp(core: Core, adminId: string, id: string): Promise<void> {
  const removed = await core.queue.write((tx) => {
    const row = tx.orm.delete(ipBans).where(eq(ipBans.id, id)).returning().get();
    if (row) auditRow(tx, adminId, "ip_ban.delete", row.cidr, { reason: row.reason });
    return row;
  });
  if (!removed) throw notFound("Unknown IP ban.");
  loaded.delete(core);
}
