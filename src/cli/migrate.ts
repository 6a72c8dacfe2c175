import { openDatabase } from "../db/client.ts";
import { migrate, migrationStatus, type Migration } from "../db/migrate.ts";

/** `pokynano migrate [--status]`: the report printed to the operator. */
export function runMigrate(dataDir: string, migrations: readonly Migration[], statusOnly: boolean): string {
  const db = openDatabase(dataDir);
  try {
    const applied = statusOnly ? [] : migrate(db.writer, migrations);
    const rows = migrationStatus(db.writer, migrations);
    const lines = rows.map((r) => `${String(r.id).padStart(4, "0")} ${r.name.padEnd(32)} ${r.appliedAt ? `applied ${r.appliedAt}` : "pending"}`);
    const pending = rows.filter((r) => !r.appliedAt).length;
    lines.push(statusOnly ? `${rows.length - pending} applied, ${pending} pending` : `${applied.length} applied now, ${pending} pending`);
    return lines.join("\n");
  } finally {
    db.close();
  }
}
