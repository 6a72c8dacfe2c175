// Orphan cleanup. Deleting an attachment row (with its message, channel or server, by cascade, or
// a cancelled upload) records its hash in file_gc (a trigger, in the same transaction); the sweep
// deletes the stored copy and thumbnails of each such hash that no row uses any more. It runs in
// the single writer, where uploads also move their files into place, so it can never remove a file
// that a new row has just started to use. Staged uploads never sent are deleted after STAGED_TTL_MS.
import { and, isNull, lt } from "drizzle-orm";
import type { Core } from "../core.ts";
import { onMessageEvent } from "../messages/service.ts";
import { STAGED_TTL_MS } from "./limits.ts";
import { clearTmp, removeBlob } from "./store.ts";
import { attachments } from "./table.ts";

export const FILE_SWEEP_EVERY_MS = 5 * 60_000;

/** Delete staged uploads older than the TTL, then the files nothing refers to; returns the hashes removed. */
export async function sweepFiles(core: Core, now = Date.now()): Promise<string[]> {
  const cutoff = new Date(now - STAGED_TTL_MS).toISOString();
  const stale = core.db.readOrm.select({ id: attachments.id }).from(attachments).where(and(isNull(attachments.messageId), lt(attachments.createdAt, cutoff))).limit(1).get();
  if (stale) await core.queue.write(({ orm }) => orm.delete(attachments).where(and(isNull(attachments.messageId), lt(attachments.createdAt, cutoff))).run());
  // A read first, so a quiet sweep does not take the write lock.
  const pending = core.db.reader.query<{ n: bigint }, []>("SELECT count(*) AS n FROM file_gc").get();
  if (!pending || pending.n === 0n) return [];
  return core.queue.write(({ sqlite }) => {
    const orphans = sqlite
      .query<{ sha256: string }, []>("DELETE FROM file_gc WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = file_gc.sha256) RETURNING sha256")
      .all()
      .map((r) => r.sha256);
    sqlite.run("DELETE FROM file_gc");
    for (const sha256 of orphans) removeBlob(core, sha256);
    return orphans;
  });
}

const scheduled = new WeakSet<Core>();
/** Soon after a message is deleted or an edit removes attachments, their files go too (when nothing else uses them). */
onMessageEvent((core, event) => {
  if (!(event.type === "delete" || (event.type === "update" && event.filesRemoved)) || scheduled.has(core)) return;
  scheduled.add(core);
  setTimeout(() => {
    scheduled.delete(core);
    sweepFiles(core).catch((err) => core.logger.warn("file sweep failed", { err }));
  }, 100);
});

/** Start the periodic sweep; returns the function that stops it. */
export function startFileSweep(core: Core, every = FILE_SWEEP_EVERY_MS): () => void {
  clearTmp(core);
  const run = () => sweepFiles(core).catch((err) => core.logger.warn("file sweep failed", { err }));
  void run();
  const timer = setInterval(run, every);
  timer.unref?.();
  return () => clearInterval(timer);
}
