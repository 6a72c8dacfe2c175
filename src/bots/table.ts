// Drizzle mirror of migrations/0013_bots.sql.
import { blob, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { snowflake } from "../db/columns.ts";

export const applications = sqliteTable("applications", {
  id: snowflake("id").primaryKey(),
  ownerId: snowflake("owner_id").notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  tokenHash: blob("token_hash", { mode: "buffer" }).notNull(),
  tokenResetAt: text("token_reset_at").notNull(),
  createdAt: text("created_at").notNull(),
});
export type Application = typeof applications.$inferSelect;

export const botRoles = sqliteTable("bot_roles", {
  roleId: snowflake("role_id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  botId: snowflake("bot_id").notNull(),
});
