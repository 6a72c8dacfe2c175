// What the search box suggests after from:/mentions: (people) and in: (channels), and the list
// the quick switcher searches in the browser (servers, channels, DMs, members). Only things the
// reader can already see: members of their servers, channels they can read, their own DMs.
import { and, eq, inArray, ne } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { visibleChannels, guildAccess } from "../guilds/access.ts";
import { myGuilds } from "../guilds/service.ts";
import { members } from "../guilds/table.ts";
import { dmTitle, listDms } from "../dms/service.ts";
import { fold } from "./query.ts";
import type { SearchScope } from "./scope.ts";

export interface Suggestion {
  value: string;
  label: string;
}

const MAX_SUGGESTIONS = 8;
const usable = (u: User) => !u.deletedAt && !u.deactivatedAt;

/** People in the searched parts whose username or display name starts with (or contains) `prefix`. */
export function suggestPeople(core: Core, userId: string, scopes: SearchScope[], prefix: string): Suggestion[] {
  const guildIds = scopes.flatMap((s) => (s.kind === "guild" ? [s.access.guild.id] : []));
  const people = new Map<string, User>();
  if (guildIds.length) {
    const rows = core.db.readOrm.select({ user: users }).from(members).innerJoin(users, eq(users.id, members.userId)).where(inArray(members.guildId, guildIds)).all();
    for (const r of rows) people.set(r.user.id, r.user);
  }
  if (scopes.some((s) => s.kind === "dms")) for (const dm of listDms(core, userId)) for (const u of dm.recipients) people.set(u.id, u);
  const me = core.db.readOrm.select().from(users).where(eq(users.id, userId)).get();
  if (me) people.set(me.id, me);
  const p = fold(prefix.replace(/^@/, ""));
  const score = (u: User) => {
    const names = [u.username, u.displayName ?? ""].map(fold);
    return names.some((n) => n.startsWith(p)) ? 0 : names.some((n) => n.includes(p)) ? 1 : 2;
  };
  return [...people.values()]
    .filter((u) => usable(u) && score(u) < 2)
    .sort((a, b) => score(a) - score(b) || a.username.localeCompare(b.username))
    .slice(0, MAX_SUGGESTIONS)
    .map((u) => ({ value: u.username, label: u.displayName ? `${u.displayName} (${u.username})` : u.username }));
}

/** Readable channels (threads too) of the searched parts whose name starts with or contains `prefix`. */
export function suggestChannels(scopes: SearchScope[], prefix: string): Suggestion[] {
  const p = fold(prefix.replace(/^#/, ""));
  const list = scopes.flatMap((s) => (s.kind === "guild" ? [...s.readable.values()].filter((c) => c.name && !/\s/.test(c.name)).map((c) => ({ c, guild: s.access.guild.name })) : []));
  const score = (name: string) => (fold(name).startsWith(p) ? 0 : fold(name).includes(p) ? 1 : 2);
  const many = scopes.filter((s) => s.kind === "guild").length > 1;
  return list
    .filter(({ c }) => score(c.name) < 2)
    .sort((a, b) => score(a.c.name) - score(b.c.name) || a.c.name.localeCompare(b.c.name))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ c, guild }) => ({ value: c.name, label: many ? `#${c.name} (${guild})` : `#${c.name}` }));
}

export interface SwitcherItem {
  kind: "server" | "channel" | "dm" | "member";
  id: string;
  name: string;
  /** A second line: the server of a channel, the username of a member. */
  detail: string;
  /** Shown before a channel's name: "#" for text, a speaker for voice. */
  icon?: string;
  url: string;
}

/** Everything the quick switcher can jump to; the browser indexes it with minisearch. */
export function switcherItems(core: Core, userId: string): SwitcherItem[] {
  const items: SwitcherItem[] = [];
  const guilds = myGuilds(core, userId);
  for (const guild of guilds) {
    items.push({ kind: "server", id: guild.id, name: guild.name, detail: "", url: `/channels/${guild.id}` });
    const access = guildAccess(core, userId, guild.id);
    if (!access) continue;
    for (const c of visibleChannels(core, access)) {
      if (c.type === 4) continue;
      items.push({ kind: "channel", id: c.id, name: c.name, detail: guild.name, url: `/channels/${guild.id}/${c.id}`, icon: c.type === 2 ? "🔊" : "#" });
    }
  }
  const dms = listDms(core, userId);
  const dmWith = new Map<string, string>();
  for (const dm of dms) {
    items.push({ kind: "dm", id: dm.channel.id, name: dmTitle(dm), detail: dm.recipients.map((u) => u.username).join(", "), url: `/channels/@me/${dm.channel.id}` });
    if (dm.channel.type === 1 && dm.recipients[0]) dmWith.set(dm.recipients[0].id, dm.channel.id);
  }
  if (guilds.length) {
    const people = core.db.readOrm
      .selectDistinct({ user: users })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(inArray(members.guildId, guilds.map((g) => g.id)), ne(members.userId, userId)))
      .all()
      .map((r) => r.user)
      .filter(usable);
    for (const u of people) {
      // A member opens the DM with them when there is one, else the new-DM picker on their name.
      const dm = dmWith.get(u.id);
      items.push({ kind: "member", id: u.id, name: u.displayName ?? u.username, detail: u.username, url: dm ? `/channels/@me/${dm}` : `/dm/new?q=${encodeURIComponent(u.username)}` });
    }
  }
  return items;
}
