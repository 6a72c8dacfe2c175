// Fill a data dir with N messages for search benchmarks and demos:
//   bun scripts/generate-messages.ts --data-dir DIR --messages 1000000 [--guilds 4] [--channels 25]
//     [--users 400] [--dms 120] [--seed 1]
// The accounts "bench" (password printed at the end) and the servers' owner are made through the
// real services (argon2 hashes, migrations); everything else goes in with prepared statements in
// transactions of 50,000 rows: other users cloned from the bench user's row, members, channels (one
// per server hidden from @everyone), DMs, and messages in French and English with mentions, links,
// pins and image/file attachment rows (no bytes on disk: search needs only the rows). The search
// index fills as in production: the triggers note each message, and each transaction indexes them
// before it commits (src/search/indexing.ts).
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { createMemoryLogger } from "../src/lib/log.ts";
import { startServer } from "../src/server.ts";
import { createUser } from "../src/users/service.ts";
import { createGuild } from "../src/guilds/service.ts";
import { Permission } from "../src/permissions/permissions.ts";
import { EN_WORDS, FR_WORDS } from "./words.ts";
import { indexPendingMessages } from "../src/search/indexing.ts";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    messages: { type: "string", default: "100000" },
    guilds: { type: "string", default: "4" },
    channels: { type: "string", default: "25" },
    users: { type: "string", default: "400" },
    dms: { type: "string", default: "120" },
    seed: { type: "string", default: "1" },
  },
});
const dataDir = values["data-dir"];
if (!dataDir) throw new Error("--data-dir DIR is required");
if (existsSync(`${dataDir}/pokynano.db`)) throw new Error(`${dataDir} already holds a database: give a new or empty directory`);
const N = Number(values.messages);
const GUILDS = Number(values.guilds);
const CHANNELS = Number(values.channels);
const USERS = Number(values.users);
const DMS = Number(values.dms);
export const BENCH_PASSWORD = "bench-search-Tq8vLx2p";

// A small deterministic PRNG: the same seed gives the same data.
let state = Number(values.seed) >>> 0 || 1;
const rand = () => ((state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
/** Zipf-distributed word picker (s = 1.05): a few very common words, a long tail. */
function zipf(words: readonly string[]) {
  const cum: number[] = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) cum.push((total += 1 / r ** 1.05));
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}
const en = zipf(EN_WORDS);
const fr = zipf(FR_WORDS);
function sentence(): string {
  const word = rand() < 0.5 ? fr : en;
  const n = 3 + Math.floor(rand() * rand() * 30);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(word());
  let text = words.join(" ");
  text = text[0]!.toUpperCase() + text.slice(1);
  return text + pick([".", ".", "!", " ?", "", "…"]);
}

// 1. Schema and the real accounts, through the server's own code.
const started = performance.now();
const server = await startServer({ port: 0, host: "127.0.0.1", dataDir, publicUrl: "http://127.0.0.1", logLevel: "error", logFormat: "json", trustProxy: false }, createMemoryLogger());
const core = server.core;
const bench = await createUser(core, { username: "bench", password: BENCH_PASSWORD, isAdmin: true });
const owner = await createUser(core, { username: "owner", password: BENCH_PASSWORD });
const guildIds: string[] = [];
for (let g = 0; g < GUILDS; g++) guildIds.push((await createGuild(core, owner.id, { name: `Serveur ${g + 1}`, layout: { textCategory: "Salons textuels", voiceCategory: "Salons vocaux", general: "général", generalVoice: "Général" } })).id);
await server.stop();

// 2. Bulk rows.
const db = new Database(`${dataDir}/pokynano.db`, { safeIntegers: true, strict: true });
db.run("PRAGMA journal_mode = WAL");
db.run("PRAGMA synchronous = NORMAL");
db.run("PRAGMA foreign_keys = ON");
const EPOCH = 1_420_070_400_000n;
let seq = 0n;
const startMs = BigInt(Date.now() - 2 * 365 * 86_400_000);
const idAt = (ms: bigint) => ((ms - EPOCH) << 22n) | (seq++ & 0x3fffffn);
const now = new Date().toISOString();

const userIds: bigint[] = [BigInt(bench.id), BigInt(owner.id)];
db.transaction(() => {
  const clone = db.prepare(
    "INSERT INTO users (id, username, username_key, display_name, password_hash, is_admin, is_bot, about, pronouns, status, custom_status, theme, locale, time_format, created_at, password_changed_at) SELECT $id, $name, $name, $display, password_hash, 0, 0, '', '', 'online', '', 'system', 'fr', '24h', created_at, password_changed_at FROM users WHERE id = $template",
  );
  for (let u = 0; u < USERS; u++) {
    const id = idAt(startMs - 1000n + BigInt(u));
    clone.run({ id, name: `membre${u}`, display: u % 3 === 0 ? `Membre ${u}` : null, template: BigInt(bench.id) });
    userIds.push(id);
  }
})();

interface Chan {
  id: bigint;
  members: bigint[];
}
const chans: Chan[] = [];
const dms: Chan[] = [];
db.transaction(() => {
  const member = db.prepare("INSERT OR IGNORE INTO members (guild_id, user_id, joined_at) VALUES (?, ?, ?)");
  const channel = db.prepare("INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  const overwrite = db.prepare("INSERT INTO permission_overwrites (channel_id, target_id, type, allow, deny) VALUES (?, ?, 0, 0, ?)");
  const recipient = db.prepare("INSERT INTO dm_recipients (channel_id, user_id) VALUES (?, ?)");
  for (const g of guildIds) {
    const gid = BigInt(g);
    // Everyone is in every server: the bench user reads all but the hidden channel of each.
    const people = userIds;
    for (const u of people) member.run(gid, u, now);
    for (let c = 0; c < CHANNELS; c++) {
      const id = idAt(startMs + BigInt(c));
      channel.run(id, gid, 0, c === 0 ? "général" : c === 1 ? "coulisses" : `salon-${c}`, c + 1, now);
      if (c === 1) overwrite.run(id, gid, Permission.VIEW_CHANNEL);
      chans.push({ id, members: people });
    }
  }
  for (let d = 0; d < DMS; d++) {
    const id = idAt(startMs + 100n + BigInt(d));
    const a = d % 2 === 0 ? userIds[0]! : pick(userIds);
    let b = pick(userIds);
    while (b === a) b = pick(userIds);
    channel.run(id, null, 1, "", 0, now);
    recipient.run(id, a);
    recipient.run(id, b);
    dms.push({ id, members: [a, b] });
  }
})();

const insert = db.prepare("INSERT INTO messages (id, channel_id, author_id, content, pinned) VALUES (?, ?, ?, ?, ?)");
const mention = db.prepare("INSERT INTO message_mentions (message_id, user_id) VALUES (?, ?)");
const attach = db.prepare(
  "INSERT INTO attachments (id, message_id, channel_id, uploader_id, filename, content_type, size, sha256, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
);
const spanMs = BigInt(Date.now()) - startMs - 3_600_000n;
const BATCH = 50_000;
const counts = { mentions: 0, links: 0, pins: 0, images: 0, files: 0 };
for (let done = 0; done < N; ) {
  const until = Math.min(N, done + BATCH);
  db.transaction(() => {
    for (let i = done; i < until; i++) {
      const chan = rand() < 0.85 ? chans[Math.floor(rand() ** 1.6 * chans.length)]! : pick(dms);
      const author = pick(chan.members);
      const ms = startMs + 3_600_000n + (spanMs * BigInt(i)) / BigInt(N);
      const id = idAt(ms);
      let content = sentence();
      if (rand() < 0.25) content += ` ${sentence()}`;
      let mentioned: bigint | null = null;
      if (rand() < 0.04) {
        mentioned = pick(chan.members);
        content = `<@${mentioned}> ${content}`;
        counts.mentions++;
      }
      if (rand() < 0.04) {
        content += ` https://${pick(["exemple.fr", "docs.example.com", "github.com/pokynano", "youtu.be"])}/${Math.floor(rand() * 1e6)}`;
        counts.links++;
      }
      const pinned = rand() < 0.001 ? 1 : 0;
      counts.pins += pinned;
      insert.run(id, chan.id, author, content, pinned);
      if (mentioned !== null) mention.run(id, mentioned);
      const r = rand();
      if (r < 0.03) {
        const image = r < 0.02;
        attach.run(id, id, chan.id, author, image ? "photo.jpg" : "notes.pdf", image ? "image/jpeg" : "application/pdf", 120_000, "0".repeat(64), image ? 1600 : null, image ? 1200 : null, now);
        if (image) counts.images++;
        else counts.files++;
      }
    }
    indexPendingMessages(db);
  })();
  done = until;
  process.stderr.write(`\r${done.toLocaleString()} / ${N.toLocaleString()} messages`);
}
db.run("INSERT INTO message_search(message_search) VALUES ('optimize')");
db.run("PRAGMA wal_checkpoint(TRUNCATE)");
db.close();
process.stderr.write("\n");
console.log(JSON.stringify({ dataDir, messages: N, guilds: guildIds, channels: chans.length, dms: dms.length, users: userIds.length, ...counts, benchUser: "bench", benchPassword: BENCH_PASSWORD, seconds: Math.round((performance.now() - started) / 100) / 10 }));
