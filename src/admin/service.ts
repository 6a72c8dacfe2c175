// Instance administration: find users, grant/revoke admin (never the last one), deactivate,
// force a password reset, delete; instance name and registration mode.
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { forcePasswordReset } from "../auth/service.ts";
import type { Core } from "../core.ts";
import { readSetting, writeSetting, type RegistrationMode } from "../instance/service.ts";
import { cleanText } from "../auth/names.ts";
import { ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { deleteAccount, setDeactivated } from "../users/lifecycle.ts";
import { findUser } from "../users/service.ts";
import { auditRow, recordAdminAction } from "./audit.ts";

export const PAGE_SIZE = 50;

export function searchUsers(core: Core, query: string, offset = 0): { users: User[]; total: number } {
  const q = query.trim().slice(0, 64);
  // LIKE wildcards in the query are matched literally.
  const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const where = q ? or(sql`${users.username} LIKE ${pattern} ESCAPE '\\'`, sql`${users.displayName} LIKE ${pattern} ESCAPE '\\'`) : undefined;
  const rows = core.db.readOrm.select().from(users).where(where).orderBy(asc(users.usernameKey)).limit(PAGE_SIZE).offset(offset).all();
  const total = Number(core.db.readOrm.select({ n: sql<bigint>`count(*)` }).from(users).where(where).get()!.n);
  return { users: rows, total };
}

function target(core: Core, userId: string): User {
  const user = findUser(core, userId);
  if (!user || user.deletedAt) throw keyedError(404, ErrorCode.unknownUser, "error.notFound");
  return user;
}

function activeAdmins(core: Core): number {
  return Number(core.db.readOrm.select({ n: sql<bigint>`count(*)` }).from(users).where(and(eq(users.isAdmin, true), isNull(users.deactivatedAt), isNull(users.deletedAt))).get()!.n);
}

function notSelf(adminId: string, userId: string): void {
  if (adminId === userId) throw keyedError(403, ErrorCode.forbidden, "admin.notSelf");
}

export async function setAdmin(core: Core, adminId: string, userId: string, isAdmin: boolean): Promise<User> {
  const user = target(core, userId);
  if (!isAdmin && user.isAdmin && activeAdmins(core) <= 1) throw keyedError(409, ErrorCode.conflict, "admin.lastAdmin");
  return core.queue.write((tx) => {
    auditRow(tx, adminId, isAdmin ? "user.admin.grant" : "user.admin.revoke", user.id, { username: user.username });
    return tx.orm.update(users).set({ isAdmin }).where(eq(users.id, user.id)).returning().get();
  });
}

export async function deactivateUser(core: Core, adminId: string, userId: string, deactivated: boolean): Promise<User> {
  notSelf(adminId, userId);
  const user = target(core, userId);
  const updated = (await setDeactivated(core, userId, deactivated))!;
  await recordAdminAction(core, adminId, deactivated ? "user.deactivate" : "user.reactivate", userId, { username: user.username });
  return updated;
}

export async function resetUserPassword(core: Core, adminId: string, userId: string): Promise<string> {
  notSelf(adminId, userId);
  const user = target(core, userId);
  const link = await forcePasswordReset(core, user.id, adminId);
  await recordAdminAction(core, adminId, "user.password_reset", userId, { username: user.username });
  return link;
}

export async function deleteUser(core: Core, adminId: string, userId: string, removeMessages: boolean): Promise<void> {
  notSelf(adminId, userId);
  const user = target(core, userId);
  await deleteAccount(core, user, { removeMessages, byAdmin: true });
  await recordAdminAction(core, adminId, "user.delete", userId, { username: user.username, remove_messages: removeMessages });
}

export async function updateInstance(core: Core, adminId: string | null, input: { name?: string; registration?: RegistrationMode; serverCreation?: "everyone" | "admins"; messageRateLimit?: number; auditRetentionDays?: number }): Promise<void> {
  const keys = { name: "instance_name", registration: "registration_mode", serverCreation: "server_creation", messageRateLimit: "message_rate_limit", auditRetentionDays: "audit_log_retention_days" } as const;
  const before = Object.fromEntries(Object.entries(keys).filter(([k]) => input[k as keyof typeof input] !== undefined).map(([k, key]) => [k, readSetting(core.db.readOrm, key) ?? null]));
  if (input.name !== undefined) {
    const name = cleanText(input.name);
    if (!name || [...name].length > 64) throw fieldError({ instance_name: "text.tooLong" }, { max: 64 });
    await writeSetting(core.queue, "instance_name", name);
  }
  if (input.registration) await writeSetting(core.queue, "registration_mode", input.registration);
  if (input.serverCreation) await writeSetting(core.queue, "server_creation", input.serverCreation);
  if (input.messageRateLimit !== undefined) await writeSetting(core.queue, "message_rate_limit", input.messageRateLimit);
  // Read by the hourly audit prune (moderation/audit.ts); 1-3650 days, checked at the edge.
  if (input.auditRetentionDays !== undefined) await writeSetting(core.queue, "audit_log_retention_days", input.auditRetentionDays);
  const after = Object.fromEntries(Object.entries(keys).filter(([k]) => input[k as keyof typeof input] !== undefined).map(([k, key]) => [k, readSetting(core.db.readOrm, key) ?? null]));
  if (Object.keys(after).length && JSON.stringify(before) !== JSON.stringify(after)) await recordAdminAction(core, adminId, "instance.update", "", { before, after });
}

