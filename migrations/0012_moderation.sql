-- Moderation (issue 8): timeouts and member screening on members, server rules, the audit log,
-- AutoMod rules, the report queue and instance IP bans.

-- Discord's member.communication_disabled_until (ISO time; NULL or past = not timed out) and
-- member.pending (joined a server with screening on and has not accepted its rules yet). Both live
-- on the member row because the access check reads that row already: no extra query per message.
ALTER TABLE members ADD COLUMN communication_disabled_until TEXT;
ALTER TABLE members ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;

-- Per-server moderation settings: the rules members accept when screening is on.
CREATE TABLE guild_moderation (
  guild_id INTEGER PRIMARY KEY REFERENCES guilds(id) ON DELETE CASCADE,
  rules TEXT NOT NULL DEFAULT '',
  screening INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Discord's audit log entries. user_id NULL = the system (AutoMod). changes/options are JSON.
-- The id is a snowflake, so pruning by age is a range delete on the primary key.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id INTEGER,
  action_type INTEGER NOT NULL,
  target_id INTEGER,
  reason TEXT,
  changes TEXT NOT NULL DEFAULT '[]',
  options TEXT
) STRICT;
CREATE INDEX audit_log_guild ON audit_log(guild_id, id);

-- Discord's auto-moderation rules; trigger_metadata, actions and the exempt lists are JSON.
CREATE TABLE automod_rules (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  creator_id INTEGER NOT NULL,
  event_type INTEGER NOT NULL,
  trigger_type INTEGER NOT NULL,
  trigger_metadata TEXT NOT NULL,
  actions TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  exempt_roles TEXT NOT NULL,
  exempt_channels TEXT NOT NULL
) STRICT;
CREATE INDEX automod_rules_guild ON automod_rules(guild_id);

-- Reports: the reported content is copied here, so it survives the message being deleted.
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  target_user_id INTEGER NOT NULL,
  channel_id INTEGER,
  message_id INTEGER,
  content TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'actioned', 'dismissed')),
  handled_by INTEGER,
  handled_at TEXT,
  resolution TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX reports_guild ON reports(guild_id, status, id);

-- Instance IP bans (admins): an address or CIDR range refused at the door.
CREATE TABLE ip_bans (
  id INTEGER PRIMARY KEY,
  cidr TEXT NOT NULL UNIQUE,
  reason TEXT NOT NULL,
  created_by INTEGER,
  created_at TEXT NOT NULL
) STRICT;
