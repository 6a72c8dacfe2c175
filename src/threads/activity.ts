// What a message does to its thread, heard after the message's commit: the parent's summary
// changes, an archived thread reopens (a locked one only took the message because the sender
// manages threads), and the author follows the thread from then on, as in Discord.
import { and, eq } from "drizzle-orm";
import { isThreadType } from "./rules.ts";
import type { Core } from "../core.ts";
import type { Channel } from "../guilds/table.ts";
import { onMessageEvent, type MessageEvent } from "../messages/service.ts";
import { emitThreadEvent } from "./events.ts";
import { addAuthor } from "./members.ts";
import { threadRow, threads, type ThreadRow } from "./table.ts";

async function reopen(core: Core, thread: Channel): Promise<void> {
  const now = new Date();
  const reopened = await core.queue.write(({ orm }) =>
    orm.update(threads).set({ archived: false, archiveTimestamp: now.toISOString(), activeAt: now.getTime() }).where(and(eq(threads.channelId, thread.id), eq(threads.archived, true))).returning().all(),
  );
  if (reopened.length) emitThreadEvent(core, { type: "update", thread });
}

async function afterMessage(core: Core, event: MessageEvent, thread: Channel, state: ThreadRow): Promise<void> {
  if (event.type !== "update") emitThreadEvent(core, { type: "activity", thread });
  if (event.type !== "create") return;
  if (state.archived) await reopen(core, thread);
  if (await addAuthor(core, thread.id, event.message.authorId)) emitThreadEvent(core, { type: "members", thread, added: [event.message.authorId], removed: [] });
}

onMessageEvent((core, event) => {
  // Most messages are not in a thread: the event's channel row says so without a lookup.
  const thread = event.channel;
  if (!thread || !isThreadType(thread.type)) return;
  const state = threadRow(core.db, thread.id);
  if (!state) return;
  afterMessage(core, event, thread, state).catch((err) => core.logger.error("thread bookkeeping failed", { err }));
});
