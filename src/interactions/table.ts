// Drizzle mirror of migrations/0016_interactions.sql (commands, components, polls, keys).
import { blob, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { int, snowflake } from "../db/columns.ts";

export const applicationInteractions = sqliteTable("application_interactions", {
  applicationId: snowflake("application_id").primaryKey(),
  publicKey: text("public_key").notNull(),
  privateKey: blob("private_key", { mode: "buffer" }).notNull(),
  endpointUrl: text("endpoint_url"),
});

export const applicationCommands = sqliteTable("application_commands", {
  id: snowflake("id").primaryKey(),
  applicationId: snowflake("application_id").notNull(),
  guildId: snowflake("guild_id"),
  type: int("type").notNull(),
  name: text("name").notNull(),
  body: text("body").notNull(),
  version: snowflake("version").notNull(),
});
export type CommandRow = typeof applicationCommands.$inferSelect;

export const messageComponents = sqliteTable("message_components", {
  messageId: snowflake("message_id").primaryKey(),
  applicationId: snowflake("application_id"),
  components: text("components").notNull(),
});

export const pollVotes = sqliteTable(
  "poll_votes",
  { messageId: snowflake("message_id").notNull(), userId: snowflake("user_id").notNull(), choice: int("choice").notNull() },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] })],
);
