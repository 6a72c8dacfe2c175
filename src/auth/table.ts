// Drizzle mirror of migrations/0002_accounts.sql.
import { blob, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, int, snowflake } from "../db/columns.ts";

export const users = sqliteTable("users", {
  id: snowflake("id").primaryKey(),
  username: text("username").notNull(),
  usernameKey: text("username_key").notNull(),
  displayName: text("display_name"),
  passwordHash: text("password_hash"),
  isAdmin: bool("is_admin").notNull(),
  isBot: bool("is_bot").notNull(),
  avatar: text("avatar"),
  about: text("about").notNull(),
  pronouns: text("pronouns").notNull(),
  status: text("status", { enum: ["online", "idle", "dnd", "invisible"] }).notNull(),
  customStatus: text("custom_status").notNull(),
  theme: text("theme", { enum: ["dark", "light", "system"] }).notNull(),
  locale: text("locale").notNull(),
  timeFormat: text("time_format", { enum: ["12h", "24h"] }).notNull(),
  totpSecret: text("totp_secret"),
  totpPendingSecret: text("totp_pending_secret"),
  totpLastStep: int("totp_last_step"),
  deactivatedAt: text("deactivated_at"),
  deletedAt: text("deleted_at"),
  deleteMessages: bool("delete_messages"),
  createdAt: text("created_at").notNull(),
  passwordChangedAt: text("password_changed_at").notNull(),
  allowMemberDms: bool("allow_member_dms").notNull().default(true),
  // migrations/0017_appearance.sql
  accent: text("accent").notNull().default(""),
  density: text("density", { enum: ["cozy", "compact"] }).notNull().default("cozy"),
  fontSize: int("font_size").notNull().default(16),
});
export type User = typeof users.$inferSelect;

export const sessions = sqliteTable("sessions", {
  id: snowflake("id").primaryKey(),
  userId: snowflake("user_id").notNull(),
  secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
  kind: text("kind", { enum: ["browser", "api"] }).notNull(),
  device: text("device").notNull(),
  ip: text("ip").notNull(),
  createdAt: text("created_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
  expiresAt: text("expires_at").notNull(),
});
export type Session = typeof sessions.$inferSelect;

export const recoveryCodes = sqliteTable("recovery_codes", {
  userId: snowflake("user_id").notNull(),
  codeHash: blob("code_hash", { mode: "buffer" }).notNull(),
  usedAt: text("used_at"),
});

export const accessTokens = sqliteTable("access_tokens", {
  id: snowflake("id").primaryKey(),
  userId: snowflake("user_id").notNull(),
  name: text("name").notNull(),
  secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
  scopes: text("scopes").notNull(),
  createdAt: text("created_at").notNull(),
  lastUsedAt: text("last_used_at"),
});
export type AccessToken = typeof accessTokens.$inferSelect;

export const passwordResets = sqliteTable("password_resets", {
  id: snowflake("id").primaryKey(),
  userId: snowflake("user_id").notNull(),
  secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
  createdBy: snowflake("created_by"),
  createdAt: text("created_at").notNull(),
  expiresAt: text("expires_at").notNull(),
  usedAt: text("used_at"),
});

export const instanceInvites = sqliteTable("instance_invites", {
  code: text("code").primaryKey(),
  createdBy: snowflake("created_by"),
  createdAt: text("created_at").notNull(),
  expiresAt: text("expires_at"),
  maxUses: int("max_uses"),
  uses: int("uses").notNull(),
});
