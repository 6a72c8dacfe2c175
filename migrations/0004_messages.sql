-- Messages, reactions and read state.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,                     -- snowflake: creation time and order
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES users(id),
  content TEXT NOT NULL,
  nonce TEXT,                                 -- client retry key, unique per author
  reply_to_id INTEGER,                        -- no foreign key: the original may be deleted
  edited_at TEXT,
  pinned INTEGER NOT NULL DEFAULT 0,
  mentions_everyone INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX messages_channel ON messages(channel_id, id);
CREATE UNIQUE INDEX messages_author_nonce ON messages(author_id, nonce) WHERE nonce IS NOT NULL;

CREATE TABLE message_mentions (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  PRIMARY KEY (message_id, user_id)
) STRICT;

CREATE TABLE read_states (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  last_read_id INTEGER NOT NULL DEFAULT 0,
  mention_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, channel_id)
) STRICT;
