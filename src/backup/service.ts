// Backups from the running server: the "backup" job (console button, schedule), the schedule
// itself (default daily, keep 7; both admin settings) and the list shown in the console.
// Archives go to <data>/backups/pokynano-<time>.tar.gz; pruning only ever touches that pattern.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";
import type { Core } from "../core.ts";
import { auditRow } from "../admin/audit.ts";
import { readSetting, writeSetting } from "../instance/service.ts";
import { checkCancelled, jobRunner, JobCancelled, registerJobKind } from "../jobs/runner.ts";
import { embeddedMigrations } from "../server.ts";
import { BackupCancelled, createBackup } from "./archive.ts";
import { inspectBackup } from "./restore.ts";

export const DEFAULT_BACKUP_HOURS = 24;
export const DEFAULT_BACKUP_KEEP = 7;
const ARCHIVE = /^pokynano-\d{8}-\d{6}(?:-\d+)?\.tar\.gz$/;
const CHECK_EVERY_MS = 60_000;

export const backupsDir = (core: Core) => join(core.config.dataDir, "backups");
export const backupHours = (core: Core) => {
  const v = readSetting<number>(core.db.readOrm, "backup_interval_hours");
  return typeof v === "number" && v >= 0 && v <= 24 * 30 ? v : DEFAULT_BACKUP_HOURS;
};
export const backupKeep = (core: Core) => {
  const v = readSetting<number>(core.db.readOrm, "backup_keep");
  return typeof v === "number" && v >= 1 && v <= 365 ? v : DEFAULT_BACKUP_KEEP;
};

export async function setBackupSchedule(core: Core, input: { hours?: number; keep?: number }): Promise<void> {
  if (input.hours !== undefined) await writeSetting(core.queue, "backup_interval_hours", input.hours);
  if (input.keep !== undefined) await writeSetting(core.queue, "backup_keep", input.keep);
}

export interface BackupFile {
  name: string;
  bytes: number;
  createdAt: string;
}

export function listBackups(core: Core): BackupFile[] {
  const dir = backupsDir(core);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => ARCHIVE.test(n))
    .map((name) => {
      const st = statSync(join(dir, name));
      return { name, bytes: st.size, createdAt: st.mtime.toISOString() };
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}

/** The path of a listed backup, or null: the name must match the pattern, so no path can be smuggled in. */
export const backupPath = (core: Core, name: string) => (ARCHIVE.test(name) && existsSync(join(backupsDir(core), name)) ? join(backupsDir(core), name) : null);

function prune(core: Core): string[] {
  const removed = listBackups(core).slice(backupKeep(core)).map((b) => b.name);
  for (const name of removed) rmSync(join(backupsDir(core), name), { force: true });
  return removed;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

registerJobKind("backup", async ({ core, params, createdBy, signal, progress }) => {
  mkdirSync(backupsDir(core), { recursive: true });
  let name = `pokynano-${stamp(new Date())}.tar.gz`;
  for (let i = 1; existsSync(join(backupsDir(core), name)); i++) name = `pokynano-${stamp(new Date())}-${i}.tar.gz`;
  try {
    const { bytes, manifest } = await createBackup(core.config.dataDir, join(backupsDir(core), name), { progress, signal });
    const pruned = params.scheduled ? prune(core) : [];
    await writeSetting(core.queue, "backup_last_at", new Date().toISOString());
    await core.queue.write((tx) => auditRow(tx, createdBy, "backup.create", name, { bytes, scheduled: Boolean(params.scheduled), pruned, messages: manifest.counts.messages }));
    return { file: name, bytes, messages: manifest.counts.messages, files: manifest.files.count, pruned };
  } catch (err) {
    if (err instanceof BackupCancelled) throw new JobCancelled();
    throw err;
  }
});

registerJobKind("verify-backup", async ({ core, params, signal, progress }) => {
  const path = backupPath(core, String(params.file ?? ""));
  if (!path) throw new Error("unknown backup file");
  const scratch = mkdtempSync(join(tmpdir(), "pokynano-verify-"));
  try {
    checkCancelled(signal);
    const report = await inspectBackup(path, scratch, embeddedMigrations(), progress);
    return { file: params.file, ok: report.problems.length === 0, problems: report.problems, counts: report.manifest?.counts ?? null, files: report.files };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** One check of the schedule: starts a scheduled backup when one is due. Returns its job id, if any. */
export async function scheduledBackupDue(core: Core, now = Date.now()): Promise<string | null> {
  const hours = backupHours(core);
  if (hours === 0) return null;
  const last = Date.parse(readSetting<string>(core.db.readOrm, "backup_last_at") ?? "") || now;
  if (now - last < hours * 3_600_000 || jobRunner(core).isBusyWith("backup")) return null;
  return (await jobRunner(core).start("backup", { scheduled: true }, null)).id;
}

/** The schedule: checks once a minute whether a backup is due. Returns the stop function. */
export function startBackupSchedule(core: Core): () => void {
  // The first scheduled backup comes one interval after the first start; the clock is kept in the
  // database so that restarts do not keep pushing it back.
  if (!readSetting<string>(core.db.readOrm, "backup_last_at")) void writeSetting(core.queue, "backup_last_at", new Date().toISOString());
  const timer = setInterval(() => void scheduledBackupDue(core).catch((err) => core.logger.warn("scheduled backup not started", { err })), CHECK_EVERY_MS);
  return () => clearInterval(timer);
}
