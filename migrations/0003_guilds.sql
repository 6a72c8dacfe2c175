-- Servers ("guilds" in the API), channels, roles, permission overwrites, members, invites, bans,
-- direct messages, blocks.
CREATE TABLE guilds (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  icon TEXT,                               -- content hash of the icon under <data>/icons
  description TEXT NOT NULL DEFAULT '',
  owner_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
) STRICT;

-- The @everyone role has the guild's id (as in Discord).
CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  color INTEGER NOT NULL DEFAULT 0,
  hoist INTEGER NOT NULL DEFAULT 0,
  mentionable INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL,
  permissions INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX roles_guild ON roles(guild_id, position);

-- Types follow Discord: 0 text, 1 DM, 2 voice, 3 group DM, 4 category.
CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER REFERENCES guilds(id) ON DELETE CASCADE,
  type INTEGER NOT NULL CHECK (type IN (0, 1, 2, 3, 4)),
  name TEXT NOT NULL DEFAULT '',
  topic TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  parent_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
  rate_limit_per_user INTEGER NOT NULL DEFAULT 0,
  nsfw INTEGER NOT NULL DEFAULT 0,
  synced INTEGER NOT NULL DEFAULT 1,       -- inherits the category's overwrites until changed
  owner_id INTEGER REFERENCES users(id),   -- group DM owner
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX channels_guild ON channels(guild_id, position);

CREATE TABLE permission_overwrites (
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL,
  type INTEGER NOT NULL CHECK (type IN (0, 1)),   -- 0 role, 1 member
  allow INTEGER NOT NULL DEFAULT 0,
  deny INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, target_id)
) STRICT;

CREATE TABLE members (
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  nick TEXT,
  joined_at TEXT NOT NULL,
  PRIMARY KEY (guild_id, user_id)
) STRICT;
CREATE INDEX members_user ON members(user_id);

CREATE TABLE member_roles (
  guild_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (guild_id, user_id, role_id),
  FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE invites (
  code TEXT PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  inviter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  max_uses INTEGER,
  uses INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX invites_guild ON invites(guild_id);

CREATE TABLE bans (
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  PRIMARY KEY (guild_id, user_id)
) STRICT;

CREATE TABLE dm_recipients (
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (channel_id, user_id)
) STRICT;
CREATE INDEX dm_recipients_user ON dm_recipients(user_id);

CREATE TABLE blocks (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, blocked_id)
) STRICT;

ALTER TABLE users ADD COLUMN allow_member_dms INTEGER NOT NULL DEFAULT 1;
