// Before the binary migrates an existing database, it copies it to
// <data>/backups/pre-migrate-<from>-<time>.db (VACUUM INTO + integrity check, the same as a
// db-only backup). Each migration already runs in its own transaction, so a failing one leaves
// the database as it was; this copy also covers a migration that succeeds but is regretted.
import type { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { backupDatabase } from "../cli/backup.ts";
import { migrationStatus, type Migration } from "../db/migrate.ts";

const hasSql = (m: Migration) => /\S/.test(m.sql.replace(/--.*$/gm, ""));

/** Returns the backup's path, or null when nothing is pending or the database is new. */
export function backupBeforeMigrating(dataDir: string, writer: Database, migrations: readonly Migration[]): string | null {
  const status = migrationStatus(writer, migrations);
  const applied = status.filter((s) => s.appliedAt !== null);
  const pending = status.filter((s) => s.appliedAt === null && hasSql(migrations.find((m) => m.id === s.id)!));
  if (applied.length === 0 || pending.length === 0) return null;
  const dir = join(dataDir, "backups");
  mkdirSync(dir, { recursive: true });
  const from = Math.max(...applied.map((s) => s.id));
  const out = join(dir, `pre-migrate-${String(from).padStart(4, "0")}-${new Date().toISOString().replace(/[-:.]/g, "")}.db`);
  backupDatabase(dataDir, out);
  return out;
}
