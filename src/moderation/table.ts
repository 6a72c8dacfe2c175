// Drizzle mirror of migrations/0012_moderation.sql (the member columns are in guilds/table.ts).
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, int, snowflake } from "../db/columns.ts";

export const guildModeration = sqliteTable("guild_moderation", {
  guildId: snowflake("guild_id").primaryKey(),
  rules: text("rules").notNull(),
  screening: bool("screening").notNull(),
});

export const auditLog = sqliteTable("audit_log", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  userId: snowflake("user_id"),
  actionType: int("action_type").notNull(),
  targetId: snowflake("target_id"),
  reason: text("reason"),
  changes: text("changes").notNull(),
  options: text("options"),
});
export type AuditRow = typeof auditLog.$inferSelect;

export const automodRules = sqliteTable("automod_rules", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  name: text("name").notNull(),
  creatorId: snowflake("creator_id").notNull(),
  eventType: int("event_type").notNull(),
  triggerType: int("trigger_type").notNull(),
  triggerMetadata: text("trigger_metadata").notNull(),
  actions: text("actions").notNull(),
  enabled: bool("enabled").notNull(),
  exemptRoles: text("exempt_roles").notNull(),
  exemptChannels: text("exempt_channels").notNull(),
});
export type AutomodRow = typeof automodRules.$inferSelect;

export const reports = sqliteTable("reports", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  reporterId: snowflake("reporter_id").notNull(),
  targetUserId: snowflake("target_user_id").notNull(),
  channelId: snowflake("channel_id"),
  messageId: snowflake("message_id"),
  content: text("content").notNull(),
  reason: text("reason").notNull(),
  status: text("status", { enum: ["open", "actioned", "dismissed"] }).notNull(),
  handledBy: snowflake("handled_by"),
  handledAt: text("handled_at"),
  resolution: text("resolution"),
  createdAt: text("created_at").notNull(),
});
export type ReportRow = typeof reports.$inferSelect;

export const ipBans = sqliteTable("ip_bans", {
  id: snowflake("id").primaryKey(),
  cidr: text("cidr").notNull(),
  reason: text("reason").notNull(),
  createdBy: snowflake("created_by"),
  createdAt: text("created_at").notNull(),
});
export type IpBan = typeof ipBans.$inferSelect;
