// What a notification says, as plain text, and the fragment an open tab receives. The fragment
// carries only data attributes (static/js/notifications.js turns it into a desktop notification
// and a sound) and is the same for every recipient, so a message to 1,000 people renders once.
import { eq, inArray } from "drizzle-orm";
import { users } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { channels, roles } from "../guilds/table.ts";
import { escapeHtml } from "../lib/markdown.ts";
import { partial } from "../presence/live.tsx";
import type { PushPayload } from "./push.ts";

const BODY_MAX = 180;

/** Message content with mentions as names and custom emoji as :name:, cut to a notification's length. */
export function plainText(core: Core, content: string): string {
  const ids = (re: RegExp) => [...new Set([...content.matchAll(re)].map((m) => m[1]!))].slice(0, 20);
  const userIds = ids(/<@!?(\d{1,20})>/g);
  const roleIds = ids(/<@&(\d{1,20})>/g);
  const channelIds = ids(/<#(\d{1,20})>/g);
  const names = new Map<string, string>();
  if (userIds.length) for (const u of core.db.readOrm.select().from(users).where(inArray(users.id, userIds)).all()) names.set(`@${u.id}`, u.displayName || u.username);
  if (roleIds.length) for (const r of core.db.readOrm.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.id, roleIds)).all()) names.set(`&${r.id}`, r.name);
  if (channelIds.length) for (const ch of core.db.readOrm.select({ id: channels.id, name: channels.name }).from(channels).where(inArray(channels.id, channelIds)).all()) names.set(`#${ch.id}`, ch.name ?? "");
  const text = content
    .replace(/<@!?(\d{1,20})>/g, (_, id: string) => `@${names.get(`@${id}`) ?? "unknown"}`)
    .replace(/<@&(\d{1,20})>/g, (_, id: string) => `@${names.get(`&${id}`) ?? "role"}`)
    .replace(/<#(\d{1,20})>/g, (_, id: string) => `#${names.get(`#${id}`) ?? "channel"}`)
    .replace(/<a?:(\w{1,32}):\d{1,20}>/g, ":$1:")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text;
}

/** Appended to the page body of every tab of a recipient; the script removes it once shown. */
export function notifyPartial(p: PushPayload, messageId: string, sound: boolean): string {
  const attrs = `data-title="${escapeHtml(p.title)}" data-body="${escapeHtml(p.body)}" data-url="${escapeHtml(p.url)}" data-tag="${escapeHtml(p.tag)}" data-message="${messageId}" data-sound="${sound ? "1" : "0"}"`;
  return partial("#notify-inbox", "beforeend", `<i class="notify-event" hidden ${attrs}></i>`);
}
