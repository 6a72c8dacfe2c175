// Search indexing per group commit (migration 0019): the triggers note which messages changed in
// message_search_pending, and this indexes them all in one statement just before the group's
// COMMIT. One FTS5 segment per group instead of one per message; a message is searchable from the
// same commit that stores it.
import type { Database } from "bun:sqlite";
import type { CommitQueue } from "../db/commit-queue.ts";

const statements = new WeakMap<Database, { any: ReturnType<Database["prepare"]>; index: ReturnType<Database["prepare"]>; clear: ReturnType<Database["prepare"]> }>();

/** Index every noted message; returns how many were noted. Runs inside the caller's transaction. */
export function indexPendingMessages(sqlite: Database): number {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      any: sqlite.prepare("SELECT count(*) AS n FROM message_search_pending"),
      index: sqlite.prepare("INSERT INTO message_search(rowid, content, scope) SELECT id, content, scope FROM message_search_source WHERE id IN (SELECT id FROM message_search_pending)"),
      clear: sqlite.prepare("DELETE FROM message_search_pending"),
    };
    statements.set(sqlite, s);
  }
  const n = Number((s.any.get() as { n: number | bigint }).n);
  if (n === 0) return 0;
  s.index.run();
  s.clear.run();
  return n;
}

/**
 * Index with every group commit from now on, and once now for anything noted by writes made
 * outside the queue (the command line, an interrupted start).
 */
export async function startSearchIndexing(queue: CommitQueue): Promise<void> {
  queue.beforeCommit(({ sqlite }) => void indexPendingMessages(sqlite));
  await queue.write(() => undefined);
}
