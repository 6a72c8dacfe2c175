-- Operations (issue 8): the instance audit log and background jobs.

-- Everything an instance admin does (users, servers, settings, backups, imports, exports).
-- Separate from the per-server audit_log of moderation: instance actions have no guild.
CREATE TABLE admin_audit_log (
  id INTEGER PRIMARY KEY,                     -- snowflake: when and order
  admin_id INTEGER REFERENCES users(id) ON DELETE SET NULL,  -- NULL: the scheduler or the CLI
  action TEXT NOT NULL,                       -- e.g. user.deactivate, instance.update, backup.create
  target TEXT NOT NULL DEFAULT '',            -- what it was done to (user id, guild id, file name)
  detail TEXT NOT NULL DEFAULT '{}'           -- JSON: before/after of settings, options, reasons
) STRICT;
CREATE INDEX admin_audit_log_action ON admin_audit_log(action, id);
CREATE INDEX admin_audit_log_admin ON admin_audit_log(admin_id, id);

-- Long operations (backup, export, import, verify) run one at a time by the job runner.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,                     -- snowflake
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  progress REAL NOT NULL DEFAULT 0,           -- 0..1
  detail TEXT NOT NULL DEFAULT '',            -- the current step, for the progress line
  params TEXT NOT NULL DEFAULT '{}',          -- JSON input
  result TEXT,                                -- JSON output (file name, counts, new guild id)
  error TEXT,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;
CREATE INDEX jobs_status ON jobs(status, id);
