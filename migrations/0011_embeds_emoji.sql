-- Embeds, link previews and custom emoji (issue 6).

-- Embeds shown under a message: sent with it (source 'api', Discord's rich embeds from bots and
-- clients) or fetched from a link it contains (source 'preview'). Nested objects are JSON text in
-- Discord's shapes; lengths are checked by the API's schema before they get here.
CREATE TABLE embeds (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('api', 'preview')),
  type TEXT NOT NULL CHECK (type IN ('rich', 'link', 'image', 'video', 'gifv', 'article')),
  title TEXT,
  description TEXT,
  url TEXT,
  color INTEGER,
  timestamp TEXT,
  fields TEXT,       -- JSON [{name, value, inline}]
  footer TEXT,       -- JSON {text, icon_url}
  image TEXT,        -- JSON {url, width, height}
  thumbnail TEXT,    -- JSON {url, width, height}
  author TEXT,       -- JSON {name, url, icon_url}
  provider TEXT,     -- JSON {name, url}
  PRIMARY KEY (message_id, position)
) STRICT;

-- Discord's SUPPRESS_EMBEDS flag (1 << 2): the author hid the embeds; no preview is fetched.
ALTER TABLE messages ADD COLUMN suppress_embeds INTEGER NOT NULL DEFAULT 0;

-- What a URL's page said, shared by every message that links it until it expires. `embed` is the
-- preview as JSON, or NULL when the page had nothing to show or could not be fetched (kept for a
-- shorter time so a page that was down is tried again).
CREATE TABLE link_previews (
  url TEXT PRIMARY KEY,
  fetched_at INTEGER NOT NULL,       -- ms since the epoch
  embed TEXT
) STRICT;

-- Custom emoji of a server. The image is stored under <data>/emojis by content hash; `format` is
-- what was stored (webp for a static emoji re-encoded, gif or webp for an animated one kept as sent).
CREATE TABLE custom_emojis (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  animated INTEGER NOT NULL DEFAULT 0,
  format TEXT NOT NULL CHECK (format IN ('webp', 'gif')),
  file TEXT NOT NULL,
  creator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX custom_emojis_guild_name ON custom_emojis(guild_id, name);
