// Opening the database: one writer connection (used only by the commit queue and migrations) and
// one read-only connection, both with the pragmas of shared/SECURITY.md.
import { Database } from "bun:sqlite";
import { closeSync, fsyncSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";

/** The oldest SQLite we accept: 3.51.3 fixes a WAL-reset bug that can lose committed data. */
export const MIN_SQLITE_VERSION = "3.51.3";
export const DB_FILE = "pokynano.db";
/** Above this size the startup quick_check runs after the server is listening. */
export const QUICK_CHECK_INLINE_LIMIT = 256 * 1024 * 1024;

/** A failure that stops the server from starting, with a message meant for the operator. */
export class StartupError extends Error {
  override name = "StartupError";
}

export type Orm = BunSQLiteDatabase<Record<string, never>>;

export interface DatabaseHandle {
  path: string;
  writer: Database;
  reader: Database;
  /** drizzle over the writer: use only inside CommitQueue.write. */
  writeOrm: Orm;
  /** drizzle over the read-only connection. */
  readOrm: Orm;
  close(): void;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function assertSqliteVersion(version: string): void {
  if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
    throw new StartupError(
      `SQLite ${version} is too old: Pokynano needs ${MIN_SQLITE_VERSION} or newer (older versions have a WAL bug that can lose data). Use the official binary or a newer Bun.`,
    );
  }
}

/** Create the data dir if needed and prove we can write and fsync in it. */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, "ok");
    const fd = openSync(probe, "r");
    fsyncSync(fd);
    closeSync(fd);
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new StartupError(
      `data directory ${dir} is not writable (${code}). Create it and give the server's user write access, or choose another with --data-dir.`,
    );
  }
}

function applyPragmas(db: Database, readOnly: boolean): void {
  db.run("PRAGMA busy_timeout = 5000");
  if (!readOnly) {
    const mode = db.query<{ journal_mode: string }, []>("PRAGMA journal_mode = WAL").get();
    if (mode?.journal_mode !== "wal") throw new StartupError(`could not switch the database to WAL mode (got ${mode?.journal_mode})`);
  }
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA foreign_keys = ON");
  db.run("PRAGMA trusted_schema = OFF");
  if (readOnly) db.run("PRAGMA query_only = ON");
}

function openConnection(path: string, readOnly: boolean): Database {
  try {
    const db = new Database(path, { create: !readOnly, readwrite: true, strict: true, safeIntegers: true });
    applyPragmas(db, readOnly);
    return db;
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`cannot open the database at ${path}: ${(err as Error).message}. If it is damaged, restore a backup with "pokynano restore FILE".`);
  }
}

export function sqliteVersion(db: Database): string {
  return db.query<{ v: string }, []>("SELECT sqlite_version() AS v").get()!.v;
}

/** `PRAGMA quick_check`; throws a StartupError naming the first problems when the file is damaged. */
export function quickCheck(db: Database, path: string): void {
  let rows: { quick_check: string }[];
  try {
    rows = db.query<{ quick_check: string }, []>("PRAGMA quick_check").all();
  } catch (err) {
    throw new StartupError(`the database at ${path} is corrupt (${(err as Error).message}). Restore a backup with "pokynano restore FILE".`);
  }
  if (rows.length !== 1 || rows[0]?.quick_check !== "ok") {
    const detail = rows.slice(0, 3).map((r) => r.quick_check).join("; ");
    throw new StartupError(`the database at ${path} is corrupt (${detail}). Restore a backup with "pokynano restore FILE".`);
  }
}

export function databaseSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Run several reads on the read connection in one read transaction. Each statement outside a
 * transaction begins and ends its own (WAL read lock and header check: measured 28 µs for the
 * eight lookups of a send, 10 µs in one transaction). `fn` must be synchronous: no commit of this
 * process can land in between, so it reads exactly what the statements would have read one by one.
 * Nested calls join the outer transaction.
 */
export function readBatch<T>(db: Pick<DatabaseHandle, "reader">, fn: () => T): T {
  const conn = db.reader;
  let state = readBatchState.get(conn);
  if (!state) readBatchState.set(conn, (state = { depth: 0, begin: conn.prepare("BEGIN"), commit: conn.prepare("COMMIT") }));
  if (state.depth > 0 || conn.inTransaction) return fn();
  state.begin.run();
  state.depth++;
  try {
    return fn();
  } finally {
    state.depth--;
    state.commit.run();
  }
}
const readBatchState = new WeakMap<Database, { depth: number; begin: ReturnType<Database["prepare"]>; commit: ReturnType<Database["prepare"]> }>();

export function openDatabase(dataDir: string): DatabaseHandle {
  ensureWritableDir(dataDir);
  const path = join(dataDir, DB_FILE);
  const writer = openConnection(path, false);
  try {
    assertSqliteVersion(sqliteVersion(writer));
    // Touch the schema so a file that is not a database fails here, with the message above.
    writer.query("SELECT count(*) FROM sqlite_schema").get();
  } catch (err) {
    writer.close();
    if (err instanceof StartupError) throw err;
    throw new StartupError(`the file at ${path} is not a usable database (${(err as Error).message}). Restore a backup with "pokynano restore FILE".`);
  }
  const reader = openConnection(path, true);
  return {
    path,
    writer,
    reader,
    writeOrm: drizzle({ client: writer }),
    readOrm: drizzle({ client: reader }),
    close() {
      reader.close();
      // A clean checkpoint on close leaves a single file behind for the operator.
      try {
        writer.run("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch {
        // another process (a backup) may hold the WAL; the next open recovers it
      }
      writer.close();
    },
  };
}
