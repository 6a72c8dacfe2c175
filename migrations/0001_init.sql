-- Instance-wide key/value settings (instance name, registration mode, limits...).
-- Values are JSON text so a setting can be a string, a number or an object.
CREATE TABLE instance_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
