// "Has any of these tables changed?" in about a microsecond, for in-memory caches of decisions
// drawn from them (guilds/access.ts keeps who may see what). Every write of this process goes
// through the writer connection, where TEMP triggers count the changes to the tables; commits by
// another process (a command-line tool on the same data directory) change `PRAGMA data_version`
// on that connection. A cache entry made at one version is valid exactly while the version is the
// same: nothing has to remember to invalidate it.
import type { Database } from "bun:sqlite";

const NAME = /^[a-z_]+$/;

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
  const read = writer.prepare<{ n: bigint | number; v: bigint | number }, []>(`SELECT n, (SELECT data_version FROM pragma_data_version) AS v FROM temp.${counter}`);
  return () => {
    if (writer.inTransaction) return null;
    const row = read.get()!;
    return `${row.n}:${row.v}`;
  };
}
