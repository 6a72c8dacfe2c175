// Roles: create, edit, reorder, delete, assign. The hierarchy rules of Discord hold: you manage
// only roles below your highest role and members whose highest role is below yours, and you can
// only hand out permissions you have.
import { auditMemberRole, auditRole } from "../moderation/audit-hooks.ts";
import { and, eq, ne, sql } from "drizzle-orm";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { guildAccess, missingPermission, requireGuild, type GuildAccess } from "../guilds/access.ts";
import { memberRoles, roles, type Role } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { fieldError } from "../lib/field-error.ts";
import { canGrant, canManageMember, canManageRole, Permission } from "../permissions/permissions.ts";
import { botRoles } from "../bots/table.ts";
import { memberUpdated } from "../members/events.ts";
import { roleChanged, roleDeleted } from "./events.ts";

export const unknownRole = () => new AppError(404, ErrorCode.unknownRoute, "Unknown role.", { key: "error.notFound" });

export function guildRoles(core: Core, guildId: string): Role[] {
  return core.db.readOrm.select().from(roles).where(eq(roles.guildId, guildId)).all().sort((a, b) => b.position - a.position);
}

function findRole(core: Core, guildId: string, roleId: string): Role {
  const role = core.db.readOrm.select().from(roles).where(and(eq(roles.id, roleId), eq(roles.guildId, guildId))).get();
  if (!role) throw unknownRole();
  return role;
}

/** The bot each managed role belongs to (role id -> bot id), one query per server. */
export function managedRoles(core: Core, guildId: string): Map<string, string> {
  return new Map(core.db.readOrm.select().from(botRoles).where(eq(botRoles.guildId, guildId)).all().map((r) => [r.roleId, r.botId]));
}

/** A bot's managed role changes only through the bot's invite flow and goes with the bot. */
function refuseManaged(core: Core, role: Role): void {
  const bot = core.db.readOrm.select().from(botRoles).where(eq(botRoles.roleId, role.id)).get();
  if (bot) throw new AppError(403, 50013, "This role is managed by a bot: it cannot be edited, deleted, given or removed by hand. Re-authorize the bot to change its permissions, or remove the bot.", { key: "bots.managedRole" });
}

const actor = (a: GuildAccess) => ({ userId: a.member.userId, isOwner: a.isOwner, roles: a.roles });

function cleanRoleName(raw: string): string {
  const name = cleanText(raw);
  if ([...name].length < 1 || [...name].length > 100) throw fieldError({ name: "role.nameLength" });
  return name;
}

export interface RolePatch {
  name?: string;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
  permissions?: bigint;
}

function checkPatch(a: GuildAccess, patch: RolePatch): void {
  if (patch.color !== undefined && (!Number.isInteger(patch.color) || patch.color < 0 || patch.color > 0xffffff)) throw fieldError({ color: "role.color" });
  if (patch.permissions !== undefined && !canGrant(a.permissions, patch.permissions, a.isOwner)) throw missingPermission();
}

export async function createRole(core: Core, userId: string, guildId: string, patch: RolePatch): Promise<Role> {
  const a = requireGuild(core, userId, guildId, Permission.MANAGE_ROLES);
  checkPatch(a, patch);
  const name = cleanRoleName(patch.name ?? "new role");
  const id = ids.nextString();
  const created = await core.queue.write(({ orm }) => {
    // New roles go just above @everyone, where anyone with MANAGE_ROLES can still manage them.
    orm.update(roles).set({ position: sqlIncrement() }).where(and(eq(roles.guildId, guildId), notEveryone(guildId))).run();
    return orm
      .insert(roles)
      .values({ id, guildId, name, color: patch.color ?? 0, hoist: patch.hoist ?? false, mentionable: patch.mentionable ?? false, position: 1, permissions: patch.permissions ?? 0n, createdAt: new Date().toISOString() })
      .returning()
      .get();
  });
  roleChanged(core, "GUILD_ROLE_CREATE", created);
  await auditRole(core, guildId, null, created);
  return created;
}

export async function updateRole(core: Core, userId: string, guildId: string, roleId: string, patch: RolePatch): Promise<Role> {
  const a = requireGuild(core, userId, guildId, Permission.MANAGE_ROLES);
  const role = findRole(core, guildId, roleId);
  const isEveryone = role.id === guildId;
  if (!isEveryone && !canManageRole(actor(a), role)) throw missingPermission();
  refuseManaged(core, role);
  if (isEveryone && !a.isOwner && !hasAdmin(a) && patch.permissions !== undefined && !canGrant(a.permissions, patch.permissions, false)) throw missingPermission();
  checkPatch(a, patch);
  const set: Partial<Role> = {};
  if (patch.name !== undefined && !isEveryone) set.name = cleanRoleName(patch.name);
  if (patch.color !== undefined) set.color = patch.color;
  if (patch.hoist !== undefined) set.hoist = patch.hoist;
  if (patch.mentionable !== undefined) set.mentionable = patch.mentionable;
  if (patch.permissions !== undefined) set.permissions = patch.permissions;
  if (Object.keys(set).length === 0) return role;
  const updated = await core.queue.write(({ orm }) => orm.update(roles).set(set).where(eq(roles.id, roleId)).returning().get());
  if (set.permissions !== undefined) core.hub.recheckAccess();
  roleChanged(core, "GUILD_ROLE_UPDATE", updated);
  await auditRole(core, guildId, role, updated);
  return updated;
}

const hasAdmin = (a: GuildAccess) => (a.permissions & Permission.ADMINISTRATOR) === Permission.ADMINISTRATOR;

export async function deleteRole(core: Core, userId: string, guildId: string, roleId: string): Promise<void> {
  const a = requireGuild(core, userId, guildId, Permission.MANAGE_ROLES);
  const role = findRole(core, guildId, roleId);
  if (role.id === guildId || !canManageRole(actor(a), role)) throw missingPermission();
  refuseManaged(core, role);
  await core.queue.write(({ orm }) => orm.delete(roles).where(eq(roles.id, roleId)).run());
  core.hub.recheckAccess();
  roleDeleted(core, guildId, roleId);
  await auditRole(core, guildId, role, null);
}

/** Move roles: `order` lists role ids from highest to lowest; only roles below yours may move, and only below you. */
export async function reorderRoles(core: Core, userId: string, guildId: string, positions: { id: string; position: number }[]): Promise<Role[]> {
  const a = requireGuild(core, userId, guildId, Permission.MANAGE_ROLES);
  const mine = a.isOwner ? Number.POSITIVE_INFINITY : Math.max(-1, ...a.roles.map((r) => r.position));
  for (const p of positions) {
    const role = findRole(core, guildId, p.id);
    if (role.id === guildId) throw fieldError({ id: "role.everyoneFixed" });
    if (!canManageRole(actor(a), role) || p.position >= mine || p.position < 1) throw missingPermission();
  }
  const before = new Map(guildRoles(core, guildId).map((r) => [r.id, r]));
  await core.queue.write(({ orm }) => {
    for (const p of positions) orm.update(roles).set({ position: Math.trunc(p.position) }).where(eq(roles.id, p.id)).run();
  });
  const after = guildRoles(core, guildId);
  const moved = new Set(positions.map((p) => p.id));
  for (const role of after) {
    if (!moved.has(role.id)) continue;
    roleChanged(core, "GUILD_ROLE_UPDATE", role);
    // Discord logs a reorder as one ROLE_UPDATE per moved role (position).
    await auditRole(core, guildId, before.get(role.id) ?? null, role);
  }
  return after;
}

export async function setMemberRole(core: Core, userId: string, guildId: string, targetUserId: string, roleId: string, give: boolean): Promise<void> {
  const a = requireGuild(core, userId, guildId, Permission.MANAGE_ROLES);
  const role = findRole(core, guildId, roleId);
  if (role.id === guildId) throw fieldError({ role: "role.everyoneFixed" });
  if (!canManageRole(actor(a), role)) throw missingPermission();
  refuseManaged(core, role);
  const target = guildAccess(core, targetUserId, guildId);
  if (!target) throw new AppError(404, ErrorCode.unknownUser, "Unknown member.", { key: "error.notFound" });
  // Managing your own roles is allowed below your highest role (as in Discord), others' only when they rank below you.
  if (targetUserId !== userId && !canManageMember(actor(a), actor(target))) throw missingPermission();
  await core.queue.write(({ orm }) => {
    if (give) orm.insert(memberRoles).values({ guildId, userId: targetUserId, roleId }).onConflictDoNothing().run();
    else orm.delete(memberRoles).where(and(eq(memberRoles.guildId, guildId), eq(memberRoles.userId, targetUserId), eq(memberRoles.roleId, roleId))).run();
  });
  core.hub.recheckAccess();
  memberUpdated(core, guildId, targetUserId);
  await auditMemberRole(core, guildId, targetUserId, role, give);
}

/** Discord's role object; `botId` marks a bot's managed role (managed: true, tags.bot_id). */
export function roleJson(role: Role, botId?: string) {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    hoist: role.hoist,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: botId !== undefined,
    mentionable: role.mentionable,
    ...(botId !== undefined && { tags: { bot_id: botId } }),
  };
}

/** Roles of one server as JSON, managed ones marked. */
export function rolesJson(core: Core, guildId: string, list: Role[]) {
  const managed = managedRoles(core, guildId);
  return list.map((r) => roleJson(r, managed.get(r.id)));
}


const sqlIncrement = () => sql`${roles.position} + 1`;
const notEveryone = (guildId: string) => ne(roles.id, guildId);
