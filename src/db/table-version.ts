// "Has any of these tables changed?" in about a microsecond, for in-memory caches of decisions
// drawn from them (guilds/access.ts keeps who may see what). Every write of this process goes
// through the writer connection, where TEMP triggers count the changes to the tables; commits by
// another process (a command-line tool on the same data directory) change `PRAGMA data_version`
// on that connection, looked at every 50 ms at most. A cache entry made at one version is valid exactly while the version is the
// same: nothing has to remember to invalidate it.
import type { Database } from "bun:sqlite";

const NAME = /^[a-z_]+$/;
/** How soon a commit by another process (the admin CLI) is noticed. */
export const OTHER_PROCESS_MS = 50;

export interface TableVersion {
  /**
   * The current version, or null while the writer is inside a transaction: a reader then still
   * sees the data before it while the count already moved, so nothing may be cached.
   */
  (): string | null;
}

export function tableVersion(writer: Database, name: string, tables: readonly string[]): TableVersion {
  if (!NAME.test(name) || !tables.every((t) => NAME.test(t))) throw new Error("table version names are lowercase words");
  const counter = `version_${name}`;
  writer.run(`CREATE TEMP TABLE IF NOT EXISTS ${counter} (n INTEGER NOT NULL)`);
  if (!writer.query(`SELECT 1 FROM temp.${counter}`).get()) writer.run(`INSERT INTO temp.${counter} (n) VALUES (0)`);
  for (const table of tables) {
    for (const op of ["INSERT", "UPDATE", "DELETE"]) {
      // Cascaded deletes (a server deleted, a user removed) fire these too.
      writer.run(`CREATE TEMP TRIGGER IF NOT EXISTS ${counter}_${table}_${op.toLowerCase()} AFTER ${op} ON main.${table} BEGIN UPDATE temp.${counter} SET n = n + 1; END`);
    }
  }
  const count = writer.prepare<{ n: bigint | number }, []>(`SELECT n FROM temp.${counter}`);
  const dataVersion = writer.prepare<{ data_version: bigint | number }, []>("PRAGMA data_version");
  // The pragma costs ~4 µs (the counter 0.6): other processes' commits are looked for at most
  // every OTHER_PROCESS_MS, this process's own writes every time.
  let other = "";
  let otherAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (writer.inTransaction) return null;
    const now = performance.now();
    if (now - otherAt >= OTHER_PROCESS_MS) {
      other = String(dataVersion.get()!.data_version);
      otherAt = now;
    }
    return `${count.get()!.n}:${other}`;
  };
}
