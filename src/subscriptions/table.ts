// Drizzle mirror of migrations/0016_interactions.sql (outgoing event subscriptions).
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, int, snowflake } from "../db/columns.ts";

export const eventSubscriptions = sqliteTable("event_subscriptions", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  creatorId: snowflake("creator_id"),
  url: text("url").notNull(),
  events: text("events").notNull(),
  secret: text("secret").notNull(),
  enabled: bool("enabled").notNull(),
  failures: int("failures").notNull(),
  createdAt: text("created_at").notNull(),
});
export type Subscription = typeof eventSubscriptions.$inferSelect;

export const eventDeliveries = sqliteTable("event_deliveries", {
  id: snowflake("id").primaryKey(),
  subscriptionId: snowflake("subscription_id").notNull(),
  event: text("event").notNull(),
  payload: text("payload").notNull(),
  status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
  attempts: int("attempts").notNull(),
  nextAttemptAt: int("next_attempt_at").notNull(),
  lastStatus: int("last_status"),
  lastError: text("last_error"),
  createdAt: int("created_at").notNull(),
});
export type Delivery = typeof eventDeliveries.$inferSelect;
