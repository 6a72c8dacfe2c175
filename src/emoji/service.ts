// Custom emoji of a server: MANAGE_GUILD_EXPRESSIONS adds, renames and removes them; every member
// sees them. In messages they are stored as Discord writes them, <:name:id> or <a:name:id>; in
// reactions as name:id (see messages/reactions.ts).
import { and, asc, eq, inArray } from "drizzle-orm";
import { join } from "node:path";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { requireGuild } from "../guilds/access.ts";
import { myGuilds } from "../guilds/service.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { Permission } from "../permissions/permissions.ts";
import { auditEmoji } from "../moderation/audit-hooks.ts";
import { emojisChanged } from "./events.ts";
import { storeEmojiImage } from "./image.ts";
import { customEmojis, type CustomEmoji } from "./table.ts";

export const EMOJI_NAME = /^[A-Za-z0-9_]{2,32}$/;
/** Per server, as Discord's base tier: 50 static and 50 animated. */
export const MAX_PER_KIND = 50;

export const emojiDir = (core: Core) => join(core.config.dataDir, "emojis");
export const unknownEmoji = () => new AppError(404, ErrorCode.unknownRoute, "Unknown emoji.", { key: "error.notFound" });

function checkName(name: string): string {
  if (!EMOJI_NAME.test(name)) throw keyedError(400, ErrorCode.invalidBody, "emoji.badName");
  return name;
}

export function listEmojis(core: Core, userId: string, guildId: string): CustomEmoji[] {
  requireGuild(core, userId, guildId);
  return core.db.readOrm.select().from(customEmojis).where(eq(customEmojis.guildId, guildId)).orderBy(asc(customEmojis.name)).all();
}

export function findEmoji(core: Core, userId: string, guildId: string, emojiId: string): CustomEmoji {
  requireGuild(core, userId, guildId);
  const emoji = core.db.readOrm.select().from(customEmojis).where(and(eq(customEmojis.id, emojiId), eq(customEmojis.guildId, guildId))).get();
  if (!emoji) throw unknownEmoji();
  return emoji;
}

export async function createEmoji(core: Core, userId: string, guildId: string, name: string, image: Uint8Array): Promise<CustomEmoji> {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD_EXPRESSIONS);
  checkName(name);
  const stored = await storeEmojiImage(emojiDir(core), image);
  const created = await core.queue.write(({ orm }) => {
    const existing = orm.select().from(customEmojis).where(eq(customEmojis.guildId, guildId)).all();
    if (existing.some((e) => e.name === name)) throw keyedError(409, ErrorCode.conflict, "emoji.nameTaken");
    if (existing.filter((e) => e.animated === stored.animated).length >= MAX_PER_KIND) throw keyedError(400, ErrorCode.invalidBody, "emoji.limit", { max: MAX_PER_KIND });
    return orm
      .insert(customEmojis)
      .values({ id: ids.nextString(), guildId, name, animated: stored.animated, format: stored.format, file: stored.file, creatorId: userId, createdAt: new Date().toISOString() })
      .returning()
      .get();
  });
  emojisChanged(core, guildId);
  await auditEmoji(core, guildId, null, created);
  return created;
}

export async function renameEmoji(core: Core, userId: string, guildId: string, emojiId: string, name: string): Promise<CustomEmoji> {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD_EXPRESSIONS);
  const before = findEmoji(core, userId, guildId, emojiId);
  checkName(name);
  const renamed = await core.queue.write(({ orm }) => {
    const clash = orm.select().from(customEmojis).where(and(eq(customEmojis.guildId, guildId), eq(customEmojis.name, name))).get();
    if (clash && clash.id !== emojiId) throw keyedError(409, ErrorCode.conflict, "emoji.nameTaken");
    return orm.update(customEmojis).set({ name }).where(eq(customEmojis.id, emojiId)).returning().get()!;
  });
  emojisChanged(core, guildId);
  await auditEmoji(core, guildId, before, renamed);
  return renamed;
}

export async function deleteEmoji(core: Core, userId: string, guildId: string, emojiId: string): Promise<void> {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD_EXPRESSIONS);
  const before = findEmoji(core, userId, guildId, emojiId);
  await core.queue.write(({ orm }) => orm.delete(customEmojis).where(eq(customEmojis.id, emojiId)).run());
  emojisChanged(core, guildId);
  await auditEmoji(core, guildId, before, null);
}

/** Every custom emoji of the servers a user is in (for the picker and for checking what they send). */
export function emojisOfMyGuilds(core: Core, userId: string): CustomEmoji[] {
  const guildIds = myGuilds(core, userId).map((g) => g.id);
  return guildIds.length ? core.db.readOrm.select().from(customEmojis).where(inArray(customEmojis.guildId, guildIds)).orderBy(asc(customEmojis.name)).all() : [];
}

/** Discord's emoji object. */
export const emojiJson = (e: CustomEmoji) => ({ id: e.id, name: e.name, animated: e.animated, available: true, managed: false, require_colons: true, roles: [] as string[] });

export const emojiPath = (e: Pick<CustomEmoji, "id" | "animated">) => `/emojis/${e.id}.${e.animated ? "gif" : "webp"}`;
