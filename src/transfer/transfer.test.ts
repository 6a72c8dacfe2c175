// Exports and imports, through the admin API and the job runner, against a real server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";
import { jobRunner } from "../jobs/runner.ts";
import { readImport } from "./jobs.ts";

let app: TestApp;
let admin: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { admin: true });
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const FIXTURES = join(import.meta.dir, "fixtures");
type Job = { id: string; status: string; progress: number; error: string | null; result: Record<string, unknown> | null };
const count = (sql: string, ...p: (bigint | string)[]) => Number((app.server.db.reader.query(sql).get(...p) as { n: bigint }).n);

async function finished(job: Job): Promise<Job> {
  for (let i = 0; i < 400; i++) {
    const now = await json<Job>(await api(app, "GET", `/admin/jobs/${job.id}`, undefined, admin.bearer));
    if (!["queued", "running"].includes(now.status)) return now;
    await Bun.sleep(25);
  }
  throw new Error("job did not finish");
}

async function upload(bytes: Uint8Array, name: string): Promise<Job> {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  const res = await app.fetch("/api/v10/admin/imports", { method: "POST", body: form, headers: admin.bearer });
  expect(res.status).toBe(202);
  return finished(await json<Job>(res));
}

function dirZip(dir: string, prefix = ""): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) Object.assign(out, dirZip(join(dir, e.name), `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = readFileSync(join(dir, e.name));
  }
  return out;
}

const messagesOf = (guildId: string) =>
  app.server.db.reader
    .query("SELECT m.content, u.username, m.pinned, c.name AS channel, c.type, m.reply_to_id IS NOT NULL AS reply FROM messages m JOIN channels c ON c.id = m.channel_id JOIN users u ON u.id = m.author_id WHERE c.guild_id = ? ORDER BY m.id")
    .all(BigInt(guildId)) as { content: string; username: string; pinned: bigint; channel: string; type: bigint; reply: bigint }[];

describe("export then import", () => {
  test("a server exported to JSON imports back with its channels, messages, replies, pins, reactions and threads", async () => {
    const g = await createGuildFixture(app, "Round Trip");
    const friend = await createAccount(app, { username: "friend.rt" });
    await g.join(friend);
    const first = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "first <b>message</b>" }, g.owner.bearer));
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "a reply", message_reference: { message_id: first.id } }, friend.bearer);
    await api(app, "PUT", `/channels/${g.generalId}/pins/${first.id}`, undefined, g.owner.bearer);
    await api(app, "PUT", `/channels/${g.generalId}/messages/${first.id}/reactions/${encodeURIComponent("🎉")}/@me`, undefined, friend.bearer);
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages/${first.id}/threads`, { name: "side talk" }, g.owner.bearer));
    await api(app, "POST", `/channels/${thread.id}/messages`, { content: "in the thread" }, friend.bearer);

    const exported = await finished(await json<Job>(await api(app, "POST", "/admin/exports", { guild_id: g.guildId, format: "json" }, admin.bearer)));
    expect(exported.status).toBe("done");
    const zip = new Uint8Array(await (await api(app, "GET", `/admin/exports/${exported.result!.file}`, undefined, admin.bearer)).arrayBuffer());
    const bundle = JSON.parse(new TextDecoder().decode(unzipSync(zip)["export.json"]!)) as { messages: unknown[]; channels: { thread: unknown }[] };
    expect(bundle.messages.length).toBe(3);
    expect(bundle.channels.some((c) => c.thread)).toBe(true);

    const imported = await upload(zip, "round-trip.zip");
    expect(imported.status).toBe("done");
    const newId = String(imported.result!.guild_id);
    expect(imported.result!.users_matched).toBe(2); // the same people, found by username
    const strip = (rows: ReturnType<typeof messagesOf>) => rows.map((r) => ({ ...r }));
    expect(strip(messagesOf(newId))).toEqual(strip(messagesOf(g.guildId)));
    expect(count("SELECT count(*) AS n FROM reactions r JOIN messages m ON m.id = r.message_id JOIN channels c ON c.id = m.channel_id WHERE c.guild_id = ? AND r.emoji = '🎉'", BigInt(newId))).toBe(1);
    expect(count("SELECT count(*) AS n FROM threads t JOIN channels c ON c.id = t.channel_id WHERE c.guild_id = ? AND t.starter_message_id IS NOT NULL", BigInt(newId))).toBe(1);
    // The importing admin owns the new server and can read it through the API.
    const history = await json<{ content: string }[]>(await api(app, "GET", `/channels/${(await json<{ id: string; type: number; name: string }[]>(await api(app, "GET", `/guilds/${newId}/channels`, undefined, admin.bearer))).find((c) => c.type === 0)!.id}/messages`, undefined, admin.bearer));
    expect(history.map((m) => m.content)).toContain("first <b>message</b>");
  });

  test("CSV has one row per message and defuses formulas; the HTML archive opens offline with escaped content", async () => {
    const g = await createGuildFixture(app, "Formats");
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: '=HYPERLINK("http://evil.example")' }, g.owner.bearer);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "<script>alert(1)</script>, with \"quotes\"\nand a newline" }, g.owner.bearer);
    const csvJob = await finished(await json<Job>(await api(app, "POST", "/admin/exports", { guild_id: g.guildId, format: "csv" }, admin.bearer)));
    const raw = new Uint8Array(await (await api(app, "GET", `/admin/exports/${csvJob.result!.file}`, undefined, admin.bearer)).arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheets read UTF-8
    const csv = new TextDecoder().decode(raw);
    expect(csv.split("\r\n")[0]).toBe("id,timestamp,channel_id,channel,author_id,author,content,edited_timestamp,pinned,reply_to_id,attachments,reactions");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csv).toContain('"<script>alert(1)</script>, with ""quotes""\nand a newline"');
    const htmlJob = await finished(await json<Job>(await api(app, "POST", "/admin/exports", { guild_id: g.guildId, channel_id: g.generalId, format: "html" }, admin.bearer)));
    const files = unzipSync(new Uint8Array(await (await api(app, "GET", `/admin/exports/${htmlJob.result!.file}`, undefined, admin.bearer)).arrayBuffer()));
    const page = new TextDecoder().decode(files[`channel-${g.generalId}.html`]!);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>");
    expect(Object.keys(files)).toContain("index.html");
    expect((await api(app, "POST", "/admin/exports", { guild_id: g.guildId, format: "xml" }, admin.bearer)).status).toBe(400);
    expect((await api(app, "POST", "/admin/exports", { guild_id: "123", format: "csv" }, admin.bearer)).status).toBe(404);
    expect((await api(app, "GET", "/admin/exports/..%2Fpokynano.db", undefined, admin.bearer)).status).toBe(404);
  });
});

describe("imports from other platforms", () => {
  test("a DiscordChatExporter server export (zip of channel files and --media) becomes a server with people, threads, replies, pins, reactions and attachments", async () => {
    const zip = zipSync({ "general.json": readFileSync(join(FIXTURES, "discord-general.json")), "speedruns.json": readFileSync(join(FIXTURES, "discord-thread.json")), "media/setup.txt": readFileSync(join(FIXTURES, "discord-media/setup.txt")) });
    const job = await upload(zip, "retro.zip");
    expect(job.error).toBeNull();
    const guildId = String(job.result!.guild_id);
    expect(job.result!.source).toBe("discord");
    const rows = messagesOf(guildId);
    // The join notice is a system event and is not imported.
    expect(rows.map((r) => [r.channel, r.username, r.content.split("\n")[0]])).toEqual([
      ["general", "alice", "Welcome to the server!"],
      ["general", "bob", "Thanks! Here is my setup"],
      ["general", "carol", "Who wants to start a thread about speedruns?"],
      ["speedruns", "alice", "My best any% is 42 minutes"],
    ]);
    expect(rows[0]!.pinned).toBe(1n);
    expect(rows[1]!.reply).toBe(1n);
    // An attachment only known by its URL stays visible as the link.
    expect(rows[2]!.content).toContain("https://cdn.discordapp.com/attachments/1/2/route.png");
    expect(count("SELECT count(*) AS n FROM attachments a JOIN channels c ON c.id = a.channel_id WHERE c.guild_id = ? AND a.filename = 'setup.txt'", BigInt(guildId))).toBe(1);
    expect(count("SELECT count(*) AS n FROM reactions r JOIN messages m ON m.id = r.message_id JOIN channels c ON c.id = m.channel_id WHERE c.guild_id = ? AND r.emoji = '👋'", BigInt(guildId))).toBe(2);
    expect(count("SELECT count(*) AS n FROM threads t JOIN channels c ON c.id = t.channel_id WHERE c.guild_id = ? AND t.starter_message_id IS NOT NULL", BigInt(guildId))).toBe(1);
    expect(count("SELECT count(*) AS n FROM channels WHERE guild_id = ? AND type = 4 AND name = 'Text Channels'", BigInt(guildId))).toBe(1);
    // Placeholders cannot sign in.
    expect(count("SELECT count(*) AS n FROM users WHERE username IN ('alice', 'bob', 'carol') AND password_hash IS NULL")).toBe(3);
  });

  test("exports carry attachments: the JSON zip holds the bytes and re-imports them, the HTML archive links them", async () => {
    const zip = zipSync({ "general.json": readFileSync(join(FIXTURES, "discord-general.json")), "media/setup.txt": readFileSync(join(FIXTURES, "discord-media/setup.txt")) });
    const source = String((await upload(zip, "with-files.zip")).result!.guild_id);
    const sha = (app.server.db.reader.query("SELECT a.sha256 FROM attachments a JOIN channels c ON c.id = a.channel_id WHERE c.guild_id = ?").get(BigInt(source)) as { sha256: string }).sha256;
    const exported = await finished(await json<Job>(await api(app, "POST", "/admin/exports", { guild_id: source, format: "json" }, admin.bearer)));
    const files = unzipSync(new Uint8Array(await (await api(app, "GET", `/admin/exports/${exported.result!.file}`, undefined, admin.bearer)).arrayBuffer()));
    expect(new TextDecoder().decode(files[`attachments/${sha}`]!)).toBe("CPU: 6502, RAM: 64 KiB\n");
    // Imported on an instance that never saw the file: the bytes come from the zip.
    const other = await createTestApp();
    try {
      const otherAdmin = await createAccount(other, { admin: true });
      const form = new FormData();
      form.set("file", new File([zipSync(files) as Uint8Array<ArrayBuffer>], "x.zip"));
      let job = await json<Job>(await other.fetch("/api/v10/admin/imports", { method: "POST", body: form, headers: otherAdmin.bearer }));
      while (job.status === "queued" || job.status === "running") {
        await Bun.sleep(25);
        job = await json<Job>(await api(other, "GET", `/admin/jobs/${job.id}`, undefined, otherAdmin.bearer));
      }
      expect(job.result).toMatchObject({ attachments: 1, messages: 3 });
      expect(await Bun.file(join(other.dataDir, "files", sha.slice(0, 2), sha)).text()).toBe("CPU: 6502, RAM: 64 KiB\n");
    } finally {
      await other.close();
    }
    const html = await finished(await json<Job>(await api(app, "POST", "/admin/exports", { guild_id: source, format: "html" }, admin.bearer)));
    const site = unzipSync(new Uint8Array(await (await api(app, "GET", `/admin/exports/${html.result!.file}`, undefined, admin.bearer)).arrayBuffer()));
    expect(Object.keys(site)).toContain(`attachments/${sha}`);
    const page = Object.entries(site).find(([name]) => name.startsWith("channel-"))![1];
    expect(new TextDecoder().decode(page)).toContain(`href="attachments/${sha}" download="setup.txt"`);
  });

  test("a Slack workspace export becomes a server: users matched or created, channels, threads, reactions, mentions and files", async () => {
    await createAccount(app, { username: "dana" }); // already here: matched, not duplicated
    const job = await upload(zipSync(dirZip(join(FIXTURES, "slack"))), "X-Files Team.zip");
    expect(job.error).toBeNull();
    const guildId = String(job.result!.guild_id);
    expect(job.result).toMatchObject({ source: "slack", users_matched: 1, users_created: 2 });
    expect(count("SELECT count(*) AS n FROM guilds WHERE id = ? AND name = 'X-Files Team'", BigInt(guildId))).toBe(1);
    const rows = messagesOf(guildId);
    const fox = app.server.db.reader.query("SELECT id FROM users WHERE username = 'fox'").get() as { id: bigint };
    const hello = rows.find((r) => r.content.startsWith("Hello"))!;
    expect(hello.content).toBe(`Hello <@${fox.id}>, the report is on [our wiki](https://example.org/report) & in #random`);
    expect(hello.pinned).toBe(1n);
    expect(rows.filter((r) => r.type === 11n).map((r) => r.content)).toEqual(["Thanks, reading it now", "Page 3 is the interesting one"]);
    expect(rows.some((r) => r.content.includes("has joined"))).toBe(false);
    expect(rows.find((r) => r.channel === "random")!.content).toBe("The truth is out there");
    const emoji = app.server.db.reader.query("SELECT r.emoji FROM reactions r JOIN messages m ON m.id = r.message_id JOIN channels c ON c.id = m.channel_id WHERE c.guild_id = ? ORDER BY r.emoji").all(BigInt(guildId)) as { emoji: string }[];
    expect(emoji.map((e) => e.emoji).sort()).toEqual(["🎉", "🎉", "👍"].sort());
    expect(count("SELECT count(*) AS n FROM attachments a JOIN channels c ON c.id = a.channel_id WHERE c.guild_id = ? AND a.filename = 'evidence.txt'", BigInt(guildId))).toBe(1);
  });

  test("a zip bomb is refused from its directory, before it is inflated", () => {
    const bomb = zipSync({ "users.json": new Uint8Array(64 * 1024 * 1024), "channels.json": strToU8("[]") }, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(() => readImport(bomb, "bomb", 16 * 1024 * 1024)).toThrow(/unpacks to more than 16 MiB/);
  });

  test("a file that is no export fails its job with a clear error and creates nothing", async () => {
    const guilds = count("SELECT count(*) AS n FROM guilds");
    const job = await upload(strToU8('{"hello": "world"}'), "nope.json");
    expect(job.status).toBe("failed");
    expect(job.error).toContain("neither a Pokynano export nor a DiscordChatExporter");
    expect(count("SELECT count(*) AS n FROM guilds")).toBe(guilds);
    const empty = await app.fetch("/api/v10/admin/imports", { method: "POST", body: new FormData(), headers: admin.bearer });
    expect(empty.status).toBe(400);
  });
});

describe("jobs", () => {
  test("cancelling an import part-way leaves no server, channel, message or placeholder behind", async () => {
    const before = ["guilds", "channels", "messages", "users", "reactions"].map((t) => count(`SELECT count(*) AS n FROM ${t}`));
    const users = Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, username: `bulk_person_${i}` }));
    const messages = Array.from({ length: 30_000 }, (_, i) => ({ id: `m${i}`, channel_id: "c1", author_id: `u${i % 50}`, content: `message ${i}`, timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), reactions: [{ emoji: "👍", user_ids: ["u1"] }] }));
    const bundle = { format: "pokynano-export", format_version: 1, guild: { id: "g", name: "Too Big" }, users, channels: [{ id: "c1", type: 0, name: "flood" }], messages };
    const form = new FormData();
    form.set("file", new File([JSON.stringify(bundle)], "big.json"));
    const started = await json<Job>(await app.fetch("/api/v10/admin/imports", { method: "POST", body: form, headers: admin.bearer }));
    // Wait until some messages are in, then cancel.
    for (let i = 0; i < 400; i++) {
      const now = await json<Job>(await api(app, "GET", `/admin/jobs/${started.id}`, undefined, admin.bearer));
      if (now.progress > 0.15) break;
      await Bun.sleep(20);
    }
    expect(count("SELECT count(*) AS n FROM guilds WHERE name = 'Too Big'")).toBe(1);
    expect((await api(app, "POST", `/admin/jobs/${started.id}/cancel`, undefined, admin.bearer)).status).toBe(202);
    const done = await finished(started);
    expect(done.status).toBe("cancelled");
    await jobRunner(app.server.core).settled();
    expect(["guilds", "channels", "messages", "users", "reactions"].map((t) => count(`SELECT count(*) AS n FROM ${t}`))).toEqual(before);
    expect(readdirSync(join(app.dataDir, "imports"))).toEqual([]);
    const log = await json<{ action: string }[]>(await api(app, "GET", "/admin/audit-log?action=job.cancel", undefined, admin.bearer));
    expect(log.length).toBe(1);
  }, 30_000);
});
