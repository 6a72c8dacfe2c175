// Guild channels: text (0), voice (2), categories (4). Create, edit, move, reorder, delete, and
// permission overwrites (a channel inherits its category's until it is given its own).
import { auditChannel, auditOverwrite } from "../moderation/audit-hooks.ts";
import { and, eq, max } from "drizzle-orm";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { effectiveOverwrites, missingPermission, requireChannel, requireGuild, unknownChannel } from "../guilds/access.ts";
import { channels, members, permissionOverwrites, roles, type Channel } from "../guilds/table.ts";
import { ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { canGrant, has, Permission } from "../permissions/permissions.ts";

export const GUILD_CHANNEL_TYPES = [0, 2, 4] as const;
export const MAX_SLOWMODE = 21_600;
export const TOPIC_MAX = 1024;

/** Text channel names look like Discord's: lowercase, dashes for spaces, letters of any script. */
export function textChannelName(raw: string): string {
  const name = cleanText(raw)
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^\p{L}\p{N}_-]/gu, "")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  if ([...name].length < 1 || [...name].length > 100) throw fieldError({ name: "channel.nameLength" });
  return name;
}

export function channelName(type: number, raw: string): string {
  if (type === 0) return textChannelName(raw);
  const name = cleanText(raw);
  if ([...name].length < 1 || [...name].length > 100) throw fieldError({ name: "channel.nameLength" });
  return name;
}

function checkParent(core: Core, guildId: string, type: number, parentId: string | null | undefined): string | null {
  if (!parentId) return null;
  if (type === 4) throw fieldError({ parent_id: "channel.categoryNoParent" });
  const parent = core.db.readOrm.select().from(channels).where(and(eq(channels.id, parentId), eq(channels.guildId, guildId))).get();
  if (!parent || parent.type !== 4) throw fieldError({ parent_id: "channel.parentNotCategory" });
  return parent.id;
}

export interface NewChannel {
  name: string;
  type: number;
  parentId?: string | null;
  topic?: string;
}

export async function createChannel(core: Core, userId: string, guildId: string, input: NewChannel): Promise<Channel> {
  requireGuild(core, userId, guildId, Permission.MANAGE_CHANNELS);
  if (!(GUILD_CHANNEL_TYPES as readonly number[]).includes(input.type)) throw fieldError({ type: "channel.type" });
  const name = channelName(input.type, input.name);
  const parentId = checkParent(core, guildId, input.type, input.parentId);
  const topic = cleanTopic(input.topic ?? "");
  const id = ids.nextString();
  const created = await core.queue.write(({ orm }) => {
    const level = parentId ? eq(channels.parentId, parentId) : input.type === 4 ? eq(channels.type, 4) : eq(channels.guildId, guildId);
    const top = orm.select({ p: max(channels.position) }).from(channels).where(and(eq(channels.guildId, guildId), level)).get()?.p;
    const position = top === null || top === undefined ? 0 : Number(top) + 1;
    return orm
      .insert(channels)
      .values({ id, guildId, type: input.type, name, topic, position, parentId, rateLimitPerUser: 0, nsfw: false, synced: true, ownerId: null, createdAt: new Date().toISOString() })
      .returning()
      .get();
  });
  // Members who can see it learn about it live (gateway CHANNEL_CREATE, the tabs' channel list).
  core.hub.recheckAccess({ guildId });
  await auditChannel(core, guildId, null, created);
  return created;
}

function cleanTopic(raw: string): string {
  const topic = cleanText(raw, { multiline: true });
  if ([...topic].length > TOPIC_MAX) throw fieldError({ topic: "text.tooLong" }, { max: TOPIC_MAX });
  return topic;
}

export interface ChannelPatch {
  name?: string;
  topic?: string;
  rateLimitPerUser?: number;
  nsfw?: boolean;
  parentId?: string | null;
  position?: number;
  /** Voice channels: most participants at once, 0-99 (0 = no limit). */
  userLimit?: number;
}

export async function updateChannel(core: Core, userId: string, channelId: string, patch: ChannelPatch): Promise<Channel> {
  const { channel, guild } = requireChannel(core, userId, channelId, Permission.MANAGE_CHANNELS);
  if (!guild) throw unknownChannel();
  const set: Partial<Channel> = {};
  if (patch.name !== undefined) set.name = channelName(channel.type, patch.name);
  if (patch.topic !== undefined) set.topic = cleanTopic(patch.topic);
  if (patch.rateLimitPerUser !== undefined) {
    if (!Number.isInteger(patch.rateLimitPerUser) || patch.rateLimitPerUser < 0 || patch.rateLimitPerUser > MAX_SLOWMODE) throw fieldError({ rate_limit_per_user: "channel.slowmode" });
    set.rateLimitPerUser = patch.rateLimitPerUser;
  }
  if (patch.nsfw !== undefined) set.nsfw = patch.nsfw;
  if (patch.parentId !== undefined) set.parentId = checkParent(core, guild.guild.id, channel.type, patch.parentId);
  if (patch.position !== undefined) set.position = Math.max(0, Math.min(10_000, Math.trunc(patch.position)));
  if (patch.userLimit !== undefined) {
    if (channel.type !== 2 || !Number.isInteger(patch.userLimit) || patch.userLimit < 0 || patch.userLimit > 99) throw fieldError({ user_limit: "voice.userLimitInvalid" });
    set.userLimit = patch.userLimit;
  }
  if (Object.keys(set).length === 0) return channel;
  const after = await core.queue.write(({ orm }) => orm.update(channels).set(set).where(eq(channels.id, channelId)).returning().get());
  await auditChannel(core, guild.guild.id, channel, after);
  return after;
}

export async function deleteChannel(core: Core, userId: string, channelId: string): Promise<Channel> {
  const { channel, guild } = requireChannel(core, userId, channelId, Permission.MANAGE_CHANNELS);
  if (!guild) throw unknownChannel();
  await core.queue.write(({ orm }) => orm.delete(channels).where(eq(channels.id, channelId)).run());
  core.hub.recheckAccess();
  await auditChannel(core, guild.guild.id, channel, null);
  return channel;
}

/** New positions (and optionally categories) for several channels at once: drag and drop. */
export async function reorderChannels(core: Core, userId: string, guildId: string, moves: { id: string; position: number; parentId?: string | null }[]): Promise<void> {
  requireGuild(core, userId, guildId, Permission.MANAGE_CHANNELS);
  const all = new Map(core.db.readOrm.select().from(channels).where(eq(channels.guildId, guildId)).all().map((c) => [c.id, c]));
  for (const move of moves) {
    const channel = all.get(move.id);
    if (!channel) throw unknownChannel();
    if (move.parentId !== undefined) checkParent(core, guildId, channel.type, move.parentId);
  }
  const moved = await core.queue.write(({ orm }) => {
    const out: Channel[] = [];
    for (const move of moves) {
      const set: Partial<Channel> = { position: Math.max(0, Math.min(10_000, Math.trunc(move.position))) };
      if (move.parentId !== undefined) set.parentId = move.parentId;
      const row = orm.update(channels).set(set).where(eq(channels.id, move.id)).returning().get();
      if (row) out.push(row);
    }
    return out;
  });
  // Discord logs a reorder as one CHANNEL_UPDATE per channel that moved (position, parent_id).
  for (const row of moved) await auditChannel(core, guildId, all.get(row.id)!, row);
}

export interface OverwriteInput {
  targetId: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

/**
 * Set one overwrite. Needs MANAGE_ROLES in the channel, and only permissions the editor has can be
 * allowed or denied. A synced channel first takes a copy of its category's overwrites.
 */
export async function setOverwrite(core: Core, userId: string, channelId: string, input: OverwriteInput): Promise<void> {
  const { channel, guild, permissions } = requireChannel(core, userId, channelId, Permission.MANAGE_ROLES);
  if (!guild) throw unknownChannel();
  if (!canGrant(guild.isOwner || has(guild.permissions, Permission.ADMINISTRATOR) ? guild.permissions : permissions, input.allow | input.deny, guild.isOwner)) throw missingPermission();
  if (input.type === 0) {
    const role = core.db.readOrm.select().from(roles).where(and(eq(roles.id, input.targetId), eq(roles.guildId, guild.guild.id))).get();
    if (!role) throw fieldError({ id: "role.unknown" });
  } else {
    const member = core.db.readOrm.select().from(members).where(and(eq(members.guildId, guild.guild.id), eq(members.userId, input.targetId))).get();
    if (!member) throw fieldError({ id: "member.unknown" });
  }
  const inherited = channel.synced && channel.parentId ? effectiveOverwrites(core, channel) : null;
  const before = effectiveOverwrites(core, channel).find((o) => o.id === input.targetId) ?? null;
  await core.queue.write(({ orm }) => {
    if (inherited) {
      for (const o of inherited) orm.insert(permissionOverwrites).values({ channelId, targetId: o.id, type: o.type, allow: o.allow, deny: o.deny }).onConflictDoNothing().run();
      orm.update(channels).set({ synced: false }).where(eq(channels.id, channelId)).run();
    }
    if (input.allow === 0n && input.deny === 0n) {
      orm.delete(permissionOverwrites).where(and(eq(permissionOverwrites.channelId, channelId), eq(permissionOverwrites.targetId, input.targetId))).run();
      return;
    }
    orm
      .insert(permissionOverwrites)
      .values({ channelId, targetId: input.targetId, type: input.type, allow: input.allow & ~input.deny, deny: input.deny })
      .onConflictDoUpdate({ target: [permissionOverwrites.channelId, permissionOverwrites.targetId], set: { type: input.type, allow: input.allow & ~input.deny, deny: input.deny } })
      .run();
  });
  core.hub.recheckAccess();
  const gone = input.allow === 0n && input.deny === 0n;
  await auditOverwrite(core, guild.guild.id, channelId, before, gone ? null : { id: input.targetId, type: input.type, allow: input.allow & ~input.deny, deny: input.deny });
}

export async function deleteOverwrite(core: Core, userId: string, channelId: string, targetId: string): Promise<void> {
  const access = requireChannel(core, userId, channelId, Permission.MANAGE_ROLES);
  if (!access.guild) throw unknownChannel();
  const existing = effectiveOverwrites(core, access.channel).find((o) => o.id === targetId);
  if (!existing) return;
  await setOverwrite(core, userId, channelId, { targetId, type: existing.type, allow: 0n, deny: 0n });
}

/** Drop the channel's own overwrites and follow its category again. */
export async function syncWithCategory(core: Core, userId: string, channelId: string): Promise<void> {
  const { channel } = requireChannel(core, userId, channelId, Permission.MANAGE_ROLES);
  if (!channel.parentId) throw keyedError(400, ErrorCode.invalidBody, "channel.noCategory");
  await core.queue.write(({ orm }) => {
    orm.delete(permissionOverwrites).where(eq(permissionOverwrites.channelId, channelId)).run();
    orm.update(channels).set({ synced: true }).where(eq(channels.id, channelId)).run();
  });
  core.hub.recheckAccess();
}

export function channelJson(core: Core, channel: Channel) {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    topic: channel.topic || null,
    position: channel.position,
    parent_id: channel.parentId,
    rate_limit_per_user: channel.rateLimitPerUser,
    nsfw: channel.nsfw,
    ...(channel.type === 2 ? { user_limit: channel.userLimit, bitrate: 64000 } : {}),
    permission_overwrites: channel.guildId
      ? effectiveOverwrites(core, channel).map((o) => ({ id: o.id, type: o.type, allow: o.allow.toString(), deny: o.deny.toString() }))
      : [],
  };
}
