-- Bots, applications, commands and webhooks (issue 10). This part: applications and their bots.
-- An application is owned by a user and has exactly one bot user, whose id is the application's
-- id (as on Discord, so `client_id` in an invite link is also the bot's user id). The bot token
-- is `pkb.<application id>.<secret>`; only the SHA-256 of the secret is kept, and resetting it
-- replaces the hash so the old token stops at once.
CREATE TABLE applications (
  id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,  -- = the bot user's id
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  token_hash BLOB NOT NULL,
  token_reset_at TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX applications_owner ON applications(owner_id);

-- The managed role a bot gets when it is added to a server with a set of permissions. Only the
-- invite flow changes its permissions; removing the bot from the server deletes it.
CREATE TABLE bot_roles (
  role_id INTEGER PRIMARY KEY REFERENCES roles(id) ON DELETE CASCADE,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  bot_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  UNIQUE (guild_id, bot_id)
) STRICT;
