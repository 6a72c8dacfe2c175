// One-line audit calls for the administration services outside src/moderation (servers, channels,
// overwrites, roles, member roles, invites, moderator deletes, pins, threads, emoji, webhooks): each takes the row before and after
// and records Discord's change keys. An audit failure is logged by audit(), never thrown.
import type { Core } from "../core.ts";
import { AuditAction, audit, diff } from "./audit.ts";

type Row = object | null;
const pick = (row: Row, map: Record<string, string>): Record<string, unknown> | null => (row ? Object.fromEntries(Object.entries(map).map(([key, field]) => [key, (row as Record<string, unknown>)[field]])) : null);

const GUILD = { name: "name", description: "description", icon_hash: "icon", owner_id: "ownerId" };
const CHANNEL = { name: "name", topic: "topic", type: "type", position: "position", parent_id: "parentId", rate_limit_per_user: "rateLimitPerUser", nsfw: "nsfw" };
const ROLE = { name: "name", color: "color", hoist: "hoist", mentionable: "mentionable", permissions: "permissions", position: "position" };
const THREAD = { name: "name", type: "type", archived: "archived", locked: "locked", auto_archive_duration: "autoArchiveDuration", rate_limit_per_user: "rateLimitPerUser" };
const EMOJI = { name: "name" };
const WEBHOOK = { name: "name", channel_id: "channelId", type: "type" };
const OVERWRITE = { id: "id", type: "type", allow: "allow", deny: "deny" };

function record(core: Core, guildId: string, action: number, targetId: string, before: Row, after: Row, map: Record<string, string>, options?: Record<string, string>): Promise<void> {
  const changes = diff(pick(before, map), pick(after, map), Object.keys(map));
  // An update that changed nothing is not an event.
  if (before && after && changes.length === 0) return Promise.resolve();
  return audit(core, { guildId, action, targetId, changes, options });
}

export const auditGuild = (core: Core, guildId: string, before: Row, after: Row) => record(core, guildId, AuditAction.GUILD_UPDATE, guildId, before, after, GUILD);

export function auditChannel(core: Core, guildId: string | null, before: (object & { id?: unknown }) | null, after: (object & { id?: unknown }) | null): Promise<void> {
  if (!guildId) return Promise.resolve();
  const action = !before ? AuditAction.CHANNEL_CREATE : !after ? AuditAction.CHANNEL_DELETE : AuditAction.CHANNEL_UPDATE;
  return record(core, guildId, action, String((after ?? before)!.id), before, after, CHANNEL);
}

export function auditOverwrite(core: Core, guildId: string, channelId: string, before: Row, after: Row): Promise<void> {
  const action = !before ? AuditAction.CHANNEL_OVERWRITE_CREATE : !after ? AuditAction.CHANNEL_OVERWRITE_DELETE : AuditAction.CHANNEL_OVERWRITE_UPDATE;
  const o = (after ?? before)!;
  return record(core, guildId, action, channelId, before, after, OVERWRITE, { id: String((o as { id: unknown }).id), type: String((o as { type: unknown }).type) });
}

export function auditRole(core: Core, guildId: string, before: (object & { id?: unknown }) | null, after: (object & { id?: unknown }) | null): Promise<void> {
  const action = !before ? AuditAction.ROLE_CREATE : !after ? AuditAction.ROLE_DELETE : AuditAction.ROLE_UPDATE;
  return record(core, guildId, action, String((after ?? before)!.id), before, after, ROLE);
}

/** Discord's MEMBER_ROLE_UPDATE: `$add` / `$remove` with the role. */
export function auditMemberRole(core: Core, guildId: string, targetId: string, role: { id: string; name: string }, give: boolean): Promise<void> {
  return audit(core, { guildId, action: AuditAction.MEMBER_ROLE_UPDATE, targetId, changes: [{ key: give ? "$add" : "$remove", new_value: [{ id: role.id, name: role.name }] }] });
}

export function auditNickname(core: Core, guildId: string, targetId: string, before: string | null, after: string | null): Promise<void> {
  if (before === after) return Promise.resolve();
  return audit(core, { guildId, action: AuditAction.MEMBER_UPDATE, targetId, changes: diff({ nick: before }, { nick: after }, ["nick"]) });
}

export function auditInvite(core: Core, guildId: string, code: string, channelId: string, created: boolean): Promise<void> {
  return audit(core, { guildId, action: created ? AuditAction.INVITE_CREATE : AuditAction.INVITE_DELETE, targetId: null, changes: [{ key: "code", ...(created ? { new_value: code } : { old_value: code }) }, { key: "channel_id", ...(created ? { new_value: channelId } : { old_value: channelId }) }] });
}

/** A moderator deleted someone else's message (Discord logs only those). */
export function auditMessageDelete(core: Core, guildId: string | null, authorId: string, channelId: string): Promise<void> {
  return guildId ? audit(core, { guildId, action: AuditAction.MESSAGE_DELETE, targetId: authorId, options: { channel_id: channelId, count: "1" } }) : Promise.resolve();
}

/** Discord's MESSAGE_PIN / MESSAGE_UNPIN: the target is the message's author. */
export function auditPin(core: Core, guildId: string | null, message: { id: string; channelId: string; authorId: string }, pinned: boolean): Promise<void> {
  if (!guildId) return Promise.resolve();
  return audit(core, { guildId, action: pinned ? AuditAction.MESSAGE_PIN : AuditAction.MESSAGE_UNPIN, targetId: message.authorId, options: { channel_id: message.channelId, message_id: message.id } });
}

/** A thread's channel row merged with its thread state (archived, locked, auto_archive_duration). */
export function auditThread(core: Core, guildId: string | null, before: (object & { id?: unknown }) | null, after: (object & { id?: unknown }) | null): Promise<void> {
  if (!guildId) return Promise.resolve();
  const action = !before ? AuditAction.THREAD_CREATE : !after ? AuditAction.THREAD_DELETE : AuditAction.THREAD_UPDATE;
  return record(core, guildId, action, String((after ?? before)!.id), before, after, THREAD);
}

export function auditEmoji(core: Core, guildId: string, before: (object & { id?: unknown }) | null, after: (object & { id?: unknown }) | null): Promise<void> {
  const action = !before ? AuditAction.EMOJI_CREATE : !after ? AuditAction.EMOJI_DELETE : AuditAction.EMOJI_UPDATE;
  return record(core, guildId, action, String((after ?? before)!.id), before, after, EMOJI);
}

export function auditWebhook(core: Core, guildId: string | null, before: (object & { id?: unknown }) | null, after: (object & { id?: unknown }) | null): Promise<void> {
  if (!guildId) return Promise.resolve();
  const action = !before ? AuditAction.WEBHOOK_CREATE : !after ? AuditAction.WEBHOOK_DELETE : AuditAction.WEBHOOK_UPDATE;
  return record(core, guildId, action, String((after ?? before)!.id), before, after, WEBHOOK);
}
