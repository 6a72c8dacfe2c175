// Auto-archive. A timer, not a check at read time: archiving is a state change that gateway
// clients and open panes are told about (THREAD_UPDATE), and only a timer notices a thread nobody
// looks at. Durations are an hour or more, so a sweep a minute is precise enough and costs one
// indexed query over open threads.
import type { Core } from "../core.ts";
import { channels } from "../guilds/table.ts";
import { inArray } from "drizzle-orm";
import { emitThreadEvent } from "./events.ts";

export const SWEEP_EVERY_MS = 60_000;
/** Discord's snowflake epoch: a message id holds its creation time, so the last message needs no column. */
const EPOCH = 1_420_070_400_000n;

// Last activity: creation or reopening (active_at), or the newest message, whichever is later.
const IDLE = `t.archived = 0
  AND max(t.active_at, coalesce(((SELECT max(m.id) FROM messages m WHERE m.channel_id = t.channel_id) >> 22) + ${EPOCH}, 0)) + t.auto_archive_duration * 60000 <= ?`;

/** Archive every open thread idle for its auto-archive duration at `now`; returns their ids. */
export async function archiveIdleThreads(core: Core, now = Date.now()): Promise<string[]> {
  // A read first, so a quiet minute does not take the write lock.
  const any = core.db.reader.query<{ id: bigint }, [bigint]>(`SELECT t.channel_id AS id FROM threads t WHERE ${IDLE} LIMIT 1`).get(BigInt(now));
  if (!any) return [];
  const stamp = new Date(now).toISOString();
  // The condition is checked again inside the write: a thread that got a message or was reopened since stays open.
  const archived = await core.queue.write(({ sqlite }) =>
    sqlite
      .query<{ id: bigint }, [string, bigint]>(`UPDATE threads AS t SET archived = 1, archive_timestamp = ? WHERE ${IDLE} RETURNING channel_id AS id`)
      .all(stamp, BigInt(now))
      .map((r) => r.id.toString()),
  );
  if (archived.length === 0) return [];
  const rows = core.db.readOrm.select().from(channels).where(inArray(channels.id, archived)).all();
  for (const thread of rows) emitThreadEvent(core, { type: "update", thread });
  return rows.map((r) => r.id);
}

/** Start the periodic sweep; returns the function that stops it. */
export function startThreadSweep(core: Core, every = SWEEP_EVERY_MS): () => void {
  const timer = setInterval(() => {
    archiveIdleThreads(core).catch((err) => core.logger.warn("thread auto-archive failed", { err }));
  }, every);
  return () => clearInterval(timer);
}
