// Mirrors migrations/0018_notifications.sql.
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, int, snowflake } from "../db/columns.ts";

/** Per user per server or channel; NULL fields inherit (channel -> server -> default). */
export const notificationSettings = sqliteTable(
  "notification_settings",
  {
    userId: snowflake("user_id").notNull(),
    scopeId: snowflake("scope_id").notNull(),
    level: int("level"),
    mutedUntil: int("muted_until").notNull(),
    suppressEveryone: bool("suppress_everyone"),
    suppressRoles: bool("suppress_roles"),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scopeId] })],
);
export type NotificationSettingsRow = typeof notificationSettings.$inferSelect;

export const notificationPrefs = sqliteTable("notification_prefs", {
  userId: snowflake("user_id").primaryKey(),
  dmNotify: bool("dm_notify").notNull(),
  sound: bool("sound").notNull(),
});

export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    endpoint: text("endpoint").primaryKey(),
    userId: snowflake("user_id").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    userAgent: text("user_agent").notNull(),
    createdAt: int("created_at").notNull(),
  },
  (t) => [index("push_subscriptions_user").on(t.userId)],
);
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
