// Writing a Bundle into the database as a new server owned by the admin who imports it. People
// are matched by username or created as placeholders (no password: nobody can sign in as them
// until an admin sends a reset link). Messages keep their original times: their new ids are made
// from their timestamps, so history sorts and paginates as it did. Everything is written in
// chunks through the commit queue (the server keeps serving); on cancel or failure the new server
// (and with it every channel, message, reaction and attachment row) and the placeholders are
// deleted again, so an interrupted import leaves nothing behind.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Core } from "../core.ts";
import type { WriteContext } from "../db/commit-queue.ts";
import { ids, snowflakeAt } from "../db/snowflake.ts";
import { usernameKey, usernameProblem, cleanText } from "../auth/names.ts";
import { blobPath, tmpPath } from "../files/store.ts";
import { sniffType } from "../files/sniff.ts";
import { DEFAULT_EVERYONE_PERMISSIONS } from "../permissions/permissions.ts";
import { JobCancelled } from "../jobs/runner.ts";
import { channelAccess } from "../guilds/access.ts";
import type { Bundle, FileSource } from "./bundle.ts";

const CHUNK = 400;

export interface ImportResult {
  guild_id: string;
  users_matched: number;
  users_created: number;
  channels: number;
  messages: number;
  reactions: number;
  attachments: number;
}

function placeholderName(raw: string, taken: (key: string) => boolean): string {
  let base = raw.normalize("NFKD").replace(/[^A-Za-z0-9_.]/g, "_").replace(/\.{2,}/g, ".").replace(/^[._]+|[._]+$/g, "").slice(0, 24);
  if (base.length < 2 || usernameProblem(base)) base = `imported_${base}`.slice(0, 24).replace(/[._]+$/, "");
  let name = base;
  for (let i = 2; taken(usernameKey(name)) || usernameProblem(name); i++) name = `${base.slice(0, 24)}_${i}`;
  return name;
}

export async function importBundle(core: Core, bundle: Bundle, files: FileSource, opts: { ownerId: string; signal: AbortSignal; progress: (f: number, d: string) => void }): Promise<ImportResult> {
  const { signal, progress } = opts;
  const guildId = ids.nextString();
  const createdUsers: string[] = [];
  let guildCreated = false;
  const undo = async () => {
    await core.queue.write(({ sqlite }) => {
      if (guildCreated) sqlite.query("DELETE FROM guilds WHERE id = ?").run(BigInt(guildId));
      for (const u of createdUsers) sqlite.query("DELETE FROM users WHERE id = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE author_id = users.id)").run(BigInt(u));
    });
  };
  const stop = () => {
    if (signal.aborted) throw new JobCancelled();
  };
  try {
    const now = new Date().toISOString();
    // People.
    progress(0.02, "people");
    const userMap = new Map<string, string>();
    let matched = 0;
    await core.queue.write(({ sqlite }) => {
      const find = sqlite.query<{ id: bigint }, [string]>("SELECT id FROM users WHERE username_key = ? AND deleted_at IS NULL");
      const taken = (key: string) => find.get(key) !== null;
      const insert = sqlite.query("INSERT INTO users (id, username, username_key, display_name, password_hash, is_admin, is_bot, created_at, password_changed_at) VALUES (?, ?, ?, ?, NULL, 0, 0, ?, ?)");
      for (const u of bundle.users) {
        const existing = usernameProblem(u.username) ? null : find.get(usernameKey(u.username));
        if (existing) {
          userMap.set(u.id, existing.id.toString());
          matched++;
          continue;
        }
        const name = placeholderName(u.username, taken);
        const id = ids.nextString();
        insert.run(BigInt(id), name, usernameKey(name), cleanText(u.display_name ?? u.username).slice(0, 64) || null, now, now);
        createdUsers.push(id);
        userMap.set(u.id, id);
      }
    });
    stop();

    // Message ids from their timestamps (unique, in order), so threads can take their starter's id.
    // Ids already in the database (the same export imported twice, or history from the same
    // moment) are skipped, so every id stays unique.
    const messageMap = new Map<string, bigint>();
    const used = new Set<bigint>();
    const taken = core.db.reader.query<{ n: number }, [bigint]>("SELECT 1 AS n FROM messages WHERE id = ?");
    for (const m of [...bundle.messages].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))) {
      let id = snowflakeAt(new Date(Date.parse(m.timestamp) || Date.now())) + 1n;
      while (used.has(id) || taken.get(id)) id++;
      used.add(id);
      messageMap.set(m.id, id);
    }

    // The server, its roles, members and channels.
    progress(0.05, "channels");
    const roleMap = new Map<string, string>();
    const channelMap = new Map<string, bigint>();
    const ordered = [...bundle.channels].sort((a, b) => (a.type === 4 ? 0 : a.thread ? 2 : 1) - (b.type === 4 ? 0 : b.thread ? 2 : 1));
    await core.queue.write(({ sqlite }) => {
      sqlite.query("INSERT INTO guilds (id, name, description, owner_id, created_at) VALUES (?, ?, ?, ?, ?)").run(BigInt(guildId), cleanText(bundle.guild.name).slice(0, 100) || "Imported", bundle.guild.description.slice(0, 1000), BigInt(opts.ownerId), now);
      guildCreated = true;
      const everyone = bundle.roles.find((r) => r.everyone);
      sqlite.query("INSERT INTO roles (id, guild_id, name, position, permissions, created_at) VALUES (?, ?, '@everyone', 0, ?, ?)").run(BigInt(guildId), BigInt(guildId), everyone ? BigInt(everyone.permissions) : DEFAULT_EVERYONE_PERMISSIONS, now);
      if (everyone) roleMap.set(everyone.id, guildId);
      const role = sqlite.query("INSERT INTO roles (id, guild_id, name, color, hoist, mentionable, position, permissions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (const r of bundle.roles.filter((r) => !r.everyone)) {
        const id = ids.nextString();
        role.run(BigInt(id), BigInt(guildId), r.name.slice(0, 100), r.color, r.hoist ? 1 : 0, r.mentionable ? 1 : 0, Math.max(1, r.position), BigInt(r.permissions), now);
        roleMap.set(r.id, id);
      }
      const member = sqlite.query("INSERT OR IGNORE INTO members (guild_id, user_id, nick, joined_at) VALUES (?, ?, ?, ?)");
      const memberRole = sqlite.query("INSERT OR IGNORE INTO member_roles (guild_id, user_id, role_id) VALUES (?, ?, ?)");
      member.run(BigInt(guildId), BigInt(opts.ownerId), null, now);
      const memberInfo = new Map(bundle.members.map((m) => [m.user_id, m]));
      for (const [sourceId, userId] of userMap) {
        const info = memberInfo.get(sourceId);
        member.run(BigInt(guildId), BigInt(userId), info?.nick ?? null, info?.joined_at || now);
        for (const r of info?.roles ?? []) if (roleMap.has(r) && roleMap.get(r) !== guildId) memberRole.run(BigInt(guildId), BigInt(userId), BigInt(roleMap.get(r)!));
      }
      const channel = sqlite.query("INSERT INTO channels (id, guild_id, type, name, topic, position, parent_id, rate_limit_per_user, nsfw, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      const thread = sqlite.query("INSERT INTO threads (channel_id, starter_message_id, archived, locked, auto_archive_duration, archive_timestamp, active_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
      const overwrite = sqlite.query("INSERT OR IGNORE INTO permission_overwrites (channel_id, target_id, type, allow, deny) VALUES (?, ?, ?, ?, ?)");
      for (const c of ordered) {
        const parent = c.parent_id ? channelMap.get(c.parent_id) ?? null : null;
        if (c.thread && parent === null) continue; // a thread whose channel is not in the export
        const starter = c.thread?.starter_message_id ? messageMap.get(c.thread.starter_message_id) : undefined;
        // Pokynano threads started from a message carry that message's id (as Discord's do).
        const id = starter !== undefined && !channelMapHas(channelMap, starter) ? starter : BigInt(ids.nextString());
        channel.run(id, BigInt(guildId), c.type, c.name.slice(0, 100) || "imported", c.topic.slice(0, 1024), c.position, parent, c.rate_limit_per_user, c.nsfw ? 1 : 0, now);
        channelMap.set(c.id, id);
        if (c.thread) thread.run(id, starter ?? null, c.thread.archived ? 1 : 0, c.thread.locked ? 1 : 0, c.thread.auto_archive_duration, now, Date.now());
        for (const o of c.overwrites) {
          const target = o.type === 0 ? roleMap.get(o.target_id) : userMap.get(o.target_id);
          if (target) overwrite.run(id, BigInt(target), o.type, BigInt(o.allow), BigInt(o.deny));
        }
      }
    });
    stop();

    // Messages, reactions and attachments, in chunks.
    const result: ImportResult = { guild_id: guildId, users_matched: matched, users_created: createdUsers.length, channels: channelMap.size, messages: 0, reactions: 0, attachments: 0 };
    const messages = bundle.messages.filter((m) => channelMap.has(m.channel_id) && userMap.has(m.author_id));
    const visible = new Map<string, boolean>();
    for (let start = 0; start < messages.length; start += CHUNK) {
      stop();
      const chunk = messages.slice(start, start + CHUNK);
      // Attachment bytes are read and hashed before the write (the write itself must be synchronous).
      const staged: { messageIndex: number; position: number; sha256: string; tmp: string | null; size: number; type: string; filename: string; description: string | null; spoiler: boolean }[] = [];
      for (const [i, m] of chunk.entries()) {
        for (const [position, a] of m.attachments.entries()) {
          const bytes = a.key ? await files(a.key) : null;
          if (!bytes) continue;
          const sha256 = new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
          const tmp = tmpPath(core);
          writeFileSync(tmp, bytes);
          staged.push({ messageIndex: i, position, sha256, tmp, size: bytes.length, type: await sniffType(bytes.subarray(0, 4100)), filename: a.filename.replace(/[\\/\0]/g, "_").slice(0, 255) || "file", description: a.description, spoiler: a.spoiler });
        }
      }
      await core.queue.write((tx) => writeChunk(core, tx, chunk, staged, { messageMap, channelMap, userMap, result, visible }));
      progress(0.1 + 0.88 * Math.min(1, (start + chunk.length) / Math.max(1, messages.length)), `messages ${start + chunk.length}/${messages.length}`);
    }
    return result;
  } catch (err) {
    await undo();
    throw err;
  }
}

const channelMapHas = (map: Map<string, bigint>, id: bigint) => [...map.values()].includes(id);

function writeChunk(
  core: Core,
  { sqlite }: WriteContext,
  chunk: Bundle["messages"],
  staged: { messageIndex: number; position: number; sha256: string; tmp: string | null; size: number; type: string; filename: string; description: string | null; spoiler: boolean }[],
  maps: { messageMap: Map<string, bigint>; channelMap: Map<string, bigint>; userMap: Map<string, string>; result: ImportResult; visible: Map<string, boolean> },
): void {
  const insert = sqlite.query("INSERT INTO messages (id, channel_id, author_id, content, reply_to_id, edited_at, pinned, pinned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const react = sqlite.query("INSERT OR IGNORE INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)");
  const attach = sqlite.query("INSERT INTO attachments (id, message_id, channel_id, uploader_id, position, filename, content_type, size, sha256, spoiler, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  // Imported mentions count like sent ones (messages/read-state.ts recordMentions): highlighted for
  // the person, listed in the message's mentions, and on their mention badge until they read it.
  const mention = sqlite.query("INSERT OR IGNORE INTO message_mentions (message_id, user_id) VALUES (?, ?)");
  const badge = sqlite.query("INSERT INTO read_states (user_id, channel_id, last_read_id, mention_count) VALUES (?, ?, 0, 1) ON CONFLICT (user_id, channel_id) DO UPDATE SET mention_count = mention_count + 1");
  const sees = (user: string, sourceChannel: string) => {
    const key = `${user}:${sourceChannel}`;
    let ok = maps.visible.get(key);
    if (ok === undefined) maps.visible.set(key, (ok = channelAccess(core, user, String(maps.channelMap.get(sourceChannel)!)) !== null));
    return ok;
  };
  const ids_: bigint[] = [];
  for (const m of chunk) {
    const id = maps.messageMap.get(m.id)!;
    ids_.push(id);
    // Attachments whose bytes were not in the export stay visible as their links.
    const missing = m.attachments.filter((a, i) => !staged.some((s) => s.messageIndex === chunk.indexOf(m) && s.position === i)).map((a) => a.url ?? a.filename);
    // Mentions name people by their id in the source: point them at the matched or created account.
    const mentioned = new Set<string>();
    const remapped = m.content.replace(/<@!?([^<>\s]{1,64})>/g, (whole, source: string) => {
      const target = maps.userMap.get(source);
      if (!target) return whole;
      mentioned.add(target);
      return `<@${target}>`;
    });
    const content = [remapped, ...missing].filter(Boolean).join("\n").slice(0, 4000);
    const reply = m.reply_to_id ? maps.messageMap.get(m.reply_to_id) ?? null : null;
    insert.run(id, maps.channelMap.get(m.channel_id)!, BigInt(maps.userMap.get(m.author_id)!), content, reply, m.edited_timestamp, m.pinned ? 1 : 0, m.pinned ? m.timestamp : null);
    maps.result.messages++;
    // Every mapped person is a member of the new server; the imported overwrites may still hide the channel.
    mentioned.delete(maps.userMap.get(m.author_id)!);
    for (const user of mentioned) {
      if (!sees(user, m.channel_id)) continue;
      mention.run(id, BigInt(user));
      badge.run(BigInt(user), maps.channelMap.get(m.channel_id)!);
    }
    for (const r of m.reactions) {
      for (const u of r.user_ids) {
        const user = maps.userMap.get(u);
        if (user) {
          react.run(id, r.emoji, BigInt(user), m.timestamp);
          maps.result.reactions++;
        }
      }
    }
  }
  for (const s of staged) {
    const target = blobPath(core, s.sha256);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(s.tmp!, target);
    const m = chunk[s.messageIndex]!;
    attach.run(BigInt(ids.nextString()), ids_[s.messageIndex]!, maps.channelMap.get(m.channel_id)!, BigInt(maps.userMap.get(m.author_id)!), s.position, s.filename, s.type, s.size, s.sha256, s.spoiler ? 1 : 0, s.description, m.timestamp);
    maps.result.attachments++;
  }
}

export const importedFilesDir = (core: Core) => join(core.config.dataDir, "imports");
