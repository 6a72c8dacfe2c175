// Servers as the instance admin sees them: every one, its owner, size, and deletion (for abuse or
// abandoned spaces; the owner's own deletion lives in guilds/).
import type { Core } from "../core.ts";
import { recordAdminAction } from "./audit.ts";

export interface ServerRow {
  id: string;
  name: string;
  owner_id: string;
  owner: string;
  members: number;
  channels: number;
  messages: number;
  attachment_bytes: number;
  created_at: string;
}

export function listServers(core: Core, query = ""): ServerRow[] {
  const pattern = `%${query.trim().slice(0, 64).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = core.db.reader
    .query(
      `SELECT g.id, g.name, g.owner_id, u.username AS owner, g.created_at,
        (SELECT count(*) FROM members m WHERE m.guild_id = g.id) AS members,
        (SELECT count(*) FROM channels c WHERE c.guild_id = g.id) AS channels,
        (SELECT count(*) FROM messages m JOIN channels c ON c.id = m.channel_id WHERE c.guild_id = g.id) AS messages,
        (SELECT coalesce(sum(a.size), 0) FROM attachments a JOIN channels c ON c.id = a.channel_id WHERE c.guild_id = g.id) AS attachment_bytes
       FROM guilds g JOIN users u ON u.id = g.owner_id WHERE g.name LIKE ? ESCAPE '\\' ORDER BY g.id LIMIT 200`,
    )
    .all(pattern) as Record<string, bigint | string>[];
  return rows.map((r) => ({ id: String(r.id), name: String(r.name), owner_id: String(r.owner_id), owner: String(r.owner), members: Number(r.members), channels: Number(r.channels), messages: Number(r.messages), attachment_bytes: Number(r.attachment_bytes), created_at: String(r.created_at) }));
}

/** Returns false when there is no such server. */
export async function deleteServerAsAdmin(core: Core, adminId: string, guildId: string): Promise<boolean> {
  const row = core.db.reader.query("SELECT name, owner_id FROM guilds WHERE id = ?").get(BigInt(guildId)) as { name: string; owner_id: bigint } | null;
  if (!row) return false;
  await core.queue.write(({ sqlite }) => sqlite.query("DELETE FROM guilds WHERE id = ?").run(BigInt(guildId)));
  core.hub.recheckAccess();
  await recordAdminAction(core, adminId, "server.delete", guildId, { name: row.name, owner_id: String(row.owner_id) });
  return true;
}
