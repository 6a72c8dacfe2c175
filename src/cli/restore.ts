// `pokynano restore FILE`: replace the database with a backup. The server must be stopped. The
// current database is kept beside it as pokynano.db.before-restore-<time>, so a wrong restore
// can itself be undone.
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DB_FILE, ensureWritableDir, StartupError } from "../db/client.ts";
import type { Migration } from "../db/migrate.ts";
import { dataDirInUse } from "../server.ts";
import { fsyncPath, integrityCheck } from "./backup.ts";

function newestMigration(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const row = db.query<{ id: number | null }, []>("SELECT max(id) AS id FROM schema_migrations").get();
    return row?.id ?? 0;
  } catch {
    throw new StartupError(`${path} is not a Pokynano backup (it has no migrations table)`);
  } finally {
    db.close();
  }
}

export function restoreDatabase(dataDir: string, file: string, migrations: readonly Migration[]): { keptAs: string | null } {
  if (!existsSync(file)) throw new StartupError(`there is no file at ${file}`);
  const pid = dataDirInUse(dataDir);
  if (pid !== null) throw new StartupError(`the server (pid ${pid}) is running on ${dataDir}; stop it before restoring`);
  const check = integrityCheck(file);
  if (check !== "ok") throw new StartupError(`${file} is not a healthy SQLite database (${check}); nothing was changed`);
  const newest = newestMigration(file);
  if (newest > migrations.length) {
    throw new StartupError(`${file} comes from a newer Pokynano (migration ${newest}); this binary knows up to ${migrations.length}`);
  }
  ensureWritableDir(dataDir);
  const target = join(dataDir, DB_FILE);
  const incoming = `${target}.restoring`;
  copyFileSync(file, incoming);
  fsyncPath(incoming);
  let keptAs: string | null = null;
  if (existsSync(target)) {
    // Fold any WAL into the main file first, so the kept copy is complete on its own.
    const current = new Database(target);
    current.run("PRAGMA wal_checkpoint(TRUNCATE)");
    current.close();
    keptAs = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target, keptAs);
  }
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(incoming, target);
  fsyncPath(dataDir);
  return { keptAs };
}
