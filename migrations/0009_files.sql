-- Files and attachments (issue 6). The bytes live content-addressed under <data>/files (named by
-- the sha256 of the stored copy, so identical uploads share one file); these rows say who posted
-- what where. A row without message_id is a staged upload (picked in the composer, not yet sent).
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,                     -- snowflake
  message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  uploader_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,        -- order within the message
  filename TEXT NOT NULL,                     -- sanitised display name, never a path on disk
  content_type TEXT NOT NULL,                 -- sniffed from the bytes, not taken from the client
  size INTEGER NOT NULL,                      -- bytes of the stored copy
  sha256 TEXT NOT NULL,                       -- names the stored copy
  width INTEGER,
  height INTEGER,
  duration_secs REAL,
  animated INTEGER NOT NULL DEFAULT 0,
  spoiler INTEGER NOT NULL DEFAULT 0,
  description TEXT,                           -- alt text
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_message ON attachments(message_id, position);
CREATE INDEX attachments_channel ON attachments(channel_id, id);
CREATE INDEX attachments_uploader ON attachments(uploader_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX attachments_staged ON attachments(created_at) WHERE message_id IS NULL;

-- Hashes whose last reference may be gone: filled by this trigger (it also fires for rows removed
-- by a cascade from a deleted message, channel, server or user) and emptied by the file sweep,
-- which deletes the stored copy when no attachment uses it any more.
CREATE TABLE file_gc (
  sha256 TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
CREATE TRIGGER attachments_gc AFTER DELETE ON attachments BEGIN
  INSERT OR IGNORE INTO file_gc(sha256) VALUES (OLD.sha256);
END;
