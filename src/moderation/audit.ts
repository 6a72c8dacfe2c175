// The server audit log (Discord's GET /guilds/{id}/audit-logs): who did what to which target,
// why, and for settings, roles, overwrites and channels what changed (before/after). Services call
// audit() after their write; the reason comes from the request's X-Audit-Log-Reason header through
// an AsyncLocalStorage set by auditReason(), so services keep their signatures. Entries older than
// the instance's retention setting are pruned by a periodic sweep.
import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { ids, snowflakeAt } from "../db/snowflake.ts";
import { readSetting } from "../instance/service.ts";
import { auditLog, type AuditRow } from "./table.ts";

/** Discord's audit log action types (the ones Pokynano records). */
export const AuditAction = {
  GUILD_UPDATE: 1,
  CHANNEL_CREATE: 10,
  CHANNEL_UPDATE: 11,
  CHANNEL_DELETE: 12,
  CHANNEL_OVERWRITE_CREATE: 13,
  CHANNEL_OVERWRITE_UPDATE: 14,
  CHANNEL_OVERWRITE_DELETE: 15,
  MEMBER_KICK: 20,
  MEMBER_BAN_ADD: 22,
  MEMBER_BAN_REMOVE: 23,
  MEMBER_UPDATE: 24,
  MEMBER_ROLE_UPDATE: 25,
  ROLE_CREATE: 30,
  ROLE_UPDATE: 31,
  ROLE_DELETE: 32,
  INVITE_CREATE: 40,
  INVITE_DELETE: 42,
  WEBHOOK_CREATE: 50,
  WEBHOOK_UPDATE: 51,
  WEBHOOK_DELETE: 52,
  EMOJI_CREATE: 60,
  EMOJI_UPDATE: 61,
  EMOJI_DELETE: 62,
  MESSAGE_DELETE: 72,
  MESSAGE_BULK_DELETE: 73,
  MESSAGE_PIN: 74,
  MESSAGE_UNPIN: 75,
  THREAD_CREATE: 110,
  THREAD_UPDATE: 111,
  THREAD_DELETE: 112,
  AUTO_MODERATION_RULE_CREATE: 140,
  AUTO_MODERATION_RULE_UPDATE: 141,
  AUTO_MODERATION_RULE_DELETE: 142,
  AUTO_MODERATION_BLOCK_MESSAGE: 143,
  AUTO_MODERATION_FLAG_TO_CHANNEL: 144,
  AUTO_MODERATION_USER_COMMUNICATION_DISABLED: 145,
  // Pokynano's own (no Discord counterpart): a report closed from the moderator queue, a message moved.
  REPORT_RESOLVE: 1000,
  MESSAGE_MOVE: 1001,
} as const;
export type AuditActionName = keyof typeof AuditAction;
export const AUDIT_ACTION_NAMES = Object.keys(AuditAction) as AuditActionName[];

export interface AuditChange {
  key: string;
  old_value?: unknown;
  new_value?: unknown;
}

export interface AuditEntry {
  guildId: string;
  /** Who did it; null for the system (AutoMod); by default the signed-in user of the request. */
  userId?: string | null;
  action: number;
  targetId?: string | null;
  changes?: AuditChange[];
  options?: Record<string, string>;
  /** Defaults to the request's X-Audit-Log-Reason. */
  reason?: string | null;
}

const request = new AsyncLocalStorage<{ reason: string | null; userId: string | null }>();

/**
 * Discord sends the reason URL-encoded in X-Audit-Log-Reason (at most 512 characters). Mounted
 * after authentication, so services that take no actor (updateGuild) still record who acted.
 */
export const auditReason: MiddlewareHandler<AppEnv> = (c, next) => {
  const raw = c.req.header("X-Audit-Log-Reason");
  let reason: string | null = null;
  if (raw) {
    try {
      reason = decodeURIComponent(raw);
    } catch {
      reason = raw;
    }
    reason = reason.replace(/[\u0000-\u001F\u007F]/g, " ").trim().slice(0, 512) || null;
  }
  return request.run({ reason, userId: c.get("auth")?.user.id ?? null }, () => next());
};

/** The before/after of the keys that changed. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, keys: string[]): AuditChange[] {
  const out: AuditChange[] = [];
  for (const key of keys) {
    const old = before?.[key];
    const now = after?.[key];
    const norm = (v: unknown) => (typeof v === "bigint" ? v.toString() : v);
    if (JSON.stringify(norm(old)) === JSON.stringify(norm(now))) continue;
    const change: AuditChange = { key };
    if (old !== undefined && old !== null) change.old_value = norm(old);
    if (now !== undefined && now !== null) change.new_value = norm(now);
    out.push(change);
  }
  return out;
}

/** Record one entry. An audit failure is logged, never turned into a failure of the action itself. */
export async function audit(core: Core, entry: AuditEntry): Promise<void> {
  const store = request.getStore();
  const reason = entry.reason !== undefined ? entry.reason : (store?.reason ?? null);
  const userId = entry.userId !== undefined ? entry.userId : (store?.userId ?? null);
  try {
    await core.queue.write(({ orm }) =>
      orm
        .insert(auditLog)
        .values({
          id: ids.nextString(),
          guildId: entry.guildId,
          userId,
          actionType: entry.action,
          targetId: entry.targetId ?? null,
          reason: reason ? reason.slice(0, 512) : null,
          changes: JSON.stringify(entry.changes ?? []),
          options: entry.options ? JSON.stringify(entry.options) : null,
        })
        .run(),
    );
  } catch (err) {
    core.logger.error("audit log write failed", { err, action: entry.action });
  }
}

export interface AuditQuery {
  userId?: string;
  actionType?: number;
  before?: string;
  limit?: number;
}

export function listAudit(core: Core, guildId: string, q: AuditQuery = {}): AuditRow[] {
  const where = [eq(auditLog.guildId, guildId)];
  if (q.userId) where.push(eq(auditLog.userId, q.userId));
  if (q.actionType !== undefined) where.push(eq(auditLog.actionType, q.actionType));
  if (q.before) where.push(lt(auditLog.id, q.before));
  const limit = Math.max(1, Math.min(100, q.limit ?? 50));
  return core.db.readOrm.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(limit).all();
}

export function auditJson(row: AuditRow) {
  return {
    id: row.id,
    guild_id: row.guildId,
    user_id: row.userId,
    action_type: row.actionType,
    target_id: row.targetId,
    reason: row.reason ?? undefined,
    changes: JSON.parse(row.changes) as AuditChange[],
    options: row.options ? (JSON.parse(row.options) as Record<string, string>) : undefined,
  };
}

/** Days entries are kept (instance setting `audit_log_retention_days`; Discord keeps 45). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
export function auditRetentionDays(core: Core): number {
  const v = readSetting<number>(core.db.readOrm, "audit_log_retention_days");
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 3650 ? v : DEFAULT_AUDIT_RETENTION_DAYS;
}

/** Delete entries older than the retention period; the id is a snowflake, so it is a range on the key. */
export async function pruneAudit(core: Core, now = Date.now()): Promise<number> {
  const cutoff = snowflakeAt(new Date(now - auditRetentionDays(core) * 86_400_000));
  const any = core.db.reader.query<{ id: bigint }, [bigint]>("SELECT id FROM audit_log WHERE id < ? LIMIT 1").get(cutoff);
  if (!any) return 0;
  return core.queue.write(({ sqlite }) => sqlite.query("DELETE FROM audit_log WHERE id < ?").run(cutoff).changes);
}

export function startAuditPrune(core: Core, every = 3_600_000): () => void {
  const timer = setInterval(() => {
    pruneAudit(core).catch((err) => core.logger.warn("audit log prune failed", { err }));
  }, every);
  return () => clearInterval(timer);
}
