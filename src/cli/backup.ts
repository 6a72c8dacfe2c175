// `pokynano backup --out FILE`: VACUUM INTO a temporary file next to FILE, integrity-check the
// copy, fsync it, then rename it into place, so FILE is either the old backup or a complete new
// one. Safe while the server runs (WAL readers do not block the writer).
import { Database } from "bun:sqlite";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DB_FILE, StartupError } from "../db/client.ts";

export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function integrityCheck(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
    return rows.map((r) => r.integrity_check).join("; ");
  } catch (err) {
    return (err as Error).message;
  } finally {
    db.close();
  }
}

export function backupDatabase(dataDir: string, out: string): { bytes: number } {
  const source = join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new StartupError(`there is no database at ${source} to back up`);
  if (!existsSync(dirname(out))) throw new StartupError(`the folder ${dirname(out)} does not exist`);
  const tmp = `${out}.partial-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(source, { readwrite: true, create: false });
  try {
    db.run("PRAGMA busy_timeout = 5000");
    db.query("VACUUM INTO ?").run(tmp);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new StartupError(`backup failed: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  const check = integrityCheck(tmp);
  if (check !== "ok") {
    rmSync(tmp, { force: true });
    throw new StartupError(`the backup copy failed its integrity check (${check}); nothing was written to ${out}`);
  }
  fsyncPath(tmp);
  renameSync(tmp, out);
  fsyncPath(dirname(out));
  return { bytes: statSync(out).size };
}
