// The instance audit log: every action an instance admin takes (and what the scheduler does on
// their behalf) as one row in admin_audit_log. Recorded in the same write as the change where the
// caller has a WriteContext, otherwise right after it.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Core } from "../core.ts";
import type { WriteContext } from "../db/commit-queue.ts";
import { snowflake } from "../db/columns.ts";
import { ids, snowflakeTime } from "../db/snowflake.ts";
import { users } from "../auth/table.ts";

export const adminAuditLog = sqliteTable("admin_audit_log", {
  id: snowflake("id").primaryKey(),
  adminId: snowflake("admin_id"),
  action: text("action").notNull(),
  target: text("target").notNull(),
  detail: text("detail").notNull(),
});

export interface AuditEntry {
  id: string;
  at: string;
  admin_id: string | null;
  admin: string | null;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export function auditRow(tx: WriteContext, adminId: string | null, action: string, target = "", detail: Record<string, unknown> = {}): void {
  tx.orm.insert(adminAuditLog).values({ id: ids.nextString(), adminId, action, target, detail: JSON.stringify(detail) }).run();
}

export function recordAdminAction(core: Core, adminId: string | null, action: string, target = "", detail: Record<string, unknown> = {}): Promise<void> {
  return core.queue.write((tx) => auditRow(tx, adminId, action, target, detail));
}

export function listAdminActions(core: Core, filter: { action?: string; adminId?: string; before?: string; limit?: number } = {}): AuditEntry[] {
  const where = and(
    filter.action ? sql`${adminAuditLog.action} LIKE ${`${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'` : undefined,
    filter.adminId ? eq(adminAuditLog.adminId, filter.adminId) : undefined,
    filter.before ? lt(adminAuditLog.id, filter.before) : undefined,
  );
  const rows = core.db.readOrm
    .select({ row: adminAuditLog, username: users.username })
    .from(adminAuditLog)
    .leftJoin(users, eq(users.id, adminAuditLog.adminId))
    .where(where)
    .orderBy(desc(adminAuditLog.id))
    .limit(Math.min(200, filter.limit ?? 100))
    .all();
  return rows.map(({ row, username }) => ({
    id: row.id,
    at: snowflakeTime(row.id).toISOString(),
    admin_id: row.adminId,
    admin: username ?? null,
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
}
