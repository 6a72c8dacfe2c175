// One backup = one .tar.gz: manifest.json, pokynano.db (a VACUUM INTO snapshot that passed
// integrity_check) and files/ (the content-addressed uploads). The snapshot is taken first; the
// files it references are then hard-linked into a staging folder inside the data dir, so the
// orphan sweep deleting one during the backup cannot take it out of the archive. The archive is
// written beside its target, fsynced and renamed into place: the target is a complete backup or
// absent, never half of one. Works from a data dir path, so the CLI and the running server share it.
// The snapshot and its integrity check run in a worker thread: the server keeps answering.
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DB_FILE, StartupError } from "../db/client.ts";
import { fsyncPath } from "../cli/backup.ts";
import type { SnapshotReply, SnapshotRequest } from "./snapshot-worker.ts";
import { VERSION } from "../version.ts";

export const MANIFEST = "manifest.json";
/**
 * Files of the data dir beside the database that a backup carries: the Web Push (VAPID) key pair,
 * without which every browser's push subscription dies after a restore.
 */
export const KEY_FILES = ["vapid.json"] as const;
export const BACKUP_FORMAT = "pokynano-backup";

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  format_version: 1;
  pokynano: string;
  created_at: string;
  migration: number;
  db: { file: string; bytes: number; sha256: string };
  files: { count: number; bytes: number };
  counts: { users: number; guilds: number; channels: number; messages: number; attachments: number };
  /** Attachments the snapshot names whose stored copy was already gone (kept honest, not hidden). */
  missing_files: string[];
  /** Which of KEY_FILES the archive holds (absent in archives made before they were carried). */
  key_files?: string[];
}

export type Progress = (fraction: number, detail: string) => void;
export class BackupCancelled extends Error {
  override name = "BackupCancelled";
}

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function snapshotFacts(path: string): { migration: number; counts: BackupManifest["counts"]; hashes: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    const n = (table: string) => Number(db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n);
    const migration = Number(db.query<{ id: number | null }, []>("SELECT max(id) AS id FROM schema_migrations").get()?.id ?? 0);
    const hashes = db.query<{ sha256: string }, []>("SELECT DISTINCT sha256 FROM attachments").all().map((r) => r.sha256);
    return { migration, counts: { users: n("users"), guilds: n("guilds"), channels: n("channels"), messages: n("messages"), attachments: n("attachments") }, hashes };
  } finally {
    db.close();
  }
}

/** VACUUM INTO + integrity_check in a worker thread (snapshot-worker.ts), so the server keeps answering. */
function snapshotInWorker(source: string, target: string): Promise<SnapshotReply> {
  const worker = new Worker(new URL("./snapshot-worker.ts", import.meta.url).href);
  return new Promise<SnapshotReply>((resolve) => {
    worker.onmessage = (ev: MessageEvent<SnapshotReply>) => resolve(ev.data);
    worker.addEventListener("error", (ev) => resolve({ ok: false, error: (ev as ErrorEvent).message || "the snapshot thread failed" }));
    worker.postMessage({ source, target } satisfies SnapshotRequest);
  }).finally(() => worker.terminate());
}

/** Write a backup archive of dataDir to `out`. */
export async function createBackup(dataDir: string, out: string, opts: { progress?: Progress; signal?: AbortSignal } = {}): Promise<{ out: string; bytes: number; manifest: BackupManifest }> {
  const progress = opts.progress ?? (() => {});
  const cancelled = () => {
    if (opts.signal?.aborted) throw new BackupCancelled("cancelled");
  };
  const source = join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new StartupError(`there is no database at ${source} to back up`);
  if (!existsSync(dirname(out))) throw new StartupError(`the folder ${dirname(out)} does not exist`);
  const staging = join(dataDir, `.backup-staging-${process.pid}-${Date.now()}`);
  const partial = `${out}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  mkdirSync(staging, { recursive: true });
  try {
    progress(0.02, "database snapshot");
    const snap = join(staging, DB_FILE);
    const reply = await snapshotInWorker(source, snap);
    if (!reply.ok && reply.integrity) throw new StartupError(`the backup copy failed its integrity check (${reply.error}); nothing was written to ${out}`);
    if (!reply.ok) throw new StartupError(`backup failed: ${reply.error}`);
    cancelled();
    progress(0.25, "manifest");
    const facts = snapshotFacts(snap);
    cancelled();

    progress(0.3, "files");
    const filesDir = join(dataDir, "files");
    const blobs = walk(filesDir).filter((p) => !relative(filesDir, p).startsWith("tmp/"));
    let fileBytes = 0;
    for (const path of blobs) {
      const target = join(staging, "files", relative(filesDir, path));
      mkdirSync(dirname(target), { recursive: true });
      try {
        linkSync(path, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") continue; // swept while we walked: not referenced by the snapshot
        copyFileSync(path, target);
      }
      fileBytes += statSync(target).size;
    }
    const present = new Set(walk(join(staging, "files")).map((p) => p.split("/").pop()!));
    const keyFiles = KEY_FILES.filter((name) => existsSync(join(dataDir, name)));
    for (const name of keyFiles) copyFileSync(join(dataDir, name), join(staging, name));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: 1,
      pokynano: VERSION,
      created_at: new Date().toISOString(),
      migration: facts.migration,
      db: { file: DB_FILE, bytes: statSync(snap).size, sha256: await sha256File(snap) },
      files: { count: blobs.length, bytes: fileBytes },
      counts: facts.counts,
      missing_files: facts.hashes.filter((h) => !present.has(h)),
      key_files: keyFiles,
    };
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    cancelled();

    const entries = [MANIFEST, DB_FILE, ...keyFiles, ...(existsSync(join(staging, "files")) ? ["files"] : [])];
    const total = blobs.length + 2;
    let written = 0;
    const tar = await import("tar");
    await tar.c(
      {
        gzip: { level: 6 },
        file: partial,
        cwd: staging,
        portable: true,
        // Stop adding entries once cancelled; the partial file is removed below.
        filter: () => !opts.signal?.aborted,
        onWriteEntry: () => {
          written++;
          if (written % 50 === 0 || written === total) progress(0.4 + 0.55 * Math.min(1, written / total), `archive ${written}/${total}`);
        },
      },
      entries,
    );
    cancelled();
    fsyncPath(partial);
    renameSync(partial, out);
    fsyncPath(dirname(out));
    progress(1, "done");
    return { out, bytes: statSync(out).size, manifest };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
