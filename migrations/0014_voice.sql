-- Voice (issue 7): a voice channel's participant limit (Discord's user_limit; 0 = no limit).
-- Who is in which voice channel is live state held by the server, never stored.
ALTER TABLE channels ADD COLUMN user_limit INTEGER NOT NULL DEFAULT 0 CHECK (user_limit BETWEEN 0 AND 99);
