-- Pins: when a message was pinned (the pinned list is ordered by it, newest first), and a small
-- index so a channel's pins are found without scanning its history.
ALTER TABLE messages ADD COLUMN pinned_at TEXT;
CREATE INDEX messages_pinned ON messages(channel_id, pinned_at) WHERE pinned = 1;
