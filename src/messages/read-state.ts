// Read state: per user per channel, the last message they have seen and how many times they were
// mentioned since. Unread channels are bold in the sidebar; mention counts become badges.
import { and, eq, inArray, max, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import type { WriteContext } from "../db/commit-queue.ts";
import { dmRecipients, members } from "../guilds/table.ts";
import { messageMentions, messages, readStates, type Message } from "./table.ts";

export interface ChannelState {
  unread: boolean;
  mentions: number;
}

/** Who a new message mentions: <@id> of members (in a DM, every other person in it). */
export function mentionedUsers(tx: WriteContext, message: Message, guildId: string | null): string[] {
  const { orm } = tx;
  if (guildId === null) {
    return orm.select({ id: dmRecipients.userId }).from(dmRecipients).where(eq(dmRecipients.channelId, message.channelId)).all().map((r) => r.id).filter((id) => id !== message.authorId);
  }
  const ids = [...new Set([...message.content.matchAll(/<@!?(\d{1,20})>/g)].map((m) => m[1]!))].filter((id) => id !== message.authorId);
  if (ids.length === 0) return [];
  return orm.select({ id: members.userId }).from(members).where(and(eq(members.guildId, guildId), inArray(members.userId, ids))).all().map((r) => r.id);
}

/** Inside the send transaction: record mentions and bump the mentioned people's counters. */
export function recordMentions(tx: WriteContext, message: Message, userIds: string[]): void {
  for (const userId of userIds) {
    tx.orm.insert(messageMentions).values({ messageId: message.id, userId }).onConflictDoNothing().run();
    tx.orm
      .insert(readStates)
      .values({ userId, channelId: message.channelId, lastReadId: "0", mentionCount: 1 })
      .onConflictDoUpdate({ target: [readStates.userId, readStates.channelId], set: { mentionCount: sql`${readStates.mentionCount} + 1` } })
      .run();
  }
}

/** Mark a channel read up to a message (default: its newest). Never moves backwards. */
export async function markRead(core: Core, userId: string, channelId: string, upTo?: string): Promise<void> {
  const newest = upTo ?? core.db.readOrm.select({ id: max(messages.id) }).from(messages).where(eq(messages.channelId, channelId)).get()?.id;
  if (!newest) return;
  const current = core.db.readOrm.select().from(readStates).where(and(eq(readStates.userId, userId), eq(readStates.channelId, channelId))).get();
  if (current && BigInt(current.lastReadId) >= BigInt(newest) && current.mentionCount === 0) return;
  await core.queue.write(({ orm }) =>
    orm
      .insert(readStates)
      .values({ userId, channelId, lastReadId: newest, mentionCount: 0 })
      .onConflictDoUpdate({ target: [readStates.userId, readStates.channelId], set: { lastReadId: sql`max(${readStates.lastReadId}, ${BigInt(newest)})`, mentionCount: 0 } })
      .run(),
  );
}

/** Unread and mention state of many channels for one user, in two queries. */
export function channelStates(core: Core, userId: string, channelIds: string[]): Map<string, ChannelState> {
  const out = new Map<string, ChannelState>();
  if (channelIds.length === 0) return out;
  // One max() per channel: SQLite answers each from the (channel_id, id) index in a step, while
  // a GROUP BY over all channels reads every index entry (measured: 6 ms at 100k messages).
  const newestQuery = core.db.reader.query<{ id: bigint | null }, [bigint]>("SELECT max(id) AS id FROM messages WHERE channel_id = ?");
  const newest = new Map(channelIds.map((id) => [id, newestQuery.get(BigInt(id))?.id?.toString() ?? null] as const));
  const states = new Map(core.db.readOrm.select().from(readStates).where(and(eq(readStates.userId, userId), inArray(readStates.channelId, channelIds))).all().map((r) => [r.channelId, r]));
  for (const id of channelIds) {
    const last = newest.get(id) ?? null;
    const state = states.get(id);
    out.set(id, { unread: last !== null && (!state || BigInt(last) > BigInt(state.lastReadId)), mentions: state?.mentionCount ?? 0 });
  }
  return out;
}
