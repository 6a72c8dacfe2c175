// Drizzle mirror of migrations/0009_files.sql.
import { real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, int, snowflake } from "../db/columns.ts";

export const attachments = sqliteTable("attachments", {
  id: snowflake("id").primaryKey(),
  messageId: snowflake("message_id"),
  channelId: snowflake("channel_id").notNull(),
  uploaderId: snowflake("uploader_id").notNull(),
  position: int("position").notNull().default(0),
  filename: text("filename").notNull(),
  contentType: text("content_type").notNull(),
  size: int("size").notNull(),
  sha256: text("sha256").notNull(),
  width: int("width"),
  height: int("height"),
  durationSecs: real("duration_secs"),
  animated: bool("animated").notNull().default(false),
  spoiler: bool("spoiler").notNull().default(false),
  description: text("description"),
  createdAt: text("created_at").notNull(),
});
export type Attachment = typeof attachments.$inferSelect;

export const fileGc = sqliteTable("file_gc", { sha256: text("sha256").primaryKey() });
