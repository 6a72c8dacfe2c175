// Where a reader may search: the channels of a server they can read (VIEW_CHANNEL and
// READ_MESSAGE_HISTORY, threads through their parent, as in guilds/access.ts), and their own DMs.
// The result becomes FTS5 scope terms (fts.ts), so a hidden channel's messages are never counted,
// not only never shown.
import { eq, inArray } from "drizzle-orm";
import type { Core } from "../core.ts";
import { guildAccess, type GuildAccess } from "../guilds/access.ts";
import { channels, dmRecipients, permissionOverwrites, type Channel } from "../guilds/table.ts";
import { channelPermissions, has, Permission, type Overwrite } from "../permissions/permissions.ts";
import { threads } from "../threads/table.ts";
import { isThreadType } from "../threads/rules.ts";
import type { Visibility } from "./fts.ts";

/** Kinds of channel that hold messages: text, DM, group DM, threads. */
const MESSAGE_CHANNELS = new Set([0, 1, 3, 11, 12]);
const READ = Permission.VIEW_CHANNEL | Permission.READ_MESSAGE_HISTORY;

export interface GuildScope {
  kind: "guild";
  access: GuildAccess;
  /** Readable message channels (threads included), by id. */
  readable: Map<string, Channel>;
  visibility: Visibility;
}

export interface DmScope {
  kind: "dms";
  readable: Map<string, Channel>;
  visibility: Visibility;
}

export type SearchScope = GuildScope | DmScope;

/** Null when the reader is not a member (the server does not exist for them). */
export function guildScope(core: Core, userId: string, guildId: string): GuildScope | null {
  const access = guildAccess(core, userId, guildId);
  if (!access) return null;
  const orm = core.db.readOrm;
  const all = orm.select().from(channels).where(eq(channels.guildId, access.guild.id)).all();
  const plain = all.filter((c) => !isThreadType(c.type));
  const overwrites = new Map<string, Overwrite[]>();
  if (plain.length) {
    for (const o of orm.select().from(permissionOverwrites).where(inArray(permissionOverwrites.channelId, plain.map((c) => c.id))).all()) {
      const list = overwrites.get(o.channelId) ?? [];
      list.push({ id: o.targetId, type: o.type as 0 | 1, allow: o.allow, deny: o.deny });
      overwrites.set(o.channelId, list);
    }
  }
  const readablePlain = new Set(
    plain
      .filter((c) => {
        const source = c.synced && c.parentId ? c.parentId : c.id;
        return has(channelPermissions(access.context, overwrites.get(source) ?? [], c.type), READ);
      })
      .map((c) => c.id),
  );
  // A thread is read through its parent (threadPermissions keeps the parent's view and history
  // bits) and only while its thread row exists, as channelAccess decides it.
  const threadIds = all.filter((c) => isThreadType(c.type)).map((c) => c.id);
  const withRow = new Set(threadIds.length ? orm.select({ id: threads.channelId }).from(threads).where(inArray(threads.channelId, threadIds)).all().map((r) => r.id) : []);
  const readable = new Map<string, Channel>();
  const hidden: string[] = [];
  for (const c of all) {
    if (!MESSAGE_CHANNELS.has(c.type)) continue;
    const ok = isThreadType(c.type) ? withRow.has(c.id) && c.parentId !== null && readablePlain.has(c.parentId) : readablePlain.has(c.id);
    if (ok) readable.set(c.id, c);
    else hidden.push(c.id);
  }
  // The shorter list makes the cheaper expression: the server minus what is hidden, or what is
  // readable one by one.
  const visibility: Visibility = hidden.length <= readable.size ? { guildId: access.guild.id, hidden } : { channels: [...readable.keys()] };
  return { kind: "guild", access, readable, visibility };
}

/** The reader's DMs and group DMs. */
export function dmScope(core: Core, userId: string): DmScope {
  const orm = core.db.readOrm;
  const ids = orm.select({ id: dmRecipients.channelId }).from(dmRecipients).where(eq(dmRecipients.userId, userId)).all().map((r) => r.id);
  const list = ids.length ? orm.select().from(channels).where(inArray(channels.id, ids)).all() : [];
  const readable = new Map(list.filter((c) => c.guildId === null).map((c) => [c.id, c]));
  return { kind: "dms", readable, visibility: { channels: [...readable.keys()] } };
}
