// Deleting many messages at once (bulk delete, "last N", a ban's "delete their messages from the
// last ...", an IP ban's purge): one transaction per channel, then each browser showing the channel
// removes them live and JSON clients get one MESSAGE_DELETE_BULK per channel (as on Discord).
import { and, desc, eq, gte, inArray } from "drizzle-orm";
import type { Core } from "../core.ts";
import { snowflakeAt, snowflakeTime } from "../db/snowflake.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { requireChannel } from "../guilds/access.ts";
import { channels, type Channel } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { emitMessageEvent } from "../messages/service.ts";
import { messages, type Message } from "../messages/table.ts";
import { Permission } from "../permissions/permissions.ts";
import { eventChannelId } from "../threads/rules.ts";
import { AuditAction, audit } from "./audit.ts";

/** Discord: bulk delete takes 2-100 messages, none older than two weeks. */
export const BULK_MIN = 2;
export const BULK_MAX = 100;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;

/** Delete these messages of one channel and announce it. Returns how many went. */
export async function deleteMessagesLive(core: Core, channel: Channel, found: Message[]): Promise<number> {
  if (found.length === 0) return 0;
  const idList = found.map((m) => m.id);
  await core.queue.write(({ orm }) => {
    for (let i = 0; i < idList.length; i += 500) orm.delete(messages).where(inArray(messages.id, idList.slice(i, i + 500))).run();
  });
  // Browsers: each message's own delete fragment (messages/live.tsx); other listeners (files,
  // threads) run as for any delete. JSON clients: one MESSAGE_DELETE_BULK instead of one per message.
  for (const message of found) emitMessageEvent(core, { type: "delete", message, bulk: true });
  core.hub.gateway?.dispatch(JsonTopic.channel(eventChannelId(channel)), "MESSAGE_DELETE_BULK", { ids: idList, channel_id: channel.id, guild_id: channel.guildId ?? undefined });
  return found.length;
}

/** POST /channels/{id}/messages/bulk-delete: MANAGE_MESSAGES; a bad list deletes nothing. */
export async function bulkDelete(core: Core, userId: string, channelId: string, messageIds: string[]): Promise<number> {
  const access = requireChannel(core, userId, channelId, Permission.MANAGE_MESSAGES);
  const wanted = [...new Set(messageIds)];
  if (wanted.length < BULK_MIN || wanted.length > BULK_MAX) throw new AppError(400, ErrorCode.invalidBody, `Bulk delete takes ${BULK_MIN} to ${BULK_MAX} messages.`, { fields: { messages: `${BULK_MIN} to ${BULK_MAX} ids.` } });
  const oldest = Date.now() - TWO_WEEKS_MS;
  if (wanted.some((id) => snowflakeTime(id).getTime() < oldest)) throw new AppError(400, ErrorCode.invalidBody, "You can only bulk delete messages that are under 14 days old.", { fields: { messages: "Older than 14 days." } });
  const found = core.db.readOrm.select().from(messages).where(and(eq(messages.channelId, channelId), inArray(messages.id, wanted))).all();
  if (found.length !== wanted.length) throw new AppError(400, ErrorCode.invalidBody, "Some messages are not in this channel.", { fields: { messages: "Unknown message." } });
  const count = await deleteMessagesLive(core, access.channel, found);
  if (access.channel.guildId) await audit(core, { guildId: access.channel.guildId, userId, action: AuditAction.MESSAGE_BULK_DELETE, targetId: channelId, options: { count: String(count) } });
  return count;
}

/** "Delete the last N": the newest N messages of the channel still under two weeks old (at most 100). */
export async function deleteLast(core: Core, userId: string, channelId: string, n: number): Promise<number> {
  requireChannel(core, userId, channelId, Permission.MANAGE_MESSAGES);
  const since = snowflakeAt(new Date(Date.now() - TWO_WEEKS_MS)).toString();
  const last = core.db.readOrm.select({ id: messages.id }).from(messages).where(and(eq(messages.channelId, channelId), gte(messages.id, since))).orderBy(desc(messages.id)).limit(Math.min(BULK_MAX, Math.max(1, n))).all();
  if (last.length === 0) return 0;
  return deleteSelected(core, userId, channelId, last.map((m) => m.id));
}

/** Messages picked in the browser: one is deleted as such (not a bulk delete for Discord), more in bulk. */
export async function deleteSelected(core: Core, userId: string, channelId: string, messageIds: string[]): Promise<number> {
  const wanted = [...new Set(messageIds)];
  if (wanted.length !== 1) return bulkDelete(core, userId, channelId, wanted);
  const access = requireChannel(core, userId, channelId, Permission.MANAGE_MESSAGES);
  const found = core.db.readOrm.select().from(messages).where(and(eq(messages.id, wanted[0]!), eq(messages.channelId, channelId))).all();
  if (found.length === 0) throw new AppError(400, ErrorCode.invalidBody, "Some messages are not in this channel.", { fields: { messages: "Unknown message." } });
  const count = await deleteMessagesLive(core, access.channel, found);
  if (access.channel.guildId) await audit(core, { guildId: access.channel.guildId, userId, action: AuditAction.MESSAGE_DELETE, targetId: found[0]!.authorId, options: { channel_id: channelId, count: "1" } });
  return count;
}

/** A ban's or IP ban's purge: every message by these users in this server's channels (threads included) since `sinceMs`. */
export async function purgeAuthors(core: Core, guildId: string, authorIds: string[], sinceMs: number): Promise<number> {
  if (authorIds.length === 0 || sinceMs <= 0) return 0;
  const since = snowflakeAt(new Date(Date.now() - sinceMs)).toString();
  let total = 0;
  for (const channel of core.db.readOrm.select().from(channels).where(eq(channels.guildId, guildId)).all()) {
    const found = core.db.readOrm.select().from(messages).where(and(eq(messages.channelId, channel.id), gte(messages.id, since), inArray(messages.authorId, authorIds))).all();
    total += await deleteMessagesLive(core, channel, found);
  }
  return total;
}
