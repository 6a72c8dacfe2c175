// Authorization is the lookup: a guild or channel is loaded *through* the caller's membership and
// permissions, and one they may not see is a 404 (it does not exist for them).
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { readBatch } from "../db/client.ts";
import { TableMemory, untilTime } from "../db/table-memory.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { basePermissions, channelPermissions, has, Permission, type MemberContext, type Overwrite } from "../permissions/permissions.ts";
import { threadRow } from "../threads/table.ts";
import { restrictionError, restrictPermissions } from "../moderation/restrict.ts";
import { isThreadType, threadPermissions } from "../threads/rules.ts";
import { channels, dmRecipients, guilds, memberRoles, members, permissionOverwrites, roles, type Channel, type Guild, type Member, type Role } from "./table.ts";

export const unknownGuild = () => new AppError(404, ErrorCode.unknownRoute, "Unknown server.", { key: "error.notFound" });
export const unknownChannel = () => new AppError(404, ErrorCode.unknownRoute, "Unknown channel.", { key: "error.notFound" });
export const missingPermission = () => keyedError(403, ErrorCode.forbidden, "error.forbidden");

export interface GuildAccess {
  guild: Guild;
  member: Member;
  isOwner: boolean;
  everyone: Role;
  /** The member's roles other than @everyone, highest first. */
  roles: Role[];
  context: MemberContext;
  /** Server-level permissions (no channel overwrites). */
  permissions: bigint;
}

// These lookups run on every request and every message: prepared once per connection (building
// and preparing the SQL each time cost about six times the query itself).
const p = (name: string) => sql.placeholder(name);
function build(orm: Core["db"]["readOrm"]) {
  return {
    // No joins here: bun:sqlite takes several times longer per column to read a joined row
    // (measured: 24 µs for a session joined to its user, 12 µs for the two rows by primary key).
    member: orm.select().from(members).where(and(eq(members.guildId, p("guild")), eq(members.userId, p("user")))).prepare(),
    guild: orm.select().from(guilds).where(eq(guilds.id, p("guild"))).prepare(),
    role: orm.select().from(roles).where(eq(roles.id, p("id"))).prepare(),
    memberRoles: orm
      .select()
      .from(roles)
      .where(inArray(roles.id, orm.select({ id: memberRoles.roleId }).from(memberRoles).where(and(eq(memberRoles.guildId, p("guild")), eq(memberRoles.userId, p("user"))))))
      .prepare(),
    channel: orm.select().from(channels).where(eq(channels.id, p("id"))).prepare(),
    overwrites: orm.select().from(permissionOverwrites).where(eq(permissionOverwrites.channelId, p("channel"))).prepare(),
    recipient: orm.select().from(dmRecipients).where(and(eq(dmRecipients.channelId, p("channel")), eq(dmRecipients.userId, p("user")))).prepare(),
  };
}
const prepared = new WeakMap<Core["db"], ReturnType<typeof build>>();
const statements = (core: Core) => {
  let s = prepared.get(core.db);
  if (!s) prepared.set(core.db, (s = build(core.db.readOrm)));
  return s;
};
/** Placeholders take driver values: ids as bigint (-1 for anything that is not an id). */
const id = (value: string) => (/^\d{1,19}$/.test(value) ? BigInt(value) : -1n);

export function memberRoleList(core: Core, guildId: string, userId: string): Role[] {
  return statements(core)
    .memberRoles.all({ guild: id(guildId), user: id(userId) })
    .sort((a, b) => b.position - a.position);
}

// Who may see what is asked on every request and every message (six statements, 25-45 µs). The
// answers are remembered per person while none of the tables they are drawn from has changed
// (db/table-version.ts: any write to them, by any path, starts afresh) and, for a timed-out
// member, until the timeout ends.
const ACCESS_TABLES = ["guilds", "members", "roles", "member_roles", "channels", "permission_overwrites", "dm_recipients", "threads"] as const;
const memories = new WeakMap<Core["db"], { guilds: TableMemory<GuildAccess | null>; channels: TableMemory<ChannelAccess | null> }>();
function memoryOf(core: Core) {
  let m = memories.get(core.db);
  if (!m) memories.set(core.db, (m = { guilds: new TableMemory(core.db, "access", ACCESS_TABLES), channels: new TableMemory(core.db, "access", ACCESS_TABLES) }));
  return m;
}

/** The caller's standing in a guild, or null when they are not a member (or it does not exist). */
export function guildAccess(core: Core, userId: string, guildId: string): GuildAccess | null {
  return memoryOf(core).guilds.get(
    `${userId}:${guildId}`,
    () => readBatch(core.db, () => lookupGuildAccess(core, userId, guildId)),
    (a) => untilTime(a?.member.communicationDisabledUntil),
  );
}

function lookupGuildAccess(core: Core, userId: string, guildId: string): GuildAccess | null {
  const member = statements(core).member.get({ guild: id(guildId), user: id(userId) });
  const guild = member ? statements(core).guild.get({ guild: id(guildId) }) : undefined;
  if (!member || !guild) return null;
  const row = { guild, member };
  const everyone = statements(core).role.get({ id: id(guildId) })!;
  const held = memberRoleList(core, guildId, userId);
  const context: MemberContext = { userId, guildId, ownerId: row.guild.ownerId, everyone, roles: held };
  const isOwner = row.guild.ownerId === userId;
  return { guild: row.guild, member: row.member, isOwner, everyone, roles: held, context, permissions: restrictPermissions(row.member, isOwner, basePermissions(context)) };
}

/** Like guildAccess, but a 404 for a non-member and a 403 without `permission`. */
export function requireGuild(core: Core, userId: string, guildId: string, permission?: bigint): GuildAccess {
  const access = guildAccess(core, userId, guildId);
  if (!access) throw unknownGuild();
  if (permission !== undefined && !has(access.permissions, permission)) throw missingPermission();
  return access;
}

/** The overwrites that apply to a channel: its category's while it is synced. */
export function effectiveOverwrites(core: Core, channel: Channel): Overwrite[] {
  const source = channel.synced && channel.parentId ? channel.parentId : channel.id;
  return statements(core)
    .overwrites.all({ channel: id(source) })
    .map((o) => ({ id: o.targetId, type: o.type as 0 | 1, allow: o.allow, deny: o.deny }));
}

export interface ChannelAccess {
  channel: Channel;
  /** Null for a DM. */
  guild: GuildAccess | null;
  permissions: bigint;
}

const DM_PERMISSIONS = Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES | Permission.READ_MESSAGE_HISTORY | Permission.ADD_REACTIONS | Permission.PIN_MESSAGES | Permission.EMBED_LINKS | Permission.ATTACH_FILES | Permission.CONNECT | Permission.SPEAK | Permission.STREAM | Permission.USE_VAD;

export function channelAccessFor(core: Core, access: GuildAccess, channel: Channel): bigint {
  // A timeout or pending screening leaves only reading, in every channel (moderation/restrict.ts).
  const perms = isThreadType(channel.type) ? threadAccessFor(core, access, channel) : channelPermissions(access.context, effectiveOverwrites(core, channel), channel.type);
  return restrictPermissions(access.member, access.isOwner, perms);
}

/** A thread is seen through its parent channel; without its parent or its thread row, not at all. */
function threadAccessFor(core: Core, access: GuildAccess, thread: Channel): bigint {
  const parent = thread.parentId ? statements(core).channel.get({ id: id(thread.parentId) }) : undefined;
  const state = threadRow(core.db, thread.id);
  if (!parent || !state || parent.guildId !== thread.guildId) return 0n;
  return threadPermissions(channelPermissions(access.context, effectiveOverwrites(core, parent), thread.type), state);
}

/** The channel as the caller may see it, or null (not there, not a member, no VIEW_CHANNEL, not a DM recipient). */
export function channelAccess(core: Core, userId: string, channelId: string): ChannelAccess | null {
  return memoryOf(core).channels.get(
    `${userId}:${channelId}`,
    () => readBatch(core.db, () => lookupChannelAccess(core, userId, channelId)),
    (a) => untilTime(a?.guild?.member.communicationDisabledUntil),
  );
}

function lookupChannelAccess(core: Core, userId: string, channelId: string): ChannelAccess | null {
  const channel = statements(core).channel.get({ id: id(channelId) });
  if (!channel) return null;
  if (channel.guildId === null) {
    const recipient = statements(core).recipient.get({ channel: id(channelId), user: id(userId) });
    return recipient ? { channel, guild: null, permissions: DM_PERMISSIONS } : null;
  }
  const access = guildAccess(core, userId, channel.guildId);
  if (!access) return null;
  const permissions = channelAccessFor(core, access, channel);
  return has(permissions, Permission.VIEW_CHANNEL) ? { channel, guild: access, permissions } : null;
}

export function requireChannel(core: Core, userId: string, channelId: string, permission?: bigint): ChannelAccess {
  const access = channelAccess(core, userId, channelId);
  if (!access) throw unknownChannel();
  // A timed-out or not-yet-screened member is told why and until when (moderation/restrict.ts).
  if (permission !== undefined && !has(access.permissions, permission)) throw (access.guild && restrictionError(access.guild)) || missingPermission();
  return access;
}

/** The guild's channels this member can see, in sidebar order (categories and their children). */
export function visibleChannels(core: Core, access: GuildAccess): Channel[] {
  // Threads are listed under their channel, not in the sidebar (threads/service.ts).
  const all = core.db.readOrm.select().from(channels).where(eq(channels.guildId, access.guild.id)).all().filter((c) => !isThreadType(c.type));
  const overwrites = new Map<string, Overwrite[]>();
  const ids = all.map((c) => c.id);
  if (ids.length) {
    for (const o of core.db.readOrm.select().from(permissionOverwrites).where(inArray(permissionOverwrites.channelId, ids)).all()) {
      const list = overwrites.get(o.channelId) ?? [];
      list.push({ id: o.targetId, type: o.type as 0 | 1, allow: o.allow, deny: o.deny });
      overwrites.set(o.channelId, list);
    }
  }
  const visible = all.filter((c) => {
    const source = c.synced && c.parentId ? c.parentId : c.id;
    return has(channelPermissions(access.context, overwrites.get(source) ?? [], c.type), Permission.VIEW_CHANNEL);
  });
  return sortChannels(visible);
}

/** Sidebar order: uncategorised channels first, then each category followed by its children. */
export function sortChannels(list: Channel[]): Channel[] {
  const byPos = (a: Channel, b: Channel) => a.position - b.position || (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
  // Within a level, text-like channels come before voice channels, as in Discord.
  const byKind = (a: Channel, b: Channel) => (a.type === 2 ? 1 : 0) - (b.type === 2 ? 1 : 0) || byPos(a, b);
  const categories = list.filter((c) => c.type === 4).sort(byPos);
  const categoryIds = new Set(categories.map((c) => c.id));
  const loose = list.filter((c) => c.type !== 4 && (!c.parentId || !categoryIds.has(c.parentId))).sort(byKind);
  const out = [...loose];
  for (const cat of categories) out.push(cat, ...list.filter((c) => c.type !== 4 && c.parentId === cat.id).sort(byKind));
  return out;
}
