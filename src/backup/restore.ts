// Checking and restoring a backup archive. `inspectBackup` unpacks into a scratch folder and proves
// the archive is whole: manifest present and ours, the database's sha256 as recorded, integrity_check
// ok, a schema this binary knows, every stored file named by its own sha256. `--dry-run` stops
// there; a real restore then moves the database and files/ into place, keeping what it replaces.
import { Database } from "bun:sqlite";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DB_FILE, StartupError } from "../db/client.ts";
import type { Migration } from "../db/migrate.ts";
import { integrityCheck } from "../cli/backup.ts";
import { restoreDatabase } from "../cli/restore.ts";
import { dataDirInUse } from "../server.ts";
import { BACKUP_FORMAT, KEY_FILES, MANIFEST, sha256File, type BackupManifest, type Progress } from "./archive.ts";

const SQLITE_HEADER = "SQLite format 3\0";

export interface InspectReport {
  kind: "archive" | "database";
  manifest: BackupManifest | null;
  files: number;
  problems: string[];
}

function isSqliteFile(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString("latin1") === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function newestMigration(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return Number(db.query<{ id: number | null }, []>("SELECT max(id) AS id FROM schema_migrations").get()?.id ?? 0);
  } catch {
    return -1;
  } finally {
    db.close();
  }
}

/** Unpack `file` into `scratch` and check everything; problems are listed, not thrown. */
export async function inspectBackup(file: string, scratch: string, migrations: readonly Migration[], progress: Progress = () => {}): Promise<InspectReport> {
  if (!existsSync(file)) throw new StartupError(`there is no file at ${file}`);
  if (isSqliteFile(file)) {
    // A plain database file (the format of earlier `pokynano backup`): check it as it is.
    const check = integrityCheck(file);
    const problems = check === "ok" ? [] : [`the database fails its integrity check (${check})`];
    const newest = newestMigration(file);
    if (newest < 0) problems.push(`${file} is not a Pokynano backup (it has no migrations table)`);
    else if (newest > migrations.length) problems.push(`it comes from a newer Pokynano (migration ${newest}); this binary knows up to ${migrations.length}`);
    return { kind: "database", manifest: null, files: 0, problems };
  }
  progress(0.05, "unpacking");
  try {
    // node-tar strips absolute paths and refuses entries that climb out with ../ (preservePaths off).
    const tar = await import("tar");
    await tar.x({ file, cwd: scratch, strict: true, filter: (path, entry) => (entry as { type?: string }).type === "File" || (entry as { type?: string }).type === "Directory" });
  } catch (err) {
    return { kind: "archive", manifest: null, files: 0, problems: [`${file} is not a readable backup archive (${(err as Error).message})`] };
  }
  const problems: string[] = [];
  let manifest: BackupManifest | null = null;
  try {
    manifest = JSON.parse(readFileSync(join(scratch, MANIFEST), "utf8")) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT) problems.push("the manifest is not a Pokynano backup manifest");
  } catch {
    problems.push(`${file} is not a Pokynano backup (no readable ${MANIFEST})`);
    return { kind: "archive", manifest: null, files: 0, problems };
  }
  const db = join(scratch, DB_FILE);
  progress(0.3, "database checksum");
  if (!existsSync(db)) problems.push("the archive has no database");
  else {
    if ((await sha256File(db)) !== manifest.db.sha256) problems.push("the database does not match the checksum in the manifest");
    progress(0.45, "integrity check");
    const check = integrityCheck(db);
    if (check !== "ok") problems.push(`the database fails its integrity check (${check})`);
    const newest = newestMigration(db);
    if (newest > migrations.length) problems.push(`it comes from a newer Pokynano (migration ${newest}); this binary knows up to ${migrations.length}`);
  }
  const files = walk(join(scratch, "files"));
  if (files.length !== manifest.files.count) problems.push(`the manifest lists ${manifest.files.count} files, the archive holds ${files.length}`);
  let done = 0;
  for (const path of files) {
    const rel = relative(join(scratch, "files"), path);
    // Stored copies are named by their sha256 (<2 hex>/<sha256>); thumbnails are derived and not checked.
    if (/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(rel) && (await sha256File(path)) !== rel.slice(3)) problems.push(`files/${rel} does not match its checksum`);
    if (++done % 100 === 0) progress(0.5 + 0.45 * (done / files.length), `files ${done}/${files.length}`);
  }
  progress(1, "checked");
  return { kind: "archive", manifest, files: files.length, problems };
}

/** `pokynano restore FILE [--dry-run]`. The server must be stopped for a real restore. */
export async function restoreBackup(
  dataDir: string,
  file: string,
  migrations: readonly Migration[],
  opts: { dryRun?: boolean; progress?: Progress } = {},
): Promise<{ report: InspectReport; keptAs: string | null; filesKeptAs: string | null }> {
  if (!opts.dryRun) {
    const pid = dataDirInUse(dataDir);
    if (pid !== null) throw new StartupError(`the server (pid ${pid}) is running on ${dataDir}; stop it before restoring`);
  }
  // A real restore unpacks inside the data dir, so moving files/ into place is a rename.
  if (!opts.dryRun) mkdirSync(dataDir, { recursive: true });
  const scratch = mkdtempSync(join(opts.dryRun ? tmpdir() : dataDir, ".restore-"));
  try {
    const report = await inspectBackup(file, scratch, migrations, opts.progress);
    if (report.problems.length) throw new StartupError(`${file} cannot be restored: ${report.problems.join("; ")}; nothing was changed`);
    if (opts.dryRun) return { report, keptAs: null, filesKeptAs: null };
    const dbSource = report.kind === "database" ? file : join(scratch, DB_FILE);
    const { keptAs } = restoreDatabase(dataDir, dbSource, migrations);
    let filesKeptAs: string | null = null;
    if (report.kind === "archive" && existsSync(join(scratch, "files"))) {
      const live = join(dataDir, "files");
      if (existsSync(live) && statSync(live).isDirectory()) {
        filesKeptAs = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
        renameSync(live, filesKeptAs);
      }
      renameSync(join(scratch, "files"), live);
    }
    // The key files (the Web Push key pair) come back too; a different one in place is kept aside.
    for (const name of report.kind === "archive" ? KEY_FILES : []) {
      const restored = join(scratch, name);
      if (!existsSync(restored)) continue;
      const live = join(dataDir, name);
      if (existsSync(live) && readFileSync(live, "utf8") !== readFileSync(restored, "utf8")) renameSync(live, `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`);
      renameSync(restored, live);
      chmodSync(live, 0o600);
    }
    return { report, keptAs, filesKeptAs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
