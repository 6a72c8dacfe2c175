// Members of a server: the list (grouped for the member pane), nicknames, bans.
import { auditNickname } from "../moderation/audit-hooks.ts";
import { and, asc, eq, inArray } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { guildAccess, missingPermission, requireGuild } from "../guilds/access.ts";
import { bans, memberRoles, members, roles, type Member, type Role } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { canManageMember, has, Permission } from "../permissions/permissions.ts";
import { publicUser } from "../users/service.ts";
import { publicStatus, type PresenceStatus } from "../presence/status.ts";
import { automodNickname } from "../moderation/automod/enforce.ts";
import { memberUpdated } from "./events.ts";

export interface MemberView {
  member: Member;
  user: User;
  roles: Role[];
  /** What others see of them now (invisible is offline); from the hub, never stored. */
  presence: PresenceStatus;
}

export const unknownMember = () => new AppError(404, ErrorCode.unknownUser, "Unknown member.", { key: "error.notFound" });

export function listMembers(core: Core, guildId: string): MemberView[] {
  const rows = core.db.readOrm.select({ member: members, user: users }).from(members).innerJoin(users, eq(users.id, members.userId)).where(eq(members.guildId, guildId)).orderBy(asc(users.usernameKey)).all();
  const guildRoles = new Map(core.db.readOrm.select().from(roles).where(eq(roles.guildId, guildId)).all().map((r) => [r.id, r]));
  const held = new Map<string, Role[]>();
  for (const mr of core.db.readOrm.select().from(memberRoles).where(eq(memberRoles.guildId, guildId)).all()) {
    const role = guildRoles.get(mr.roleId);
    if (role) held.set(mr.userId, [...(held.get(mr.userId) ?? []), role]);
  }
  return rows.map((r) => ({ ...r, roles: (held.get(r.user.id) ?? []).sort((a, b) => b.position - a.position), presence: publicStatus(core, r.user) }));
}

export function findMember(core: Core, guildId: string, userId: string): MemberView {
  const row = core.db.readOrm.select({ member: members, user: users }).from(members).innerJoin(users, eq(users.id, members.userId)).where(and(eq(members.guildId, guildId), eq(members.userId, userId))).get();
  if (!row) throw unknownMember();
  const held = core.db.readOrm.select({ role: roles }).from(memberRoles).innerJoin(roles, eq(roles.id, memberRoles.roleId)).where(and(eq(memberRoles.guildId, guildId), eq(memberRoles.userId, userId))).all();
  return { ...row, roles: held.map((h) => h.role).sort((a, b) => b.position - a.position), presence: publicStatus(core, row.user) };
}

export interface MemberGroup {
  /** A hoisted role, or "online" / "offline". */
  key: string;
  role: Role | null;
  members: MemberView[];
}

/** The member pane: each hoisted role (highest first) with its online members, then online, then offline. */
export function groupMembers(list: MemberView[], hoisted: Role[], isOnline: (user: User, presence: PresenceStatus) => boolean): MemberGroup[] {
  const groups: MemberGroup[] = hoisted.map((role) => ({ key: role.id, role, members: [] }));
  const online: MemberGroup = { key: "online", role: null, members: [] };
  const offline: MemberGroup = { key: "offline", role: null, members: [] };
  for (const view of list) {
    if (view.user.deletedAt) continue;
    if (!isOnline(view.user, view.presence)) {
      offline.members.push(view);
      continue;
    }
    const top = view.roles.find((r) => r.hoist);
    (groups.find((g) => g.role && top && g.role.id === top.id) ?? online).members.push(view);
  }
  return [...groups, online, offline].filter((g) => g.members.length > 0);
}

export const displayName = (v: MemberView) => v.member.nick ?? v.user.displayName ?? v.user.username;

export function memberJson(v: MemberView) {
  return { user: publicUser(v.user), nick: v.member.nick, roles: v.roles.map((r) => r.id), joined_at: v.member.joinedAt, avatar: null, deaf: false, mute: false, communication_disabled_until: v.member.communicationDisabledUntil, pending: v.member.pending };
}

/** Change a nickname: your own with CHANGE_NICKNAME, someone else's with MANAGE_NICKNAMES and rank. */
export async function setNickname(core: Core, actorId: string, guildId: string, targetId: string, raw: string | null): Promise<MemberView> {
  const actor = requireGuild(core, actorId, guildId);
  const self = actorId === targetId;
  if (self && !has(actor.permissions, Permission.CHANGE_NICKNAME) && !has(actor.permissions, Permission.MANAGE_NICKNAMES)) throw missingPermission();
  if (!self) {
    const target = guildAccess(core, targetId, guildId);
    if (!target) throw unknownMember();
    if (!has(actor.permissions, Permission.MANAGE_NICKNAMES)) throw missingPermission();
    const rank = (a: NonNullable<typeof target>) => ({ userId: a.member.userId, isOwner: a.isOwner, roles: a.roles });
    if (!canManageMember(rank(actor), rank(target))) throw missingPermission();
  }
  const nick = raw === null ? null : cleanText(raw) || null;
  if (nick && [...nick].length > 32) throw fieldError({ nick: "text.tooLong" }, { max: 32 });
  if (nick) await automodNickname(core, actor, targetId, nick);
  const before = self ? actor.member.nick : (guildAccess(core, targetId, guildId)?.member.nick ?? null);
  await core.queue.write(({ orm }) => orm.update(members).set({ nick }).where(and(eq(members.guildId, guildId), eq(members.userId, targetId))).run());
  memberUpdated(core, guildId, targetId);
  if (!self) await auditNickname(core, guildId, targetId, before, nick);
  return findMember(core, guildId, targetId);
}

export function isBanned(core: Core, guildId: string, userId: string): boolean {
  return Boolean(core.db.readOrm.select().from(bans).where(and(eq(bans.guildId, guildId), eq(bans.userId, userId))).get());
}

/** Ban (BAN_MEMBERS, and rank over the target): removes them and keeps them out. */
export async function banMember(core: Core, actorId: string, guildId: string, targetId: string, reason: string): Promise<void> {
  const actor = requireGuild(core, actorId, guildId, Permission.BAN_MEMBERS);
  if (targetId === actorId || targetId === actor.guild.ownerId) throw missingPermission();
  const target = guildAccess(core, targetId, guildId);
  const rank = (a: NonNullable<typeof target>) => ({ userId: a.member.userId, isOwner: a.isOwner, roles: a.roles });
  if (target && !canManageMember(rank(actor), rank(target))) throw missingPermission();
  const exists = core.db.readOrm.select({ id: users.id }).from(users).where(eq(users.id, targetId)).get();
  if (!exists) throw new AppError(404, ErrorCode.unknownUser, "Unknown user.", { key: "error.notFound" });
  const why = cleanText(reason).slice(0, 512);
  await core.queue.write(({ orm }) => {
    orm.delete(members).where(and(eq(members.guildId, guildId), eq(members.userId, targetId))).run();
    orm.insert(bans).values({ guildId, userId: targetId, reason: why, createdAt: new Date().toISOString() }).onConflictDoUpdate({ target: [bans.guildId, bans.userId], set: { reason: why } }).run();
  });
  core.hub.recheckAccess();
}

export async function unbanMember(core: Core, actorId: string, guildId: string, targetId: string): Promise<void> {
  requireGuild(core, actorId, guildId, Permission.BAN_MEMBERS);
  await core.queue.write(({ orm }) => orm.delete(bans).where(and(eq(bans.guildId, guildId), eq(bans.userId, targetId))).run());
}

export function listBans(core: Core, guildId: string): { user: User; reason: string; createdAt: string }[] {
  return core.db.readOrm
    .select({ user: users, reason: bans.reason, createdAt: bans.createdAt })
    .from(bans)
    .innerJoin(users, eq(users.id, bans.userId))
    .where(eq(bans.guildId, guildId))
    .all();
}

/** Which of these users share at least one server with `userId` (for the DM picker and privacy). */
export function sharesServerWith(core: Core, userId: string, others: string[]): Set<string> {
  if (others.length === 0) return new Set();
  const mine = core.db.readOrm.select({ g: members.guildId }).from(members).where(eq(members.userId, userId)).all().map((r) => r.g);
  if (mine.length === 0) return new Set();
  return new Set(core.db.readOrm.select({ u: members.userId }).from(members).where(and(inArray(members.guildId, mine), inArray(members.userId, others))).all().map((r) => r.u));
}

export const bannedError = () => keyedError(403, ErrorCode.forbidden, "invite.banned");
