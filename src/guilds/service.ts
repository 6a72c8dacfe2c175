// Servers: create (with the default layout), edit, delete, transfer, leave, list mine.
import { auditGuild } from "../moderation/audit-hooks.ts";
import { and, asc, eq, sql } from "drizzle-orm";
import { users } from "../auth/table.ts";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import type { WriteContext } from "../db/commit-queue.ts";
import { ids } from "../db/snowflake.ts";
import { readSetting } from "../instance/service.ts";
import { ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { DEFAULT_EVERYONE_PERMISSIONS } from "../permissions/permissions.ts";
import { requireGuild, unknownGuild } from "./access.ts";
import { channels, guilds, members, roles, type Guild } from "./table.ts";
import { botRoles } from "../bots/table.ts";
import { memberRemoved } from "../members/events.ts";
import { roleDeleted } from "../roles/events.ts";

export const SERVER_CREATION = ["everyone", "admins"] as const;
export type ServerCreation = (typeof SERVER_CREATION)[number];
export const serverCreation = (core: Core): ServerCreation => (readSetting<string>(core.db.readOrm, "server_creation") === "admins" ? "admins" : "everyone");

export function cleanGuildName(raw: string): string {
  const name = cleanText(raw);
  const length = [...name].length;
  if (length < 2 || length > 100) throw fieldError({ name: "guild.nameLength" });
  return name;
}

export function cleanDescription(raw: string): string {
  const text = cleanText(raw, { multiline: true });
  if ([...text].length > 300) throw fieldError({ description: "text.tooLong" }, { max: 300 });
  return text;
}

function insertChannel(tx: WriteContext, values: { guildId: string; type: number; name: string; position: number; parentId?: string | null }): string {
  const id = ids.nextString();
  tx.orm
    .insert(channels)
    .values({ id, guildId: values.guildId, type: values.type, name: values.name, topic: "", position: values.position, parentId: values.parentId ?? null, rateLimitPerUser: 0, nsfw: false, synced: true, ownerId: null, createdAt: new Date().toISOString() })
    .run();
  return id;
}

export interface NewGuild {
  name: string;
  description?: string;
  /** Localised names for the default channels. */
  layout: { textCategory: string; voiceCategory: string; general: string; generalVoice: string };
}

/** A new server: @everyone, "Text Channels" with #general, "Voice Channels" with General. */
export async function createGuild(core: Core, ownerId: string, input: NewGuild): Promise<Guild> {
  const owner = core.db.readOrm.select({ isAdmin: users.isAdmin }).from(users).where(eq(users.id, ownerId)).get();
  if (serverCreation(core) === "admins" && !owner?.isAdmin) throw keyedError(403, ErrorCode.forbidden, "guild.creationAdminsOnly");
  const name = cleanGuildName(input.name);
  const description = cleanDescription(input.description ?? "");
  const id = ids.nextString();
  const now = new Date().toISOString();
  const created = await core.queue.write((tx) => {
    const guild = tx.orm.insert(guilds).values({ id, name, description, ownerId, icon: null, createdAt: now }).returning().get();
    tx.orm.insert(roles).values({ id, guildId: id, name: "@everyone", color: 0, hoist: false, mentionable: false, position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS, createdAt: now }).run();
    tx.orm.insert(members).values({ guildId: id, userId: ownerId, nick: null, joinedAt: now }).run();
    const text = insertChannel(tx, { guildId: id, type: 4, name: input.layout.textCategory, position: 0 });
    insertChannel(tx, { guildId: id, type: 0, name: input.layout.general, position: 0, parentId: text });
    const voice = insertChannel(tx, { guildId: id, type: 4, name: input.layout.voiceCategory, position: 1 });
    insertChannel(tx, { guildId: id, type: 2, name: input.layout.generalVoice, position: 0, parentId: voice });
    return guild;
  });
  // The owner's open gateway sessions get GUILD_CREATE, their tabs the new server on the rail.
  core.hub.recheckAccess({ userId: ownerId });
  return created;
}

export function myGuilds(core: Core, userId: string): Guild[] {
  return core.db.readOrm.select({ guild: guilds }).from(members).innerJoin(guilds, eq(guilds.id, members.guildId)).where(eq(members.userId, userId)).orderBy(asc(members.joinedAt)).all().map((r) => r.guild);
}

export async function updateGuild(core: Core, guildId: string, patch: { name?: string; description?: string; icon?: string | null }): Promise<Guild> {
  const set: Partial<Guild> = {};
  if (patch.name !== undefined) set.name = cleanGuildName(patch.name);
  if (patch.description !== undefined) set.description = cleanDescription(patch.description);
  if (patch.icon !== undefined) set.icon = patch.icon;
  if (Object.keys(set).length === 0) return findGuild(core, guildId);
  const before = findGuild(core, guildId);
  const after = await core.queue.write(({ orm }) => orm.update(guilds).set(set).where(eq(guilds.id, guildId)).returning().get());
  await auditGuild(core, guildId, before, after);
  return after;
}

/** Only the owner deletes, and must type the server's name to confirm. */
export async function deleteGuild(core: Core, userId: string, guildId: string, confirmName: string): Promise<void> {
  const access = requireGuild(core, userId, guildId);
  if (!access.isOwner) throw keyedError(403, ErrorCode.forbidden, "guild.ownerOnly");
  if (confirmName.trim() !== access.guild.name) throw fieldError({ confirm: "guild.confirmName" });
  await core.queue.write(({ orm }) => orm.delete(guilds).where(eq(guilds.id, guildId)).run());
  core.hub.recheckAccess();
}

export async function transferOwnership(core: Core, userId: string, guildId: string, newOwnerId: string): Promise<Guild> {
  const access = requireGuild(core, userId, guildId);
  if (!access.isOwner) throw keyedError(403, ErrorCode.forbidden, "guild.ownerOnly");
  const target = core.db.readOrm.select().from(members).where(and(eq(members.guildId, guildId), eq(members.userId, newOwnerId))).get();
  if (!target) throw keyedError(400, ErrorCode.invalidBody, "guild.transferMember");
  const after = await core.queue.write(({ orm }) => orm.update(guilds).set({ ownerId: newOwnerId }).where(eq(guilds.id, guildId)).returning().get());
  // GUILD_UPDATE with owner_id before/after, as Discord logs it.
  await auditGuild(core, guildId, access.guild, after);
  return after;
}

export async function leaveGuild(core: Core, userId: string, guildId: string): Promise<void> {
  const access = requireGuild(core, userId, guildId);
  if (access.isOwner) throw keyedError(400, ErrorCode.invalidBody, "guild.ownerCannotLeave");
  const dropped = await core.queue.write(({ orm }) => {
    orm.delete(members).where(and(eq(members.guildId, guildId), eq(members.userId, userId))).run();
    // A bot that leaves takes its managed role with it.
    const managed = orm.select({ id: botRoles.roleId }).from(botRoles).where(and(eq(botRoles.guildId, guildId), eq(botRoles.botId, userId))).all();
    for (const r of managed) orm.delete(roles).where(eq(roles.id, r.id)).run();
    return managed;
  });
  core.hub.recheckAccess();
  memberRemoved(core, guildId, userId);
  for (const r of dropped) roleDeleted(core, guildId, r.id);
}

export function memberCount(core: Core, guildId: string): number {
  return Number(core.db.readOrm.select({ n: sql<bigint>`count(*)` }).from(members).where(eq(members.guildId, guildId)).get()!.n);
}

export function findGuild(core: Core, guildId: string): Guild {
  const guild = core.db.readOrm.select().from(guilds).where(eq(guilds.id, guildId)).get();
  if (!guild) throw unknownGuild();
  return guild;
}
