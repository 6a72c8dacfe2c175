// Drizzle mirror of migrations/0011_embeds_emoji.sql (custom emoji).
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, snowflake } from "../db/columns.ts";

export const customEmojis = sqliteTable("custom_emojis", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  name: text("name").notNull(),
  animated: bool("animated").notNull().default(false),
  format: text("format", { enum: ["webp", "gif"] }).notNull(),
  file: text("file").notNull(),
  creatorId: snowflake("creator_id"),
  createdAt: text("created_at").notNull(),
});
export type CustomEmoji = typeof customEmojis.$inferSelect;
