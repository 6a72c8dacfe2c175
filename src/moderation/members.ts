// Acting on members: kick (KICK_MEMBERS), ban with a purge of recent messages and unban
// (BAN_MEMBERS), timeout and its removal (MODERATE_MEMBERS). Each needs rank over the target (a
// higher top role, or being the owner) and is written to the audit log.
import { and, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { guildAccess, missingPermission, requireGuild, type GuildAccess } from "../guilds/access.ts";
import { memberRoles, members } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { banMember, findMember, memberJson, unbanMember, unknownMember } from "../members/service.ts";
import { memberRemoved } from "../members/events.ts";
import { roleDeleted } from "../roles/events.ts";
import { dropManagedRoles } from "../bots/managed.ts";
import { findUser, publicUser } from "../users/service.ts";
import { canManageMember, Permission } from "../permissions/permissions.ts";
import { AuditAction, audit } from "./audit.ts";
import { purgeAuthors } from "./purge.ts";
import { publishTimeout } from "./live.tsx";
import { isTimedOut } from "./restrict.ts";

/** The "delete their messages from the last ..." choices (seconds): none, 1 h, 24 h, 7 days (Discord's maximum). */
export const PURGE_CHOICES = [0, 3600, 86_400, 604_800] as const;
/** The timeout choices (seconds): 60 s, 5 min, 10 min, 1 h, 1 day, 1 week. */
export const TIMEOUT_CHOICES = [60, 300, 600, 3600, 86_400, 604_800] as const;
/** Discord refuses a timeout more than 28 days ahead. */
export const MAX_TIMEOUT_MS = 28 * 86_400_000;

const rank = (a: GuildAccess) => ({ userId: a.member.userId, isOwner: a.isOwner, roles: a.roles });

/** The actor holds `permission` and outranks the target member (who must be in the server). */
function actOn(core: Core, actorId: string, guildId: string, targetId: string, permission: bigint): { actor: GuildAccess; target: GuildAccess } {
  const actor = requireGuild(core, actorId, guildId, permission);
  const target = guildAccess(core, targetId, guildId);
  if (!target) throw unknownMember();
  if (!canManageMember(rank(actor), rank(target))) throw missingPermission();
  return { actor, target };
}

function announceMember(core: Core, guildId: string, userId: string): void {
  try {
    core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "GUILD_MEMBER_UPDATE", { guild_id: guildId, ...memberJson(findMember(core, guildId, userId)) });
  } catch {
    // The member left meanwhile: nothing to announce.
  }
}

export async function kickMember(core: Core, actorId: string, guildId: string, targetId: string): Promise<void> {
  actOn(core, actorId, guildId, targetId, Permission.KICK_MEMBERS);
  const dropped = await core.queue.write(({ orm }) => {
    orm.delete(members).where(and(eq(members.guildId, guildId), eq(members.userId, targetId))).run();
    orm.delete(memberRoles).where(and(eq(memberRoles.guildId, guildId), eq(memberRoles.userId, targetId))).run();
    // A kicked bot takes its managed role with it.
    return dropManagedRoles(orm, guildId, targetId);
  });
  // Their tabs showing the server close, their gateway sessions get GUILD_DELETE and their voice
  // connection in the server drops (hub.onRecheck).
  core.hub.recheckAccess();
  memberRemoved(core, guildId, targetId);
  for (const id of dropped) roleDeleted(core, guildId, id);
  await audit(core, { guildId, userId: actorId, action: AuditAction.MEMBER_KICK, targetId });
}

export interface BanInput {
  reason?: string;
  /** Discord's delete_message_seconds: 0 to 604800. */
  deleteMessageSeconds?: number;
}

/** Ban, then delete their messages of the chosen period (live for everyone watching). */
export async function banWithPurge(core: Core, actorId: string, guildId: string, targetId: string, input: BanInput): Promise<number> {
  const seconds = input.deleteMessageSeconds ?? 0;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 604_800) throw new AppError(400, ErrorCode.invalidBody, "delete_message_seconds is 0 to 604800.", { fields: { delete_message_seconds: "0 to 604800." } });
  const wasMember = Boolean(guildAccess(core, targetId, guildId));
  await banMember(core, actorId, guildId, targetId, input.reason ?? "");
  // banMember removes the member row; their roles and a bot's managed role go too.
  const dropped = await core.queue.write(({ orm }) => {
    orm.delete(memberRoles).where(and(eq(memberRoles.guildId, guildId), eq(memberRoles.userId, targetId))).run();
    return dropManagedRoles(orm, guildId, targetId);
  });
  const user = findUser(core, targetId);
  core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "GUILD_BAN_ADD", { guild_id: guildId, user: user ? publicUser(user) : { id: targetId } });
  if (wasMember) memberRemoved(core, guildId, targetId);
  for (const id of dropped) roleDeleted(core, guildId, id);
  const purged = await purgeAuthors(core, guildId, [targetId], seconds * 1000);
  await audit(core, { guildId, userId: actorId, action: AuditAction.MEMBER_BAN_ADD, targetId, reason: input.reason || undefined, options: seconds ? { delete_message_seconds: String(seconds), count: String(purged) } : undefined });
  return purged;
}

export async function unban(core: Core, actorId: string, guildId: string, targetId: string): Promise<void> {
  await unbanMember(core, actorId, guildId, targetId);
  core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "GUILD_BAN_REMOVE", { guild_id: guildId, user: { id: targetId } });
  await audit(core, { guildId, userId: actorId, action: AuditAction.MEMBER_BAN_REMOVE, targetId });
}

/** Time a member out until `until` (null removes the timeout). */
export async function timeoutMember(core: Core, actorId: string, guildId: string, targetId: string, until: Date | null, reason?: string): Promise<void> {
  const { target } = actOn(core, actorId, guildId, targetId, Permission.MODERATE_MEMBERS);
  if ((target.permissions & Permission.ADMINISTRATOR) !== 0n) throw keyedError(403, ErrorCode.forbidden, "moderation.cannotTimeoutAdmin");
  if (until && (until.getTime() <= Date.now() || until.getTime() > Date.now() + MAX_TIMEOUT_MS)) {
    throw new AppError(400, ErrorCode.invalidBody, "A timeout ends in the future, at most 28 days from now.", { fields: { communication_disabled_until: "In the future, at most 28 days ahead." } });
  }
  const before = target.member.communicationDisabledUntil;
  const value = until ? until.toISOString() : null;
  await core.queue.write(({ orm }) => orm.update(members).set({ communicationDisabledUntil: value }).where(and(eq(members.guildId, guildId), eq(members.userId, targetId))).run());
  timeoutChanged(core, guildId, targetId, value);
  await audit(core, {
    guildId,
    userId: actorId,
    action: AuditAction.MEMBER_UPDATE,
    targetId,
    reason,
    changes: [{ key: "communication_disabled_until", ...(before && isTimedOut(target.member) ? { old_value: before } : {}), ...(value ? { new_value: value } : {}) }],
  });
}

/** Used by AutoMod: the system times someone out (no actor, no rank check). */
export async function systemTimeout(core: Core, guildId: string, targetId: string, seconds: number): Promise<void> {
  const value = new Date(Date.now() + Math.min(seconds * 1000, MAX_TIMEOUT_MS)).toISOString();
  await core.queue.write(({ orm }) => orm.update(members).set({ communicationDisabledUntil: value }).where(and(eq(members.guildId, guildId), eq(members.userId, targetId))).run());
  timeoutChanged(core, guildId, targetId, value);
}

/**
 * A timeout began or ended: gateway clients hear GUILD_MEMBER_UPDATE, and the access recheck
 * drops a timed-out member from the server's voice channels (CONNECT is gone, hub.onRecheck).
 */
function timeoutChanged(core: Core, guildId: string, targetId: string, until: string | null): void {
  announceMember(core, guildId, targetId);
  publishTimeout(core, guildId, targetId, until);
  core.hub.recheckAccess({ guildId, userId: targetId });
}
