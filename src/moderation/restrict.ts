// What a timed-out member (Discord's communication_disabled_until) or a member who has not yet
// accepted the server's rules (screening, `pending`) may still do: read. Discord strips every
// permission but VIEW_CHANNEL and READ_MESSAGE_HISTORY while a member is timed out; applying that
// to the computed permissions in the one access check means every path that asks "may I send,
// react, start a thread, connect?" (HTML, API, gateway, voice) refuses without its own check.
// Owners and administrators are never restricted (Discord: they cannot be timed out).
import type { GuildAccess } from "../guilds/access.ts";
import { ErrorCode, type AppError } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { Permission } from "../permissions/permissions.ts";

export const READ_ONLY = Permission.VIEW_CHANNEL | Permission.READ_MESSAGE_HISTORY;

export interface Restrictable {
  communicationDisabledUntil: string | null;
  pending: boolean;
}

/** Is this member timed out at `now`? */
export function isTimedOut(member: Restrictable, now = Date.now()): boolean {
  return member.communicationDisabledUntil !== null && Date.parse(member.communicationDisabledUntil) > now;
}

/** The permissions left to a member once a timeout or pending screening is applied. */
export function restrictPermissions(member: Restrictable, isOwner: boolean, perms: bigint): bigint {
  if (isOwner || (perms & Permission.ADMINISTRATOR) !== 0n) return perms;
  if (member.pending || isTimedOut(member)) return perms & READ_ONLY;
  return perms;
}

/** Why a restricted member may not do something (shown to them), or null when they are not restricted. */
export function restrictionError(access: GuildAccess): AppError | null {
  if (access.isOwner || (access.permissions & Permission.ADMINISTRATOR) !== 0n) return null;
  const m = access.member;
  if (m.communicationDisabledUntil && isTimedOut(m)) return keyedError(403, ErrorCode.forbidden, "moderation.timedOutUntil", { until: m.communicationDisabledUntil.slice(0, 16).replace("T", " ") + " UTC" });
  if (m.pending) return keyedError(403, ErrorCode.forbidden, "moderation.acceptRulesFirst");
  return null;
}
