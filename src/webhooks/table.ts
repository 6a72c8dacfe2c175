// Drizzle mirror of migrations/0016_interactions.sql (incoming webhooks).
import { blob, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { int, snowflake } from "../db/columns.ts";

export const webhooks = sqliteTable("webhooks", {
  id: snowflake("id").primaryKey(),
  type: int("type").notNull(),
  guildId: snowflake("guild_id").notNull(),
  channelId: snowflake("channel_id").notNull(),
  creatorId: snowflake("creator_id"),
  applicationId: snowflake("application_id"),
  name: text("name").notNull(),
  tokenHash: blob("token_hash", { mode: "buffer" }).notNull(),
  createdAt: text("created_at").notNull(),
});
export type Webhook = typeof webhooks.$inferSelect;

export const webhookMessages = sqliteTable("webhook_messages", {
  messageId: snowflake("message_id").primaryKey(),
  webhookId: snowflake("webhook_id").notNull(),
  username: text("username"),
  avatarUrl: text("avatar_url"),
});
