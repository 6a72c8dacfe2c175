// After a thread change commits: Discord's THREAD_* dispatches for JSON clients, and the "N replies"
// summary under the starter message for every browser showing the parent channel. Both go to the
// parent's topics: whoever may see a public thread's channel may see the thread.
import { and, eq, inArray } from "drizzle-orm";
import { ThreadSummary } from "../../views/threads/summary.tsx";
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { channels, type Channel } from "../guilds/table.ts";
import { Topic } from "../hub/hub.ts";
import "./activity.ts";
import { onThreadEvent, type ThreadEvent } from "./events.ts";
import { threadJson, threadMemberJson } from "./json.ts";
import { summaryOf, threadView } from "./queries.ts";
import { threadMembers, threadRow } from "./table.ts";

function publishSummary(core: Core, thread: Channel, parentId: string): void {
  const state = threadRow(core.db, thread.id);
  if (!state?.starterMessageId) return;
  const html = (<ThreadSummary thread={summaryOf(core, thread, state)} />).toString();
  core.hub.publish(Topic.channelHtml(parentId), `<hx-partial hx-target="#thread-slot-${state.starterMessageId}" hx-swap="innerHTML">${html}</hx-partial>`);
}

function publish(core: Core, event: ThreadEvent): void {
  const parentId = event.thread.parentId;
  if (!parentId) return;
  const json = JsonTopic.channel(parentId);
  // Updates may carry the row from before the change: read the committed one.
  const thread = core.db.readOrm.select().from(channels).where(eq(channels.id, event.thread.id)).get();
  switch (event.type) {
    case "delete":
      core.hub.gateway?.dispatch(json, "THREAD_DELETE", { id: event.thread.id, guild_id: event.thread.guildId, parent_id: parentId, type: event.thread.type });
      if (event.starterMessageId) core.hub.publish(Topic.channelHtml(parentId), `<hx-partial hx-target="#thread-slot-${event.starterMessageId}" hx-swap="innerHTML"></hx-partial>`);
      return;
    case "create":
    case "update":
      if (!thread) return;
      core.hub.gateway?.dispatch(json, event.type === "create" ? "THREAD_CREATE" : "THREAD_UPDATE", { ...threadJson(threadView(core, thread)), ...(event.type === "create" ? { newly_created: true } : {}) });
      publishSummary(core, thread, parentId);
      return;
    case "members": {
      if (!thread) return;
      const added = event.added.length ? core.db.readOrm.select().from(threadMembers).where(and(eq(threadMembers.threadId, thread.id), inArray(threadMembers.userId, event.added))).all() : [];
      core.hub.gateway?.dispatch(json, "THREAD_MEMBERS_UPDATE", {
        id: thread.id,
        guild_id: thread.guildId,
        member_count: threadView(core, thread).memberCount,
        added_members: added.map(threadMemberJson),
        removed_member_ids: event.removed,
      });
      return;
    }
    case "activity":
      if (thread) publishSummary(core, thread, parentId);
      return;
  }
}

onThreadEvent(publish);
