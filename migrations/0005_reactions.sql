-- Reactions: one row per person per emoji per message. `emoji` is the unicode character(s) or
-- "name:id" for a custom emoji.
CREATE TABLE reactions (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
) STRICT;
