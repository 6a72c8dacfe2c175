-- Accounts, sessions, two-factor auth, personal access tokens, password resets, instance invites.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,                 -- snowflake
  username TEXT NOT NULL,                 -- as typed (ASCII letters, digits, _ and .)
  username_key TEXT NOT NULL UNIQUE,      -- lower-cased: uniqueness is case-insensitive
  display_name TEXT,
  password_hash TEXT,                     -- argon2id; NULL for a deleted account
  is_admin INTEGER NOT NULL DEFAULT 0,
  is_bot INTEGER NOT NULL DEFAULT 0,
  avatar TEXT,                            -- content hash of the avatar file under <data>/avatars
  about TEXT NOT NULL DEFAULT '',
  pronouns TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'idle', 'dnd', 'invisible')),
  custom_status TEXT NOT NULL DEFAULT '',
  theme TEXT NOT NULL DEFAULT 'system' CHECK (theme IN ('dark', 'light', 'system')),
  locale TEXT NOT NULL DEFAULT 'en',
  time_format TEXT NOT NULL DEFAULT '24h' CHECK (time_format IN ('12h', '24h')),
  totp_secret TEXT,                       -- set once 2FA is confirmed
  totp_pending_secret TEXT,               -- during enrolment
  totp_last_step INTEGER,                 -- last accepted time step: a code works once
  deactivated_at TEXT,
  deleted_at TEXT,
  delete_messages INTEGER,                -- the deleted user's choice: 1 remove, 0 keep as "Deleted user"
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,                 -- snowflake; also the public part of the token
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  secret_hash BLOB NOT NULL,              -- sha256 of the secret part of the token
  kind TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
  device TEXT NOT NULL,
  ip TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE recovery_codes (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash BLOB NOT NULL,
  used_at TEXT,
  PRIMARY KEY (user_id, code_hash)
) STRICT;

CREATE TABLE access_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  scopes TEXT NOT NULL,                   -- space-separated: read write admin
  created_at TEXT NOT NULL,
  last_used_at TEXT
) STRICT;
CREATE INDEX access_tokens_user ON access_tokens(user_id);

CREATE TABLE password_resets (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  secret_hash BLOB NOT NULL,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
) STRICT;

CREATE TABLE instance_invites (
  code TEXT PRIMARY KEY,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  max_uses INTEGER,
  uses INTEGER NOT NULL DEFAULT 0
) STRICT;
