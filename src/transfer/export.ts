// Reading a server (or one channel of it, with its threads) out of the database as a Bundle,
// plus the list of stored files its attachments need. Read through the read connection inside
// one read transaction, so the export is one consistent moment even while people keep talking.
import type { Core } from "../core.ts";
import { snowflakeTime } from "../db/snowflake.ts";
import { blobPath } from "../files/store.ts";
import { BUNDLE_FORMAT, type Bundle } from "./bundle.ts";

type Row = Record<string, bigint | number | string | null>;
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

export interface ExportData {
  bundle: Bundle;
  /** key in the bundle -> path of the stored copy */
  files: Map<string, string>;
}

export function readServer(core: Core, guildId: string, channelId: string | null): ExportData {
  const db = core.db.reader;
  const q = <T = Row>(sql: string, ...params: (bigint | string | number)[]) => db.query(sql).all(...params) as T[];
  const g = BigInt(guildId);
  return db.transaction(() => {
    const guild = q("SELECT id, name, description FROM guilds WHERE id = ?", g)[0];
    if (!guild) throw new Error("unknown server");
    let channels = q("SELECT c.*, t.starter_message_id, t.archived, t.locked, t.auto_archive_duration FROM channels c LEFT JOIN threads t ON t.channel_id = c.id WHERE c.guild_id = ? ORDER BY c.type = 4 DESC, c.position, c.id", g);
    if (channelId) {
      const keep = new Set([channelId]);
      const picked = channels.find((c) => s(c.id) === channelId);
      if (!picked) throw new Error("unknown channel");
      if (picked.parent_id !== null) keep.add(s(picked.parent_id)!);
      for (const c of channels) if ((c.type === 11n || c.type === 12n || c.type === 11 || c.type === 12) && s(c.parent_id) === channelId) keep.add(s(c.id)!);
      channels = channels.filter((c) => keep.has(s(c.id)!));
    }
    const channelIds = new Set(channels.map((c) => s(c.id)!));
    const idList = `[${[...channelIds].join(",")}]`;
    const messages = q("SELECT * FROM messages WHERE channel_id IN (SELECT value FROM json_each(?)) ORDER BY id", idList);
    const msgList = `[${messages.map((m) => s(m.id)).join(",")}]`;
    const reactions = q("SELECT message_id, emoji, user_id FROM reactions WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY created_at", msgList);
    const attachments = q("SELECT * FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, position", msgList);
    const roles = q("SELECT * FROM roles WHERE guild_id = ? ORDER BY position", g);
    const members = q("SELECT m.user_id, m.nick, m.joined_at, (SELECT json_group_array(CAST(role_id AS TEXT)) FROM member_roles r WHERE r.guild_id = m.guild_id AND r.user_id = m.user_id) AS roles FROM members m WHERE m.guild_id = ?", g);
    const overwrites = q("SELECT * FROM permission_overwrites WHERE channel_id IN (SELECT value FROM json_each(?))", idList);
    const userIds = new Set<string>([...members.map((m) => s(m.user_id)!), ...messages.map((m) => s(m.author_id)!), ...reactions.map((r) => s(r.user_id)!)]);
    const users = q("SELECT id, username, display_name, is_bot FROM users WHERE id IN (SELECT value FROM json_each(?))", `[${[...userIds].join(",")}]`);

    const files = new Map<string, string>();
    const byMessage = new Map<string, Bundle["messages"][number]["attachments"]>();
    for (const a of attachments) {
      const key = `attachments/${a.sha256}`;
      files.set(key, blobPath(core, String(a.sha256)));
      const list = byMessage.get(s(a.message_id)!) ?? [];
      list.push({ filename: String(a.filename), content_type: String(a.content_type), size: Number(a.size), key, url: null, description: s(a.description), spoiler: Number(a.spoiler) === 1 });
      byMessage.set(s(a.message_id)!, list);
    }
    const reactionsBy = new Map<string, Map<string, string[]>>();
    for (const r of reactions) {
      const per = reactionsBy.get(s(r.message_id)!) ?? new Map<string, string[]>();
      per.set(String(r.emoji), [...(per.get(String(r.emoji)) ?? []), s(r.user_id)!]);
      reactionsBy.set(s(r.message_id)!, per);
    }
    const bundle: Bundle = {
      format: BUNDLE_FORMAT,
      format_version: 1,
      source: "pokynano",
      guild: { id: guildId, name: String(guild.name), description: String(guild.description) },
      users: users.map((u) => ({ id: s(u.id)!, username: String(u.username), display_name: s(u.display_name), bot: Number(u.is_bot) === 1 })),
      roles: roles.map((r) => ({ id: s(r.id)!, name: String(r.name), color: Number(r.color), hoist: Number(r.hoist) === 1, mentionable: Number(r.mentionable) === 1, position: Number(r.position), permissions: String(r.permissions), everyone: s(r.id) === guildId })),
      members: members.map((m) => ({ user_id: s(m.user_id)!, nick: s(m.nick), joined_at: String(m.joined_at), roles: JSON.parse(String(m.roles)) as string[] })),
      channels: channels.map((c) => ({
        id: s(c.id)!,
        type: Number(c.type) as 0 | 2 | 4 | 11 | 12,
        name: String(c.name),
        topic: String(c.topic),
        position: Number(c.position),
        parent_id: s(c.parent_id) && channelIds.has(s(c.parent_id)!) ? s(c.parent_id) : null,
        rate_limit_per_user: Number(c.rate_limit_per_user),
        nsfw: Number(c.nsfw) === 1,
        overwrites: overwrites.filter((o) => s(o.channel_id) === s(c.id)).map((o) => ({ target_id: s(o.target_id)!, type: Number(o.type) as 0 | 1, allow: String(o.allow), deny: String(o.deny) })),
        thread: c.archived === null ? null : { starter_message_id: s(c.starter_message_id), archived: Number(c.archived) === 1, locked: Number(c.locked) === 1, auto_archive_duration: Number(c.auto_archive_duration) as 60 | 1440 | 4320 | 10080 },
      })),
      messages: messages.map((m) => ({
        id: s(m.id)!,
        channel_id: s(m.channel_id)!,
        author_id: s(m.author_id)!,
        content: String(m.content),
        timestamp: snowflakeTime(String(m.id)).toISOString(),
        edited_timestamp: s(m.edited_at),
        pinned: Number(m.pinned) === 1,
        reply_to_id: s(m.reply_to_id),
        reactions: [...(reactionsBy.get(s(m.id)!) ?? new Map()).entries()].map(([emoji, user_ids]) => ({ emoji, user_ids })),
        attachments: byMessage.get(s(m.id)!) ?? [],
      })),
    };
    return { bundle, files };
  })();
}
