// Presence: choosing a status and a custom status, and telling everyone who can see the user
// when what they see changes (gateway PRESENCE_UPDATE per server, the member lists of browser
// tabs, DM lists and the user's own tabs). The hub calls announcePresence whenever a user's
// sockets change; a choice calls it too. Announcements are deduplicated per user, so a tab
// moving to another page (close + reopen within the hub's grace) announces nothing.
import { and, eq, ne } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { dmRecipients, members } from "../guilds/table.ts";
import { Topic } from "../hub/hub.ts";
import { fieldError } from "../lib/field-error.ts";
import { LOCALES, type Locale } from "../i18n/index.ts";
import { findUser } from "../users/service.ts";
import { LIMITS } from "../users/profile.ts";
import { memberPanePartial, presenceFeedPartial, selfStatusPartial } from "./live.tsx";
import { ownStatus, presenceJson, publicStatus, type ChosenStatus } from "./status.ts";

export const CUSTOM_STATUS_MAX = LIMITS.customStatus;
/** Member lists are re-rendered at most this often per server: a burst of arrivals costs one render. */
const MEMBER_PANE_DELAY_MS = 200;

interface Memory {
  /** What others were last told about each user (absent = offline, no custom status). */
  shown: Map<string, string>;
  /** What each user's own tabs were last told. */
  own: Map<string, string>;
  /** Servers whose member list is due for a re-render. */
  pending: Set<string>;
  timer: Timer | null;
}
const memories = new WeakMap<Core, Memory>();
function memory(core: Core): Memory {
  let m = memories.get(core);
  if (!m) memories.set(core, (m = { shown: new Map(), own: new Map(), pending: new Set(), timer: null }));
  return m;
}

/** Clean and check a custom status (one line, at most 128 characters). */
export function cleanCustomStatus(raw: string): string {
  const text = cleanText(raw);
  if ([...text].length > CUSTOM_STATUS_MAX) throw fieldError({ custom_status: "text.tooLong" }, { max: CUSTOM_STATUS_MAX });
  return text;
}

/** Choose a status and/or a custom status: stored on the user, then announced. */
export async function setPresence(core: Core, userId: string, input: { status?: ChosenStatus; customStatus?: string }): Promise<User> {
  const patch: Partial<User> = {};
  if (input.status !== undefined) patch.status = input.status;
  if (input.customStatus !== undefined) patch.customStatus = cleanCustomStatus(input.customStatus);
  const user = Object.keys(patch).length ? await core.queue.write(({ orm }) => orm.update(users).set(patch).where(eq(users.id, userId)).returning().get()) : findUser(core, userId);
  if (!user) throw fieldError({ status: "error.notFound" });
  announcePresence(core, userId, true);
  return user;
}

/** The servers a user is in (their presence goes to each). */
function guildsOf(core: Core, userId: string): string[] {
  return core.db.readOrm.select({ g: members.guildId }).from(members).where(eq(members.userId, userId)).all().map((r) => r.g);
}

/** People who share a DM or group DM with the user (their DM lists show the user's status). */
export function dmPartners(core: Core, userId: string): string[] {
  const mine = core.db.readOrm.select({ c: dmRecipients.channelId }).from(dmRecipients).where(eq(dmRecipients.userId, userId)).all();
  const out = new Set<string>();
  for (const { c } of mine) for (const r of core.db.readOrm.select({ u: dmRecipients.userId }).from(dmRecipients).where(and(eq(dmRecipients.channelId, c), ne(dmRecipients.userId, userId))).all()) out.add(r.u);
  return [...out];
}

/** Tell whoever sees the user what changed, if anything did. */
export function announcePresence(core: Core, userId: string, force = false): void {
  const user = findUser(core, userId);
  if (!user) return;
  const m = memory(core);
  const status = publicStatus(core, user);
  const custom = status === "offline" ? "" : user.customStatus;
  const shown = `${status}|${custom}`;
  if ((m.shown.get(userId) ?? "offline|") !== shown) {
    // Forget people who went offline: the map holds only those online now.
    if (status === "offline") m.shown.delete(userId);
    else m.shown.set(userId, shown);
    for (const guildId of guildsOf(core, userId)) {
      core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "PRESENCE_UPDATE", presenceJson(userId, status, custom, guildId));
      scheduleMemberPane(core, guildId);
    }
    const feed = presenceFeedPartial(userId, status);
    for (const partner of dmPartners(core, userId)) core.hub.publish(Topic.user(partner), feed);
  }
  // The user's own tabs: a page shows the status it was rendered with, so the first socket only
  // records it; a change afterwards (idle, a choice made in another tab) is published.
  const own = ownStatus(core, user);
  const ownKey = `${own}|${user.customStatus}`;
  const before = m.own.get(userId);
  if (own === "offline") m.own.delete(userId);
  else m.own.set(userId, ownKey);
  if ((before !== undefined || force) && before !== ownKey) core.hub.publish(Topic.user(userId), selfStatusPartial(user, own));
}

/** Re-render a server's member list soon, once per language that has a tab open on it. */
export function scheduleMemberPane(core: Core, guildId: string): void {
  const m = memory(core);
  m.pending.add(guildId);
  if (m.timer) return;
  m.timer = setTimeout(() => {
    m.timer = null;
    const due = [...m.pending];
    m.pending.clear();
    for (const id of due) {
      try {
        for (const locale of Object.keys(LOCALES) as Locale[]) {
          const topic = Topic.guildHtml(id, locale);
          if (core.hub.subscribers(topic) > 0) core.hub.publish(topic, memberPanePartial(core, id, locale));
        }
      } catch (err) {
        core.logger.warn("member list update failed", { err, guildId: id });
      }
    }
  }, MEMBER_PANE_DELAY_MS);
  m.timer.unref?.();
}
