// Drizzle mirror of migrations/0003_guilds.sql.
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bitfield, bool, int, snowflake } from "../db/columns.ts";

export const guilds = sqliteTable("guilds", {
  id: snowflake("id").primaryKey(),
  name: text("name").notNull(),
  icon: text("icon"),
  description: text("description").notNull(),
  ownerId: snowflake("owner_id").notNull(),
  createdAt: text("created_at").notNull(),
});
export type Guild = typeof guilds.$inferSelect;

export const roles = sqliteTable("roles", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  name: text("name").notNull(),
  color: int("color").notNull(),
  hoist: bool("hoist").notNull(),
  mentionable: bool("mentionable").notNull(),
  position: int("position").notNull(),
  permissions: bitfield("permissions").notNull(),
  createdAt: text("created_at").notNull(),
});
export type Role = typeof roles.$inferSelect;

export const channels = sqliteTable("channels", {
  id: snowflake("id").primaryKey(),
  guildId: snowflake("guild_id"),
  type: int("type").notNull(),
  name: text("name").notNull(),
  topic: text("topic").notNull(),
  position: int("position").notNull(),
  parentId: snowflake("parent_id"),
  rateLimitPerUser: int("rate_limit_per_user").notNull(),
  nsfw: bool("nsfw").notNull(),
  synced: bool("synced").notNull(),
  ownerId: snowflake("owner_id"),
  createdAt: text("created_at").notNull(),
  // migrations/0014_voice.sql: a voice channel's participant limit (0 = none).
  userLimit: int("user_limit").notNull().default(0),
});
export type Channel = typeof channels.$inferSelect;

export const permissionOverwrites = sqliteTable(
  "permission_overwrites",
  {
    channelId: snowflake("channel_id").notNull(),
    targetId: snowflake("target_id").notNull(),
    type: int("type").notNull(),
    allow: bitfield("allow").notNull(),
    deny: bitfield("deny").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.targetId] })],
);
export type OverwriteRow = typeof permissionOverwrites.$inferSelect;

export const members = sqliteTable(
  "members",
  {
    guildId: snowflake("guild_id").notNull(),
    userId: snowflake("user_id").notNull(),
    nick: text("nick"),
    joinedAt: text("joined_at").notNull(),
    // migrations/0012_moderation.sql: a timeout's end and member screening (src/moderation/).
    communicationDisabledUntil: text("communication_disabled_until"),
    pending: bool("pending").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId] })],
);
export type Member = typeof members.$inferSelect;

export const memberRoles = sqliteTable(
  "member_roles",
  {
    guildId: snowflake("guild_id").notNull(),
    userId: snowflake("user_id").notNull(),
    roleId: snowflake("role_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId, t.roleId] })],
);

export const invites = sqliteTable("invites", {
  code: text("code").primaryKey(),
  guildId: snowflake("guild_id").notNull(),
  channelId: snowflake("channel_id").notNull(),
  inviterId: snowflake("inviter_id"),
  createdAt: text("created_at").notNull(),
  expiresAt: text("expires_at"),
  maxUses: int("max_uses"),
  uses: int("uses").notNull(),
});
export type Invite = typeof invites.$inferSelect;

export const bans = sqliteTable(
  "bans",
  {
    guildId: snowflake("guild_id").notNull(),
    userId: snowflake("user_id").notNull(),
    reason: text("reason").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId] })],
);

export const dmRecipients = sqliteTable(
  "dm_recipients",
  {
    channelId: snowflake("channel_id").notNull(),
    userId: snowflake("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] })],
);

export const blocks = sqliteTable(
  "blocks",
  {
    userId: snowflake("user_id").notNull(),
    blockedId: snowflake("blocked_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.blockedId] })],
);
