// Who hears about a new message, and how. After a message commits (off the send's path, on a
// later tick) we decide per person from their settings: the mentioned people (the send already
// recorded them in message_mentions) plus whoever chose "every message" for the server or
// channel, and every other person in a DM. Do-not-disturb silences everything.
// Delivery: a tab that is open gets one shared fragment on the user's socket (the same bytes for
// every recipient: no per-person rendering); people with no active tab get a Web Push.
import { eq, inArray, and, sql } from "drizzle-orm";
import { users } from "../auth/table.ts";
import { threadPageUrl } from "../../views/threads/summary.tsx";
import type { Core } from "../core.ts";
import { idList } from "../db/columns.ts";
import { channelAccess } from "../guilds/access.ts";
import { findGuild } from "../guilds/service.ts";
import { channels, memberRoles } from "../guilds/table.ts";
import { Topic } from "../hub/hub.ts";
import { onMessageEvent } from "../messages/service.ts";
import { messageMentions, type Message } from "../messages/table.ts";
import { notifyPartial, plainText } from "./fragment.ts";
import { sendPush, subscriptionsOf, type PushPayload } from "./push.ts";
import { allMessageSubscribers, effective, NO_SETTINGS as NONE, prefsFor, settingsFor } from "./settings.ts";

export type Reason = "dm" | "mention" | "all";

const THREAD_TYPES = [10, 11, 12];
// Runs after every message: prepared once per connection (unprepared, these were a quarter of the
// send path's CPU).
const prepared = new WeakMap<Core["db"], ReturnType<typeof build>>();
const build = (orm: Core["db"]["readOrm"]) => ({
  channel: orm.select({ guildId: channels.guildId, type: channels.type, parentId: channels.parentId }).from(channels).where(eq(channels.id, sql.placeholder("id"))).prepare(),
  mentioned: orm.select({ userId: messageMentions.userId }).from(messageMentions).where(eq(messageMentions.messageId, sql.placeholder("id"))).prepare(),
});
function queries(core: Core) {
  let q = prepared.get(core.db);
  if (!q) prepared.set(core.db, (q = build(core.db.readOrm)));
  return q;
}
type ChannelFacts = { guildId: string | null; type: number; parentId: string | null };
const threadParent = (channel: ChannelFacts | undefined): string | null => (channel && THREAD_TYPES.includes(channel.type) ? channel.parentId : null);

/** Decide who is notified of a message and why (exported for tests and the docs). `channel`: its row when the caller has it. */
export function decide(core: Core, message: Message, guildId: string | null, channel = queries(core).channel.get({ id: BigInt(message.channelId) })): Map<string, Reason> {
  const out = new Map<string, Reason>();
  // Only a message that can mention anyone has mention rows: <@…>, @everyone/@here, a reply (ping), or any DM message.
  const canMention = guildId === null || message.content.includes("@") || message.replyToId !== null;
  const mentioned = canMention ? queries(core).mentioned.all({ id: BigInt(message.id) }).map((r) => r.userId) : [];
  // A thread follows its parent channel's choices.
  const scopeChannel = guildId ? (threadParent(channel) ?? message.channelId) : message.channelId;
  const scopes = guildId ? [guildId, scopeChannel] : [message.channelId];
  const everyMessage = guildId ? allMessageSubscribers(core, scopes).filter((id) => id !== message.authorId && !mentioned.includes(id) && channelAccess(core, id, message.channelId)) : [];
  const candidates = [...mentioned, ...everyMessage];
  if (candidates.length === 0) return out;
  // Do-not-disturb silences everything.
  const dnd = new Set(core.db.reader.query<{ id: bigint }, [string]>("SELECT id FROM users WHERE status = 'dnd' AND id IN (SELECT value FROM json_each(?))").all(idList(candidates)).map((r) => r.id.toString()));
  const settings = settingsFor(core, scopes, new Set(candidates));
  if (guildId === null) {
    const prefs = prefsFor(core, candidates);
    for (const id of mentioned) {
      const own = effective(NONE, settings.get(id)?.get(message.channelId) ?? NONE);
      if (!dnd.has(id) && prefs.get(id)!.dmNotify && !own.muted && own.level !== "nothing") out.set(id, "dm");
    }
    return out;
  }
  const directly = (id: string) => message.content.includes(`<@${id}>`) || message.content.includes(`<@!${id}>`);
  const roleIds = message.content.includes("<@&") ? [...new Set([...message.content.matchAll(/<@&(\d{1,20})>/g)].map((m) => m[1]!))] : [];
  const byRole = new Set(
    roleIds.length ? core.db.readOrm.select({ id: memberRoles.userId }).from(memberRoles).where(and(eq(memberRoles.guildId, guildId), inArray(memberRoles.roleId, roleIds), inArray(memberRoles.userId, mentioned))).all().map((r) => r.id) : [],
  );
  for (const id of candidates) {
    if (dnd.has(id)) continue;
    const s = effective(settings.get(id)?.get(guildId) ?? NONE, settings.get(id)?.get(scopeChannel) ?? NONE);
    if (s.muted || s.level === "nothing") continue;
    if (s.level === "all") {
      out.set(id, mentioned.includes(id) ? "mention" : "all");
      continue;
    }
    if (!mentioned.includes(id)) continue;
    // Mentioned only through @everyone/@here or a role: the suppress choices apply. A reply's
    // ping is recorded as a mention without either, so it counts as direct.
    const viaEveryone = message.mentionsEveryone;
    const viaRole = byRole.has(id);
    const direct = directly(id) || (!viaEveryone && !viaRole);
    if (direct || (viaRole && !s.suppressRoles) || (viaEveryone && !s.suppressEveryone)) out.set(id, "mention");
  }
  return out;
}

/** Title, body and link of a notification: plain text (a browser shows it as text, never HTML). */
function describe(core: Core, message: Message, guildId: string | null, facts: ChannelFacts): PushPayload {
  const author = core.db.readOrm.select({ username: users.username, displayName: users.displayName }).from(users).where(eq(users.id, message.authorId)).get();
  const name = author?.displayName || author?.username || "?";
  const channel = core.db.readOrm.select({ name: channels.name }).from(channels).where(eq(channels.id, message.channelId)).get();
  const title = guildId ? `${name} (#${channel?.name ?? ""}, ${findGuild(core, guildId).name})` : name;
  const parent = guildId ? threadParent(facts) : null;
  const url = !guildId ? `/channels/@me/${message.channelId}` : parent ? threadPageUrl({ guildId, parentId: parent, id: message.channelId }) : `/channels/${guildId}/${message.channelId}`;
  return { title, body: plainText(core, message.content), url, tag: `${message.channelId}` };
}

async function deliver(core: Core, message: Message, channel: ChannelFacts): Promise<void> {
  const who = decide(core, message, channel.guildId, channel);
  if (who.size === 0) return;
  const payload = describe(core, message, channel.guildId, channel);
  const prefs = prefsFor(core, [...who.keys()]);
  const fragments = new Map<boolean, string>();
  const pushTo: string[] = [];
  for (const [id, reason] of who) {
    const topic = Topic.user(id);
    const open = core.hub.subscribers(topic) > 0;
    if (open) {
      // Two variants at most (with and without sound), whatever the number of recipients.
      const sound = prefs.get(id)!.sound;
      let html = fragments.get(sound);
      if (html === undefined) fragments.set(sound, (html = notifyPartial(payload, message.id, sound)));
      core.hub.publish(topic, html);
    }
    // A closed app (no tab, or every tab idle) hears about mentions and DMs by push.
    if ((!open || core.hub.isIdle(id)) && reason !== "all") pushTo.push(id);
  }
  const subs = subscriptionsOf(core, pushTo);
  if (subs.length) await sendPush(core, subs, payload);
}

onMessageEvent((core, event) => {
  const channel = event.channel;
  if (event.type !== "create" || !channel) return;
  // Off the send's path: the sender's response does not wait for anyone's notifications.
  setTimeout(() => deliver(core, event.message, channel).catch((err) => core.logger.error("notification delivery failed", { err })), 0);
});
