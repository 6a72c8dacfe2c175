// Reading threads: one thread through the caller's access, a channel's active or archived
// threads, a server's active threads, and the "N replies" summaries under starter messages.
import { and, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { idList } from "../db/columns.ts";
import { channelAccess, requireChannel, unknownChannel, missingPermission, type ChannelAccess, type GuildAccess } from "../guilds/access.ts";
import { channels, type Channel } from "../guilds/table.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { isThreadType } from "./rules.ts";
import { threads, threadRow, type ThreadRow } from "./table.ts";

export interface ThreadView {
  channel: Channel;
  state: ThreadRow;
  messageCount: number;
  memberCount: number;
  lastMessageId: string | null;
}

/** What the parent channel shows under a thread's starter message. */
export interface ThreadSummaryInfo {
  id: string;
  guildId: string;
  parentId: string;
  name: string;
  messageCount: number;
  archived: boolean;
}

// Counts are read rather than kept as counters: messages_channel (channel_id, id) answers each in
// an index range, and a counter updated after the send could drift from the messages on a crash.
function counts(core: Core, threadId: string) {
  const id = BigInt(threadId);
  const m = core.db.reader.query<{ n: bigint; last: bigint | null }, [bigint]>("SELECT count(*) AS n, max(id) AS last FROM messages WHERE channel_id = ?").get(id)!;
  const members = core.db.reader
    .query<{ n: bigint }, [bigint]>("SELECT count(*) AS n FROM thread_members tm JOIN channels c ON c.id = tm.thread_id JOIN members g ON g.guild_id = c.guild_id AND g.user_id = tm.user_id WHERE tm.thread_id = ?")
    .get(id)!;
  return { messageCount: Number(m.n), lastMessageId: m.last === null ? null : m.last.toString(), memberCount: Number(members.n) };
}

export function threadView(core: Core, channel: Channel, state = threadRow(core.db, channel.id)): ThreadView {
  if (!state) throw unknownChannel();
  return { channel, state, ...counts(core, channel.id) };
}

/** A thread as the caller may see it: a 404 for anything else (not there, not a thread, not visible). */
export function requireThread(core: Core, userId: string, threadId: string, permission?: bigint): ChannelAccess & { state: ThreadRow } {
  const access = channelAccess(core, userId, threadId);
  const state = access && isThreadType(access.channel.type) ? threadRow(core.db, threadId) : undefined;
  if (!access || !state) throw unknownChannel();
  if (permission !== undefined && !has(access.permissions, permission)) throw missingPermission();
  return { ...access, state };
}

export interface ThreadListQuery {
  archived: boolean;
  /** Archived threads archived before this ISO time (Discord's paging for archived lists). */
  before?: string;
  limit?: number;
}

/** A channel's threads: active ones newest first, or archived ones by archive time, newest first. */
export function listThreads(core: Core, userId: string, parentId: string, q: ThreadListQuery): { threads: ThreadView[]; hasMore: boolean } {
  const parent = requireChannel(core, userId, parentId, Permission.READ_MESSAGE_HISTORY);
  if (!parent.guild || isThreadType(parent.channel.type)) throw unknownChannel();
  const limit = Math.max(1, Math.min(100, q.limit ?? 50));
  const where = and(eq(channels.parentId, parentId), eq(threads.archived, q.archived), q.archived && q.before ? lt(threads.archiveTimestamp, q.before) : undefined);
  const rows = core.db.readOrm
    .select({ channel: channels, state: threads })
    .from(channels)
    .innerJoin(threads, eq(threads.channelId, channels.id))
    .where(where)
    .orderBy(q.archived ? desc(threads.archiveTimestamp) : desc(channels.id))
    .limit(limit + 1)
    .all();
  return { threads: rows.slice(0, limit).map((r) => threadView(core, r.channel, r.state)), hasMore: rows.length > limit };
}

/** Every active thread of a server whose parent channel the member can see. */
export function activeGuildThreads(core: Core, access: GuildAccess): ThreadView[] {
  const rows = core.db.readOrm
    .select({ channel: channels, state: threads })
    .from(channels)
    .innerJoin(threads, eq(threads.channelId, channels.id))
    .where(and(eq(channels.guildId, access.guild.id), eq(threads.archived, false)))
    .orderBy(desc(channels.id))
    .all();
  return rows.filter((r) => channelAccess(core, access.member.userId, r.channel.id) !== null).map((r) => threadView(core, r.channel, r.state));
}

// Runs for every message rendered (each send renders twice): prepared once per connection.
const summaryQueries = new WeakMap<Core["db"], ReturnType<typeof buildSummaryQuery>>();
const buildSummaryQuery = (orm: Core["db"]["readOrm"]) =>
  orm
    .select({ channel: channels, state: threads })
    .from(threads)
    .innerJoin(channels, eq(channels.id, threads.channelId))
    .where(and(sql`${threads.channelId} in (select value from json_each(${sql.placeholder("ids")}))`, isNotNull(threads.starterMessageId)))
    .prepare();
function summaryQuery(core: Core) {
  let q = summaryQueries.get(core.db);
  if (!q) summaryQueries.set(core.db, (q = buildSummaryQuery(core.db.readOrm)));
  return q;
}

/** The threads started from these messages (a thread has its starter message's id). */
export function threadSummaries(core: Core, messageIds: string[]): Map<string, ThreadSummaryInfo> {
  const out = new Map<string, ThreadSummaryInfo>();
  if (messageIds.length === 0) return out;
  const rows = summaryQuery(core).all({ ids: idList(messageIds) });
  for (const { channel, state } of rows) out.set(channel.id, summaryOf(core, channel, state));
  return out;
}

export function summaryOf(core: Core, channel: Channel, state: ThreadRow): ThreadSummaryInfo {
  return { id: channel.id, guildId: channel.guildId!, parentId: channel.parentId!, name: channel.name, messageCount: counts(core, channel.id).messageCount, archived: state.archived };
}
