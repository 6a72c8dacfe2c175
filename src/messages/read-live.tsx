// Live read state: after a message commits, tabs learn which channels became unread and whose
// mention badges went up; after a read commits, the reader's other tabs clear it.
//
// Fan-out stays O(1) in the number of people who merely can see the channel: "unread" is one
// shared fragment per message (the same bytes to every tab showing the server, on the channel's
// sidebar topic, which only tabs allowed to see the channel hold; and to every member's rail
// when the channel is visible to the whole server). Only people whose numbers change get
// fragments rendered for them: the mentioned ones (who have a tab open) and the reader.
import { HomeBadge } from "../../views/shell/app-shell.tsx";
import { MentionBadge } from "../../views/guilds/sidebar.tsx";
import type { Core } from "../core.ts";
import { channelAccess, effectiveOverwrites, guildAccess, visibleChannels } from "../guilds/access.ts";
import { listDms } from "../dms/service.ts";
import { Topic } from "../hub/hub.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { localeCtx, localeOf, partial } from "../presence/live.tsx";
import { findUser } from "../users/service.ts";
import { channelStates, onRead } from "./read-state.ts";
import { onMessageEvent } from "./service.ts";
import { eq, sql } from "drizzle-orm";
import { roles, type Channel } from "../guilds/table.ts";
import { messageMentions, type Message } from "./table.ts";

const flag = (id: string, on: boolean) => `<i id="${id}" class="unread-flag${on ? " on" : ""}"></i>`;

/** Can every member of the server see this channel? Only then may its activity light the rail of all members. */
function visibleToWholeServer(core: Core, channel: NonNullable<ReturnType<typeof channelAccess>>["channel"]): boolean {
  // Threads are seen through their parent and their own membership: never "the whole server".
  if (!channel.guildId || [10, 11, 12].includes(channel.type)) return false;
  const everyone = core.db.readOrm.select({ permissions: roles.permissions }).from(roles).where(eq(roles.id, channel.guildId)).get();
  if (!everyone || !has(everyone.permissions, Permission.VIEW_CHANNEL)) return false;
  return !effectiveOverwrites(core, channel).some((o) => has(o.deny, Permission.VIEW_CHANNEL));
}

/** A server's rail state for one user: anything unread, and the mentions waiting, over the channels they see. */
function railState(core: Core, userId: string, guildId: string): { unread: boolean; mentions: number } {
  const access = guildAccess(core, userId, guildId);
  if (!access) return { unread: false, mentions: 0 };
  let unread = false;
  let mentions = 0;
  for (const s of channelStates(core, userId, visibleChannels(core, access).filter((c) => c.type === 0).map((c) => c.id)).values()) {
    unread ||= s.unread;
    mentions += s.mentions;
  }
  return { unread, mentions };
}

/** One user's numbers for a channel and what contains it (its server on the rail, or Home for DMs). */
export function userReadPartial(core: Core, userId: string, channelId: string): string {
  const user = findUser(core, userId);
  const access = channelAccess(core, userId, channelId);
  if (!user || !access) return "";
  const ctx = localeCtx(localeOf(user), user);
  const state = channelStates(core, userId, [channelId]).get(channelId) ?? { unread: false, mentions: 0 };
  let out = partial(`#unread-${channelId}`, "outerHTML", flag(`unread-${channelId}`, state.unread));
  out += partial(`#mentions-${channelId}`, "outerHTML", (<MentionBadge ctx={ctx} channelId={channelId} count={state.mentions} />).toString());
  const guildId = access.channel.guildId;
  if (guildId) {
    const rail = railState(core, userId, guildId);
    out += partial(`#rail-unread-${guildId}`, "outerHTML", flag(`rail-unread-${guildId}`, rail.unread));
    out += partial(`#rail-mentions-${guildId}`, "outerHTML", `<span id="rail-mentions-${guildId}" class="rail-badge"${rail.mentions ? "" : " hidden"}>${rail.mentions || ""}</span>`);
  } else {
    const dms = channelStates(core, userId, listDms(core, userId).map((d) => d.channel.id));
    const total = [...dms.values()].reduce((n, s) => n + s.mentions, 0);
    out += partial("#rail-mentions-home", "outerHTML", (<HomeBadge count={total} />).toString());
  }
  return out;
}

// Runs for every message: prepared once per connection.
const prepared = new WeakMap<Core["db"], ReturnType<typeof build>>();
const build = (orm: Core["db"]["readOrm"]) => ({
  mentions: orm.select({ userId: messageMentions.userId }).from(messageMentions).where(eq(messageMentions.messageId, sql.placeholder("id"))).prepare(),
});
function queries(core: Core) {
  let q = prepared.get(core.db);
  if (!q) prepared.set(core.db, (q = build(core.db.readOrm)));
  return q;
}

function publishCreated(core: Core, message: Message, channel: Channel | null): void {
  // The author could send here, so no access check is needed: just the channel's row.
  const guildId = channel?.guildId ?? null;
  if (channel && guildId) {
    const sidebar = Topic.sidebar(message.channelId);
    if (core.hub.subscribers(sidebar) > 0) core.hub.publish(sidebar, partial(`#unread-${message.channelId}`, "outerHTML", flag(`unread-${message.channelId}`, true)));
    const rail = Topic.rail(guildId);
    if (core.hub.subscribers(rail) > 0 && visibleToWholeServer(core, channel)) core.hub.publish(rail, partial(`#rail-unread-${guildId}`, "outerHTML", flag(`rail-unread-${guildId}`, true)));
  }
  // Mentioned people with a tab open get their own numbers (the rest see them on their next page).
  // Only a message that can mention anyone is looked up: <@…>, @everyone/@here, a reply (ping),
  // or any message of a DM (everyone in it is notified).
  if (!(message.content.includes("@") || message.replyToId || guildId === null)) return;
  const mentioned = queries(core).mentions.all({ id: BigInt(message.id) });
  for (const { userId } of mentioned) {
    const topic = Topic.user(userId);
    if (core.hub.subscribers(topic) > 0) core.hub.publish(topic, userReadPartial(core, userId, message.channelId));
  }
}

onMessageEvent((core, event) => {
  if (event.type === "create") publishCreated(core, event.message, event.channel);
});

onRead((core, userId, channelId) => {
  const topic = Topic.user(userId);
  if (core.hub.subscribers(topic) > 0) core.hub.publish(topic, userReadPartial(core, userId, channelId));
});
