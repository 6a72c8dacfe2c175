// Forward-only numbered SQL migrations. The SQL is embedded in the binary (src/generated/embedded.ts,
// written by scripts/prepare.ts), so the binary needs no migrations folder at run time. Each
// migration runs in its own transaction and is recorded with a checksum; an applied migration
// whose text changed, or a database migrated by a newer Pokynano, stops the start.
import type { Database } from "bun:sqlite";
import { StartupError } from "./client.ts";

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export interface MigrationStatus {
  id: number;
  name: string;
  appliedAt: string | null;
}

export function parseMigrations(files: readonly { file: string; sql: string }[]): Migration[] {
  const out = files.map(({ file, sql }) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file ${file} must be named NNNN_name.sql`);
    return { id: Number(match[1]), name: match[2]!, sql };
  });
  out.sort((a, b) => a.id - b.id);
  out.forEach((m, i) => {
    if (m.id !== i + 1) throw new Error(`migrations must be numbered 0001, 0002, ... without gaps (found ${m.id} at position ${i + 1})`);
  });
  return out;
}

const checksum = (sql: string) => new Bun.CryptoHasher("sha256").update(sql).digest("hex");

function ensureTable(db: Database): void {
  db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}

function applied(db: Database): Map<number, { name: string; checksum: string; applied_at: string }> {
  const rows = db.query<{ id: bigint; name: string; checksum: string; applied_at: string }, []>("SELECT id, name, checksum, applied_at FROM schema_migrations").all();
  return new Map(rows.map((r) => [Number(r.id), r]));
}

function verify(migrations: readonly Migration[], done: ReturnType<typeof applied>): void {
  const known = new Set(migrations.map((m) => m.id));
  const newest = Math.max(0, ...done.keys());
  if (newest > migrations.length || [...done.keys()].some((id) => !known.has(id))) {
    throw new StartupError(
      `this database was migrated by a newer Pokynano (migration ${newest}); this binary knows up to ${migrations.length}. Run the newer version or restore a backup.`,
    );
  }
  for (const m of migrations) {
    const row = done.get(m.id);
    if (row && row.checksum !== checksum(m.sql)) {
      throw new StartupError(`migration ${m.id} (${m.name}) was changed after it was applied; migrations are forward-only, add a new one instead.`);
    }
  }
}

/** Apply every pending migration in order. Returns the ids applied now. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  ensureTable(db);
  const done = applied(db);
  verify(migrations, done);
  const now: number[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.run(m.sql);
      db.query("INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)").run(
        m.id,
        m.name,
        checksum(m.sql),
        new Date().toISOString(),
      );
    }).immediate();
    now.push(m.id);
  }
  return now;
}

export function migrationStatus(db: Database, migrations: readonly Migration[]): MigrationStatus[] {
  ensureTable(db);
  const done = applied(db);
  verify(migrations, done);
  return migrations.map((m) => ({ id: m.id, name: m.name, appliedAt: done.get(m.id)?.applied_at ?? null }));
}
