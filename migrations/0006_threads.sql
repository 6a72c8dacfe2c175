-- Threads, as in Discord v10: a thread is a channel (type 11 public, 12 private) whose parent_id
-- is the text channel it belongs to, so messages, read state and permissions reuse the channel
-- machinery. Thread state lives beside it in `threads`; who follows a thread in `thread_members`.

-- 0003 limited channel types with a column CHECK that SQLite cannot alter in place, and rebuilding
-- the table would cascade-delete every message (foreign keys stay on inside a migration). A
-- column's own CHECK goes away with the column, so the type moves to a new column with the wider
-- CHECK. Ids do not change, so nothing that references a channel notices.
ALTER TABLE channels RENAME COLUMN type TO type_before_threads;
ALTER TABLE channels ADD COLUMN type INTEGER NOT NULL DEFAULT 0 CHECK (type IN (0, 1, 2, 3, 4, 11, 12));
UPDATE channels SET type = type_before_threads;
ALTER TABLE channels DROP COLUMN type_before_threads;

-- A channel's threads are found through their parent.
CREATE INDEX channels_parent ON channels(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE threads (
  channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
  starter_message_id INTEGER,              -- the message it was started from (the thread has its id); no foreign key: the message may be deleted
  archived INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,       -- only members with MANAGE_THREADS may send or unarchive
  auto_archive_duration INTEGER NOT NULL DEFAULT 1440 CHECK (auto_archive_duration IN (60, 1440, 4320, 10080)),
  archive_timestamp TEXT NOT NULL,         -- last change of `archived` (creation time at first), as Discord reports it
  active_at INTEGER NOT NULL               -- ms since epoch of creation or last unarchive; messages count through their ids
) STRICT;
-- The auto-archive sweep reads only open threads, oldest activity first.
CREATE INDEX threads_open ON threads(active_at) WHERE archived = 0;

CREATE TABLE thread_members (
  thread_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  join_timestamp TEXT NOT NULL,
  PRIMARY KEY (thread_id, user_id)
) STRICT;
CREATE INDEX thread_members_user ON thread_members(user_id);

-- A thread goes with its parent text channel. parent_id is ON DELETE SET NULL (right for a
-- category's children), so the threads a deleted text channel leaves without a parent are deleted
-- here, with their messages.
CREATE TRIGGER threads_follow_parent AFTER DELETE ON channels WHEN OLD.type = 0
BEGIN
  DELETE FROM channels WHERE parent_id IS NULL AND type IN (11, 12);
END;
