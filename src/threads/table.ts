// Drizzle mirror of migrations/0006_threads.sql, and the one lookup every thread check starts with.
import { eq, sql } from "drizzle-orm";
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { DatabaseHandle } from "../db/client.ts";
import { bool, int, snowflake } from "../db/columns.ts";

export const threads = sqliteTable("threads", {
  channelId: snowflake("channel_id").primaryKey(),
  starterMessageId: snowflake("starter_message_id"),
  archived: bool("archived").notNull(),
  locked: bool("locked").notNull(),
  autoArchiveDuration: int("auto_archive_duration").notNull(),
  archiveTimestamp: text("archive_timestamp").notNull(),
  activeAt: int("active_at").notNull(),
});
export type ThreadRow = typeof threads.$inferSelect;

export const threadMembers = sqliteTable(
  "thread_members",
  {
    threadId: snowflake("thread_id").notNull(),
    userId: snowflake("user_id").notNull(),
    joinTimestamp: text("join_timestamp").notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.userId] })],
);
export type ThreadMemberRow = typeof threadMembers.$inferSelect;

// Every message event and every access check on a thread asks for its row: prepared once per
// connection, like the lookups in guilds/access.ts.
const prepared = new WeakMap<DatabaseHandle, ReturnType<typeof build>>();
const build = (db: DatabaseHandle) => db.readOrm.select().from(threads).where(eq(threads.channelId, sql.placeholder("id"))).prepare();

/** The thread state of a channel, or undefined when the channel is not a thread. */
export function threadRow(db: DatabaseHandle, channelId: string): ThreadRow | undefined {
  let q = prepared.get(db);
  if (!q) prepared.set(db, (q = build(db)));
  return q.get({ id: /^\d{1,19}$/.test(channelId) ? BigInt(channelId) : -1n });
}
