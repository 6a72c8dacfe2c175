-- Bots, second half (issue 10): application commands, interactions, message components, polls,
-- incoming webhooks and outgoing event subscriptions.

-- Per application: the Ed25519 key pair that signs HTTP interactions (the public key is shown to
-- the developer, as Discord's "public key") and the optional interactions endpoint URL.
CREATE TABLE application_interactions (
  application_id INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
  public_key TEXT NOT NULL,        -- 32 bytes, hex
  private_key BLOB NOT NULL,       -- PKCS#8 DER
  endpoint_url TEXT
) STRICT;

-- Slash commands, global (guild_id NULL) or for one server. `body` keeps Discord's command object
-- (description, options, localizations, ...) as validated JSON.
CREATE TABLE application_commands (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  guild_id INTEGER REFERENCES guilds(id) ON DELETE CASCADE,
  type INTEGER NOT NULL DEFAULT 1,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX application_commands_name ON application_commands(application_id, ifnull(guild_id, 0), type, name);
CREATE INDEX application_commands_guild ON application_commands(guild_id);

-- Buttons and select menus under a message. `application_id` receives the clicks (NULL: the
-- server's own components, such as a built-in poll).
CREATE TABLE message_components (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  application_id INTEGER,
  components TEXT NOT NULL
) STRICT;

-- Votes of built-in polls (/poll): one choice per person; a click on your choice takes it back.
CREATE TABLE poll_votes (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  choice INTEGER NOT NULL,
  PRIMARY KEY (message_id, user_id)
) STRICT;

-- Incoming webhooks. A webhook posts as its own bot user (users.is_bot, no password, never a
-- member), whose id is the webhook's id, so messages keep an author after the webhook is deleted.
-- Only a SHA-256 of the token is kept: the URL is shown once (and can be reset).
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY REFERENCES users(id),
  type INTEGER NOT NULL,           -- 1 incoming, 3 application
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  creator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  application_id INTEGER REFERENCES applications(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX webhooks_channel ON webhooks(channel_id);

-- What a webhook message was posted as (Discord's webhook_id, and the per-message username and
-- avatar_url overrides).
CREATE TABLE webhook_messages (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  webhook_id INTEGER NOT NULL,
  username TEXT,
  avatar_url TEXT
) STRICT;

-- Outgoing webhooks: a server admin subscribes a URL to gateway events of the server.
CREATE TABLE event_subscriptions (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  creator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,            -- JSON array of event names
  secret TEXT NOT NULL,            -- HMAC-SHA256 key; kept to sign, shown to the server's admins
  enabled INTEGER NOT NULL DEFAULT 1,
  failures INTEGER NOT NULL DEFAULT 0,  -- consecutive failed attempts
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX event_subscriptions_guild ON event_subscriptions(guild_id);

CREATE TABLE event_deliveries (
  id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES event_subscriptions(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,  -- ms since epoch
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL        -- ms since epoch
) STRICT;
CREATE INDEX event_deliveries_due ON event_deliveries(status, next_attempt_at);
CREATE INDEX event_deliveries_subscription ON event_deliveries(subscription_id, id);
