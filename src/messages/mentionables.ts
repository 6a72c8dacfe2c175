// What the composer offers after "@" or "#": people, roles, @everyone/@here and channels the
// writer may mention here, best matches first. Searched in SQL so a large server stays cheap.
import { and, eq, or, sql } from "drizzle-orm";
import { users } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { requireChannel, visibleChannels } from "../guilds/access.ts";
import { dmRecipients, members, roles } from "../guilds/table.ts";
import { has, Permission } from "../permissions/permissions.ts";

export interface Mentionable {
  kind: "user" | "role" | "everyone" | "channel";
  id: string;
  /** What the reader sees after the sigil, and what the composer shows while typing. */
  label: string;
  /** A second line (username for people). */
  detail: string;
  /** The text that goes into the message. */
  syntax: string;
}

const LIMIT = 8;
const escapeLike = (q: string) => q.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export function findMentionables(core: Core, userId: string, channelId: string, kind: "user" | "channel", query: string): Mentionable[] {
  const access = requireChannel(core, userId, channelId, Permission.SEND_MESSAGES);
  const q = query.trim().toLowerCase().slice(0, 32);
  const pattern = `%${escapeLike(q)}%`;
  const starts = (s: string) => s.toLowerCase().startsWith(q);
  const rank = (a: Mentionable, b: Mentionable) => Number(starts(b.label)) - Number(starts(a.label)) || a.label.localeCompare(b.label);
  const guild = access.guild;
  if (kind === "channel") {
    if (!guild) return [];
    return visibleChannels(core, guild)
      .filter((c) => c.type !== 4 && c.type !== 2 && c.name.toLowerCase().includes(q))
      .map((c): Mentionable => ({ kind: "channel", id: c.id, label: c.name, detail: "", syntax: `<#${c.id}>` }))
      .sort(rank)
      .slice(0, LIMIT);
  }
  const orm = core.db.readOrm;
  const matchUser = or(sql`lower(${users.username}) LIKE ${pattern} ESCAPE '\\'`, sql`lower(coalesce(${users.displayName}, '')) LIKE ${pattern} ESCAPE '\\'`);
  const people = guild
    ? orm
        .select({ user: users, nick: members.nick })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(and(eq(members.guildId, guild.guild.id), or(matchUser, sql`lower(coalesce(${members.nick}, '')) LIKE ${pattern} ESCAPE '\\'`)))
        .limit(LIMIT * 4)
        .all()
    : orm
        .select({ user: users, nick: sql<string | null>`NULL` })
        .from(dmRecipients)
        .innerJoin(users, eq(users.id, dmRecipients.userId))
        .where(and(eq(dmRecipients.channelId, channelId), matchUser))
        .all();
  const out: Mentionable[] = people.map(({ user, nick }) => ({ kind: "user", id: user.id, label: nick ?? user.displayName ?? user.username, detail: user.username, syntax: `<@${user.id}>` }));
  if (guild) {
    const everyone = has(access.permissions, Permission.MENTION_EVERYONE);
    const guildRoles = orm.select().from(roles).where(and(eq(roles.guildId, guild.guild.id), sql`lower(${roles.name}) LIKE ${pattern} ESCAPE '\\'`)).all();
    for (const role of guildRoles) {
      if (role.id === guild.guild.id || !(role.mentionable || everyone)) continue;
      out.push({ kind: "role", id: role.id, label: role.name, detail: "", syntax: `<@&${role.id}>` });
    }
    if (everyone) for (const word of ["everyone", "here"]) if (word.includes(q)) out.push({ kind: "everyone", id: word, label: word, detail: "", syntax: `@${word}` });
  }
  return out.sort(rank).slice(0, LIMIT);
}
