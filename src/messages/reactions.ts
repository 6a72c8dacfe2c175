// Reactions: toggling an emoji on a message, counts, who reacted. A new emoji on a message needs
// ADD_REACTIONS; joining an existing one needs only to see the history (as in Discord). At most
// 20 different emoji per message.
import { and, asc, eq, sql } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import { restrictionError } from "../moderation/restrict.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { emitMessageEvent, unknownMessage } from "./service.ts";
import { messages, reactions } from "./table.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { idList } from "../db/columns.ts";
import { eventChannelId } from "../threads/rules.ts";
import { checkReactionEmoji } from "../emoji/content.ts";

export const MAX_DISTINCT = 20;

/** Unicode emoji (1-16 code points, no spaces or angle brackets) or a custom "name:id". */
// Format characters (bidi overrides, zero-width spaces) have no place in an emoji; the joiner of
// multi-person emoji and the tag characters of subdivision flags do.
const invisibleFormatting = /(?![\u200D\u{E0020}-\u{E007F}])\p{Cf}/u;

export function parseEmoji(raw: string): string | null {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (/^[A-Za-z0-9_]{2,32}:\d{1,20}$/.test(value)) return value;
  const points = [...value];
  if (points.length === 0 || points.length > 16 || /[\s<>"'&\\/]|\p{Cc}/u.test(value) || invisibleFormatting.test(value) || /^[\p{L}\p{N}]+$/u.test(value)) return null;
  return /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}]/u.test(value) ? value : null;
}

const badEmoji = () => new AppError(400, ErrorCode.invalidBody, "Unknown emoji.", { fields: { emoji: "Not an emoji." } });

function findMessage(core: Core, channelId: string, messageId: string) {
  const message = core.db.readOrm.select().from(messages).where(and(eq(messages.id, messageId), eq(messages.channelId, channelId))).get();
  if (!message) throw unknownMessage();
  return message;
}

export async function addReaction(core: Core, userId: string, channelId: string, messageId: string, rawEmoji: string): Promise<void> {
  const access = requireChannel(core, userId, channelId, Permission.READ_MESSAGE_HISTORY);
  // A timed-out member cannot react at all, not even add to an existing reaction (as on Discord).
  const restricted = access.guild && restrictionError(access.guild);
  if (restricted) throw restricted;
  const emoji = parseEmoji(rawEmoji);
  if (!emoji) throw badEmoji();
  checkReactionEmoji(core, userId, access, emoji);
  const message = findMessage(core, channelId, messageId);
  const added = await core.queue.write(({ orm }) => {
    const present = orm.selectDistinct({ emoji: reactions.emoji }).from(reactions).where(eq(reactions.messageId, messageId)).all().map((r) => r.emoji);
    if (!present.includes(emoji)) {
      if (!has(access.permissions, Permission.ADD_REACTIONS)) throw new AppError(403, ErrorCode.forbidden, "You cannot add new reactions here.", { key: "error.forbidden" });
      if (present.length >= MAX_DISTINCT) throw new AppError(400, ErrorCode.invalidBody, `A message can have at most ${MAX_DISTINCT} different reactions.`);
    }
    return orm.insert(reactions).values({ messageId, emoji, userId, createdAt: new Date().toISOString() }).onConflictDoNothing().returning({ emoji: reactions.emoji }).all().length > 0;
  });
  if (added) {
    emitMessageEvent(core, { type: "update", message });
    core.hub.gateway?.dispatch(JsonTopic.channel(eventChannelId(access.channel)), "MESSAGE_REACTION_ADD", { user_id: userId, channel_id: channelId, message_id: messageId, guild_id: access.channel.guildId ?? undefined, emoji: emojiObject(emoji) });
  }
}

const emojiObject = (emoji: string) => {
  const custom = /^(\w+):(\d+)$/.exec(emoji);
  return custom ? { id: custom[2], name: custom[1] } : { id: null, name: emoji };
};

export async function removeReaction(core: Core, userId: string, channelId: string, messageId: string, rawEmoji: string): Promise<void> {
  const access = requireChannel(core, userId, channelId, Permission.READ_MESSAGE_HISTORY);
  const emoji = parseEmoji(rawEmoji);
  if (!emoji) throw badEmoji();
  const message = findMessage(core, channelId, messageId);
  const removed = await core.queue.write(({ orm }) =>
    orm.delete(reactions).where(and(eq(reactions.messageId, messageId), eq(reactions.emoji, emoji), eq(reactions.userId, userId))).returning({ emoji: reactions.emoji }).all().length > 0,
  );
  if (removed) {
    emitMessageEvent(core, { type: "update", message });
    core.hub.gateway?.dispatch(JsonTopic.channel(eventChannelId(access.channel)), "MESSAGE_REACTION_REMOVE", { user_id: userId, channel_id: channelId, message_id: messageId, emoji: emojiObject(emoji) });
  }
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  userIds: string[];
  names: string[];
}

// Runs for every message shown or broadcast: prepared once per connection, ids as a JSON array.
const summaryQueries = new WeakMap<Core["db"], ReturnType<typeof buildSummaryQuery>>();
const buildSummaryQuery = (orm: Core["db"]["readOrm"]) =>
  orm
    .select({ messageId: reactions.messageId, emoji: reactions.emoji, userId: reactions.userId, name: sql<string>`coalesce(${users.displayName}, ${users.username})` })
    .from(reactions)
    .innerJoin(users, eq(users.id, reactions.userId))
    .where(sql`${reactions.messageId} in (select value from json_each(${sql.placeholder("ids")}))`)
    .orderBy(asc(reactions.createdAt))
    .prepare();
function summaryQuery(core: Core) {
  let q = summaryQueries.get(core.db);
  if (!q) summaryQueries.set(core.db, (q = buildSummaryQuery(core.db.readOrm)));
  return q;
}

/** Per message, its reactions in the order they first appeared, with who reacted. */
export function reactionSummaries(core: Core, messageIds: string[]): Map<string, ReactionSummary[]> {
  const out = new Map<string, ReactionSummary[]>();
  if (messageIds.length === 0) return out;
  const rows = summaryQuery(core).all({ ids: idList(messageIds) });
  for (const r of rows) {
    const list = out.get(r.messageId) ?? [];
    let entry = list.find((e) => e.emoji === r.emoji);
    if (!entry) list.push((entry = { emoji: r.emoji, count: 0, userIds: [], names: [] }));
    entry.count++;
    entry.userIds.push(r.userId);
    entry.names.push(r.name);
    out.set(r.messageId, list);
  }
  return out;
}

export function reactors(core: Core, userId: string, channelId: string, messageId: string, rawEmoji: string): User[] {
  requireChannel(core, userId, channelId, Permission.READ_MESSAGE_HISTORY);
  const emoji = parseEmoji(rawEmoji);
  if (!emoji) throw badEmoji();
  findMessage(core, channelId, messageId);
  return core.db.readOrm.select({ user: users }).from(reactions).innerJoin(users, eq(users.id, reactions.userId)).where(and(eq(reactions.messageId, messageId), eq(reactions.emoji, emoji))).limit(100).all().map((r) => r.user);
}
