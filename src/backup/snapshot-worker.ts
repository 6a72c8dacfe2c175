// Entry point of the backup snapshot thread (a Bun Worker): VACUUM INTO and integrity_check of the
// copy run here, because both are one long synchronous SQLite call. On the event loop they stalled
// every request for the whole copy (1.6 s at 130 MB, measured). Listed as a build entrypoint in
// scripts/build.ts (compiled binaries bundle workers only when told).
import { Database } from "bun:sqlite";
import { integrityCheck } from "../cli/backup.ts";

declare const self: Worker;

export type SnapshotRequest = { source: string; target: string };
export type SnapshotReply = { ok: true } | { ok: false; error: string; integrity?: boolean };

self.onmessage = (ev: MessageEvent<SnapshotRequest>) => {
  const { source, target } = ev.data;
  let reply: SnapshotReply;
  try {
    const db = new Database(source, { readwrite: true, create: false });
    try {
      db.run("PRAGMA busy_timeout = 5000");
      db.query("VACUUM INTO ?").run(target);
    } finally {
      db.close();
    }
    const check = integrityCheck(target);
    reply = check === "ok" ? { ok: true } : { ok: false, error: check, integrity: true };
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  self.postMessage(reply);
};
