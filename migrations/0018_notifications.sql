-- Notifications (issue 9): what each person wants to hear about, and where to push it.
--
-- One row per user per scope: a server (scope_id = guild id) or a channel (scope_id = channel
-- id). A channel row overrides its server's row field by field; NULL means "as the server says".
-- level: 0 every message, 1 only mentions, 2 nothing. muted_until: ms since epoch, -1 = until
-- turned back on, 0 = not muted.
CREATE TABLE notification_settings (
  user_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  level INTEGER CHECK (level IN (0, 1, 2)),
  muted_until INTEGER NOT NULL DEFAULT 0,
  suppress_everyone INTEGER CHECK (suppress_everyone IN (0, 1)),
  suppress_roles INTEGER CHECK (suppress_roles IN (0, 1)),
  PRIMARY KEY (user_id, scope_id)
) STRICT, WITHOUT ROWID;
-- "Every message" subscribers of a server or channel are found by scope when a message arrives.
CREATE INDEX notification_settings_all ON notification_settings(scope_id, user_id) WHERE level = 0;

-- Per person: DM notifications and the sound (the other choices are per scope above).
CREATE TABLE notification_prefs (
  user_id INTEGER PRIMARY KEY,
  dm_notify INTEGER NOT NULL DEFAULT 1 CHECK (dm_notify IN (0, 1)),
  sound INTEGER NOT NULL DEFAULT 1 CHECK (sound IN (0, 1))
) STRICT;

-- Web Push subscriptions, one per browser/device (the endpoint is unique to it). Removed when the
-- push service answers 404/410, when the user signs the device out, or when the user is deleted.
CREATE TABLE push_subscriptions (
  endpoint TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  user_agent TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
