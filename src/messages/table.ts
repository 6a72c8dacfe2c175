// Drizzle mirror of migrations/0004_messages.sql (and 0008_pins.sql, 0011_embeds_emoji.sql).
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, int, snowflake } from "../db/columns.ts";

export const messages = sqliteTable("messages", {
  id: snowflake("id").primaryKey(),
  channelId: snowflake("channel_id").notNull(),
  authorId: snowflake("author_id").notNull(),
  content: text("content").notNull(),
  nonce: text("nonce"),
  replyToId: snowflake("reply_to_id"),
  editedAt: text("edited_at"),
  pinned: bool("pinned").notNull().default(false),
  pinnedAt: text("pinned_at"),
  mentionsEveryone: bool("mentions_everyone").notNull().default(false),
  /** Discord's SUPPRESS_EMBEDS flag (migrations/0011_embeds_emoji.sql). */
  suppressEmbeds: bool("suppress_embeds").notNull().default(false),
});
export type Message = typeof messages.$inferSelect;

export const messageMentions = sqliteTable(
  "message_mentions",
  { messageId: snowflake("message_id").notNull(), userId: snowflake("user_id").notNull() },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] })],
);

export const readStates = sqliteTable(
  "read_states",
  {
    userId: snowflake("user_id").notNull(),
    channelId: snowflake("channel_id").notNull(),
    lastReadId: snowflake("last_read_id").notNull(),
    mentionCount: int("mention_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.channelId] })],
);

export const reactions = sqliteTable(
  "reactions",
  {
    messageId: snowflake("message_id").notNull(),
    emoji: text("emoji").notNull(),
    userId: snowflake("user_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.emoji, t.userId] })],
);
