// The product is the compiled binary: build it, run it from an unrelated folder with only
// --data-dir, and check that it serves, that views/static/migrations are inside it, and that it
// stops cleanly on SIGTERM.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../../src/testing/app.ts";
import { jpegWithExif, wav } from "../../src/testing/files.ts";
import { makePng } from "../../src/testing/images.ts";

const root = resolve(import.meta.dir, "../..");
let work: string;
let binary: string;

beforeAll(() => {
  work = tempDir("pokynano-bin-");
  binary = join(work, "pokynano");
  const build = Bun.spawnSync([process.execPath, join(root, "scripts/build.ts"), "--outfile", binary], { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
}, 120_000);
// Servers started by a test that fails half-way are still stopped.
const running: ReturnType<typeof Bun.spawn>[] = [];
afterAll(() => {
  for (const proc of running) proc.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

async function startBinary(dataDir: string) {
  const proc = Bun.spawn([binary, "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, "--log-level", "debug", "--log-format", "json"], {
    cwd: work,
    stdout: "pipe",
    stderr: "pipe",
  });
  running.push(proc);
  const lines: Record<string, unknown>[] = [];
  const reader = proc.stdout.getReader();
  let buffer = "";
  const decoder = new TextDecoder();
  while (!lines.some((l) => l.msg === "pokynano listening")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`binary exited early: ${await new Response(proc.stderr).text()}`);
    buffer += decoder.decode(value);
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part));
  }
  reader.releaseLock();
  const address = lines.find((l) => l.msg === "pokynano listening")!.address as string;
  return { proc, lines, address };
}

describe("the compiled binary", () => {
  test("is one executable file", () => {
    const size = statSync(binary).size;
    expect(size).toBeGreaterThan(10 * 1024 * 1024);
    console.log(`binary size: ${(size / 1024 / 1024).toFixed(1)} MB`);
  });

  test("runs from any folder with only --data-dir, serves from embedded files, and exits 0 on SIGTERM", async () => {
    const dataDir = join(work, "data");
    // A stray .env in the working directory must not configure the server behind the operator's back.
    writeFileSync(join(work, ".env"), "POKYNANO_PUBLIC_URL=https://evil.example\n");
    const { proc, lines, address } = await startBinary(dataDir);
    expect(lines.find((l) => l.msg === "pokynano listening")?.public_url).toBe("http://localhost:0");
    expect(lines.find((l) => l.msg === "static assets loaded")).toMatchObject({ embedded: true });
    const migrationCount = readdirSync(join(root, "migrations")).filter((f) => f.endsWith(".sql")).length;
    expect((lines.find((l) => l.msg === "migrations applied")?.ids as number[]).length).toBe(migrationCount);
    const health = await fetch(`${address}/healthz`);
    expect(await health.text()).toBe("ok");
    const first = await fetch(`${address}/`, { redirect: "manual" });
    expect(first.headers.get("Location")).toBe("/setup");
    const page = await (await fetch(`${address}/setup`)).text();
    expect(page).toContain('action="/setup"');
    const htmx = /src="(\/static\/vendor\/htmx\.min\.js\?v=\w+)"/.exec(page)![1]!;
    expect((await fetch(`${address}${htmx}`)).status).toBe(200);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(statSync(join(dataDir, "pokynano.db")).size).toBeGreaterThan(0);
  }, 30_000);

  test("accounts work inside the binary: admin create-user hashes with argon2, and the API logs in", async () => {
    const dataDir = join(work, "accounts");
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "owner", "--admin", "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    create.stdin.write("a long and unusual passphrase\n");
    create.stdin.end();
    expect(await create.exited).toBe(0);
    expect(await new Response(create.stdout).text()).toContain("created instance admin owner");
    const { proc, address } = await startBinary(dataDir);
    const res = await fetch(`${address}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "owner", password: "a long and unusual passphrase" }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: { username: string; admin: boolean } };
    expect(body.user).toMatchObject({ username: "owner", admin: true });
    const auth = { Authorization: `Bearer ${body.token}`, "Content-Type": "application/json" };
    const me = await fetch(`${address}/api/v10/users/@me`, { headers: auth });
    expect(((await me.json()) as { username: string }).username).toBe("owner");
    // Markdown with its lazily loaded highlighter and emoji table works inside the binary.
    const guild = (await (await fetch(`${address}/api/v10/guilds`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Binary" }) })).json()) as { id: string };
    const channel = ((await (await fetch(`${address}/api/v10/guilds/${guild.id}/channels`, { headers: auth })).json()) as { id: string; type: number }[]).find((c) => c.type === 0)!;
    await fetch(`${address}/api/v10/channels/${channel.id}/messages`, { method: "POST", headers: auth, body: JSON.stringify({ content: "```js\nconst a = 1;\n``` :tada:" }) });
    const page = await (await fetch(`${address}/channels/${guild.id}/${channel.id}`, { headers: { Cookie: `pokynano_session=${body.token}` } })).text();
    expect(page).toContain('<span class="hljs-keyword">const</span>');
    expect(page).toContain("🎉");
    // Search: FTS5 (contentless-delete, unicode61 without accents) in the binary's SQLite, and
    // minisearch for the quick switcher embedded as a static file.
    await fetch(`${address}/api/v10/channels/${channel.id}/messages`, { method: "POST", headers: auth, body: JSON.stringify({ content: "Réunion à la médiathèque" }) });
    const found = (await (await fetch(`${address}/api/v10/guilds/${guild.id}/messages/search?content=mediatheque`, { headers: auth })).json()) as { total_results: number };
    expect(found.total_results).toBe(1);
    const vendor = page.match(/\/static\/vendor\/minisearch\.js\?v=\w+/)?.[0];
    expect(vendor).toBeDefined();
    expect(await (await fetch(`${address}${vendor}`)).text()).toContain("MiniSearch");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("bots work inside the binary: an application's token, GET /gateway/bot, the OpenAPI document", async () => {
    const dataDir = join(work, "bots");
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "dev", "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    create.stdin.write("a long and unusual passphrase\n");
    create.stdin.end();
    expect(await create.exited).toBe(0);
    const { proc, address } = await startBinary(dataDir);
    const login = (await (await fetch(`${address}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "dev", password: "a long and unusual passphrase" }) })).json()) as { token: string };
    const made = await fetch(`${address}/api/v10/applications`, { method: "POST", headers: { Authorization: `Bearer ${login.token}`, "Content-Type": "application/json" }, body: JSON.stringify({ name: "Binary Bot" }) });
    expect(made.status).toBe(201);
    const { bot_token } = (await made.json()) as { bot_token: string };
    const gateway = await fetch(`${address}/api/v10/gateway/bot`, { headers: { Authorization: `Bot ${bot_token}` } });
    expect(((await gateway.json()) as { shards: number }).shards).toBe(1);
    expect(gateway.headers.get("X-RateLimit-Limit")).toBe("50");
    const doc = (await (await fetch(`${address}/api/v10/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/applications"]).toBeDefined();
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("AutoMod works inside the binary: re2js regexes and the embedded preset word lists", async () => {
    const dataDir = join(work, "automod");
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "mod", "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    create.stdin.write("a long and unusual passphrase\n");
    create.stdin.end();
    expect(await create.exited).toBe(0);
    const { proc, address } = await startBinary(dataDir);
    const call = async (method: string, path: string, body?: unknown, token?: string) =>
      fetch(`${address}/api/v10${path}`, { method, headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const { token } = (await (await call("POST", "/auth/login", { login: "mod", password: "a long and unusual passphrase" })).json()) as { token: string };
    const guild = (await (await call("POST", "/guilds", { name: "Bin" }, token)).json()) as { id: string };
    const channel = ((await (await call("GET", `/guilds/${guild.id}/channels`, undefined, token)).json()) as { id: string; type: number }[]).find((c) => c.type === 0)!;
    // The owner is exempt from AutoMod: a member who joins through an invite is the one checked.
    expect((await call("POST", `/guilds/${guild.id}/auto-moderation/rules`, { name: "bad", event_type: 1, trigger_type: 1, trigger_metadata: { regex_patterns: ["(a)\\1"] }, actions: [{ type: 1 }] }, token)).status).toBe(400);
    expect((await call("POST", `/guilds/${guild.id}/auto-moderation/rules`, { name: "re", event_type: 1, trigger_type: 1, trigger_metadata: { regex_patterns: ["(a+)+$"] }, actions: [{ type: 1 }], enabled: true }, token)).status).toBe(200);
    expect((await call("POST", `/guilds/${guild.id}/auto-moderation/rules`, { name: "pre", event_type: 1, trigger_type: 4, trigger_metadata: { presets: [1, 3] }, actions: [{ type: 1 }], enabled: true }, token)).status).toBe(200);
    const invite = (await (await call("POST", `/channels/${channel.id}/invites`, { max_age: 0, max_uses: 0 }, token)).json()) as { code: string };
    const reg = (await (await call("POST", "/auth/register", { username: "member1", password: "another long passphrase", invite: invite.code })).json()) as { token?: string };
    expect(reg.token).toBeString();
    await call("POST", `/invites/${invite.code}`, undefined, reg.token);
    expect((await call("POST", `/channels/${channel.id}/messages`, { content: `${"a".repeat(30)}!` }, reg.token)).status).toBe(200);
    expect((await call("POST", `/channels/${channel.id}/messages`, { content: "aaaa" }, reg.token)).status).toBe(400);
    expect((await call("POST", `/channels/${channel.id}/messages`, { content: "quelle merde" }, reg.token)).status).toBe(400);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("files work inside the binary: upload, EXIF stripped, thumbnails (Bun.Image), duration, byte ranges", async () => {
    const dataDir = join(work, "files");
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "snap", "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    create.stdin.write("a long and unusual passphrase\n");
    create.stdin.end();
    expect(await create.exited).toBe(0);
    const { proc, address } = await startBinary(dataDir);
    const login = (await (await fetch(`${address}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "snap", password: "a long and unusual passphrase" }) })).json()) as { token: string };
    const auth = { Authorization: `Bearer ${login.token}` };
    const guild = (await (await fetch(`${address}/api/v10/guilds`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ name: "Files" }) })).json()) as { id: string };
    const channel = ((await (await fetch(`${address}/api/v10/guilds/${guild.id}/channels`, { headers: auth })).json()) as { id: string; type: number }[]).find((c) => c.type === 0)!;
    const form = new FormData();
    form.set("payload_json", JSON.stringify({ content: "from the binary" }));
    form.set("files[0]", new Blob([makePng(1200, 600) as Uint8Array<ArrayBuffer>]), "wide.png");
    form.set("files[1]", new Blob([(await jpegWithExif(40, 30, "GPS 45.76N")) as Uint8Array<ArrayBuffer>]), "photo.jpg");
    form.set("files[2]", new Blob([wav(2) as Uint8Array<ArrayBuffer>]), "tone.wav");
    const sent = await fetch(`${address}/api/v10/channels/${channel.id}/messages`, { method: "POST", headers: auth, body: form });
    expect(sent.status).toBe(200);
    const files = ((await sent.json()) as { attachments: { url: string; content_type: string; width?: number; duration_secs?: number }[] }).attachments;
    expect(files.map((f) => f.content_type)).toEqual(["image/png", "image/jpeg", "audio/wav"]);
    expect(files[2]!.duration_secs).toBe(2);
    const at = (url: string) => `${address}${new URL(url).pathname}${new URL(url).search}`;
    const thumb = await fetch(at(`${files[0]!.url}&thumb=list`), { headers: auth });
    expect(await new Bun.Image(new Uint8Array(await thumb.arrayBuffer())).metadata()).toMatchObject({ width: 800, height: 400, format: "webp" });
    expect(Buffer.from(await (await fetch(at(files[1]!.url), { headers: auth })).arrayBuffer()).includes("GPS 45.76N")).toBe(false);
    const range = await fetch(at(files[2]!.url), { headers: { ...auth, Range: "bytes=-10" } });
    expect(range.status).toBe(206);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  // Link previews are not tried here: the SSRF guard refuses every loopback and private address,
  // and the only way past it (net/test-allowance.ts) is a call from test code inside the server's
  // process, which the compiled binary cannot receive; src/previews/previews.test.ts covers them.
  test("custom emoji work inside the binary: upload (Bun.Image to WebP), the picker's search (minisearch, node-emoji), :name: in a message and as a reaction", async () => {
    const dataDir = join(work, "emoji");
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "smile", "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    create.stdin.write("a long and unusual passphrase\n");
    create.stdin.end();
    expect(await create.exited).toBe(0);
    const { proc, address } = await startBinary(dataDir);
    const login = (await (await fetch(`${address}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "smile", password: "a long and unusual passphrase" }) })).json()) as { token: string };
    const auth = { Authorization: `Bearer ${login.token}`, "Content-Type": "application/json" };
    const call = async (method: string, path: string, body?: unknown) => fetch(`${address}/api/v10${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
    const guild = (await (await call("POST", "/guilds", { name: "Emoji" })).json()) as { id: string };
    const channel = ((await (await call("GET", `/guilds/${guild.id}/channels`)).json()) as { id: string; type: number }[]).find((c) => c.type === 0)!;
    const image = `data:image/png;base64,${Buffer.from(makePng(256, 256, [250, 200, 0])).toString("base64")}`;
    const up = await call("POST", `/guilds/${guild.id}/emojis`, { name: "sunny", image });
    expect(up.status).toBe(201);
    const emoji = (await up.json()) as { id: string; name: string; animated: boolean };
    expect(emoji).toMatchObject({ name: "sunny", animated: false });
    const stored = await fetch(`${address}/emojis/${emoji.id}.webp`);
    expect(stored.headers.get("content-type")).toBe("image/webp");
    const meta = await new Bun.Image(new Uint8Array(await stored.arrayBuffer())).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(128);
    // The picker's search (a page route: the session cookie) finds the custom one and unicode ones.
    const search = await fetch(`${address}/emojis/search?channel=${channel.id}&q=sun`, { headers: { Cookie: `pokynano_session=${login.token}`, Accept: "application/json" } });
    expect(search.status).toBe(200);
    const found = (await search.json()) as { kind: string; name: string; emoji?: string }[];
    expect(found.some((e) => e.kind === "custom" && e.name === "sunny")).toBe(true);
    expect(found.some((e) => e.kind === "unicode" && e.name === "sunny")).toBe(true);
    const sent = (await (await call("POST", `/channels/${channel.id}/messages`, { content: "good morning :sunny:" })).json()) as { id: string; content: string };
    expect(sent.content).toBe(`good morning <:sunny:${emoji.id}>`);
    expect((await call("PUT", `/channels/${channel.id}/messages/${sent.id}/reactions/${encodeURIComponent(`sunny:${emoji.id}`)}/@me`)).status).toBe(204);
    const after = (await (await call("GET", `/channels/${channel.id}/messages/${sent.id}`)).json()) as { reactions?: { count: number; emoji: { id: string | null; name: string } }[] };
    expect(after.reactions).toEqual([expect.objectContaining({ count: 1, emoji: expect.objectContaining({ id: emoji.id, name: "sunny" }) })]);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("its admin commands work: --version, migrate --status, backup", async () => {
    const version = Bun.spawnSync([binary, "--version"], { cwd: work });
    expect(version.stdout.toString()).toMatch(/^pokynano \d+\.\d+\.\d+/);
    const status = Bun.spawnSync([binary, "migrate", "--status", "--data-dir", join(work, "data")], { cwd: work });
    expect(status.exitCode).toBe(0);
    expect(status.stdout.toString()).toContain("0 pending");
    const backup = Bun.spawnSync([binary, "backup", "--out", join(work, "b.tar.gz"), "--data-dir", join(work, "data")], { cwd: work });
    expect(backup.exitCode).toBe(0);
    const check = Bun.spawnSync([binary, "restore", join(work, "b.tar.gz"), "--dry-run", "--data-dir", join(work, "restored")], { cwd: work });
    expect(check.stdout.toString()).toContain("is a valid backup");
    expect(check.exitCode).toBe(0);
  });

  test("operations work inside the binary: /metrics (prom-client), a backup job (node-tar), a Slack import (fflate), uPlot", async () => {
    const dataDir = join(work, "ops");
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "ops", "--admin", "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    create.stdin.write("a long and unusual passphrase\n");
    create.stdin.end();
    expect(await create.exited).toBe(0);
    const { proc, address } = await startBinary(dataDir);
    const metrics = await (await fetch(`${address}/metrics`)).text();
    expect(metrics).toContain("pokynano_db_commit_duration_seconds_bucket");
    const { token } = (await (await fetch(`${address}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "ops", password: "a long and unusual passphrase" }) })).json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}` };
    const wait = async (job: { id: string }) => {
      for (;;) {
        const now = (await (await fetch(`${address}/api/v10/admin/jobs/${job.id}`, { headers: auth })).json()) as { status: string; error: string | null; result: Record<string, unknown> };
        if (now.status !== "queued" && now.status !== "running") return now;
        await Bun.sleep(50);
      }
    };
    const backup = await wait((await (await fetch(`${address}/api/v10/admin/backups`, { method: "POST", headers: auth })).json()) as { id: string });
    expect(backup).toMatchObject({ status: "done", error: null });
    const fixtures = join(root, "src/transfer/fixtures/slack");
    const { zipSync } = await import("fflate");
    const entries: Record<string, Uint8Array> = {};
    for (const rel of new Bun.Glob("**/*").scanSync({ cwd: fixtures })) entries[rel] = new Uint8Array(await Bun.file(join(fixtures, rel)).arrayBuffer());
    const form = new FormData();
    form.set("file", new File([zipSync(entries) as Uint8Array<ArrayBuffer>], "Team.zip"));
    const imported = await wait((await (await fetch(`${address}/api/v10/admin/imports`, { method: "POST", headers: auth, body: form })).json()) as { id: string });
    expect(imported).toMatchObject({ status: "done", error: null });
    expect(imported.result.messages).toBe(6);
    const page = await (await fetch(`${address}/admin/overview`, { headers: { Cookie: `pokynano_session=${token}` } })).text();
    const uplot = /\/static\/vendor\/uplot\.js\?v=\w+/.exec(page)![0];
    expect(await (await fetch(`${address}${uplot}`)).text()).toContain("uPlot");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 60_000);
  test("notifications and the installable app work inside the binary: VAPID keys (web-push), an encrypted push request refused a private address by safeFetch, /sw.js, the manifest, the sound", async () => {
    const dataDir = join(work, "push");
    for (const username of ["alice", "bob"]) {
      const create = Bun.spawn([binary, "admin", "create-user", "--username", username, "--password-stdin", "--data-dir", dataDir], { cwd: work, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
      create.stdin.write("a long and unusual passphrase\n");
      create.stdin.end();
      expect(await create.exited).toBe(0);
    }
    const { proc, address } = await startBinary(dataDir);
    const login = async (name: string) => ((await (await fetch(`${address}/api/v10/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: name, password: "a long and unusual passphrase" }) })).json()) as { token: string }).token;
    const [alice, bob] = [await login("alice"), await login("bob")];
    const as = (token: string) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });
    const guild = (await (await fetch(`${address}/api/v10/guilds`, { method: "POST", headers: as(alice), body: JSON.stringify({ name: "Bin" }) })).json()) as { id: string };
    const channels = (await (await fetch(`${address}/api/v10/guilds/${guild.id}/channels`, { headers: as(alice) })).json()) as { id: string; type: number }[];
    const general = channels.find((c) => c.type === 0)!.id;
    const invite = (await (await fetch(`${address}/api/v10/channels/${general}/invites`, { method: "POST", headers: as(alice), body: "{}" })).json()) as { code: string };
    const joined = (await (await fetch(`${address}/api/v10/invites/${invite.code}`, { method: "POST", headers: as(bob) })).json()) as { id: string };
    expect(joined.id).toBe(guild.id);
    const me = (await (await fetch(`${address}/api/v10/users/@me`, { headers: as(bob) })).json()) as { id: string };
    const cookie = { Cookie: `pokynano_session=${bob}`, Origin: address };
    const key = (await (await fetch(`${address}/settings/notifications/push-key`, { headers: cookie })).json()) as { public_key: string };
    expect(key.public_key).toMatch(/^[\w-]{87}$/);
    expect(statSync(join(dataDir, "vapid.json")).mode & 0o777).toBe(0o600);
    // Any valid P-256 public key (made once with createECDH): encryption needs a real point.
    const p256dh = "BNfMk3xcX_EdJGZlbggNsKywgZRuGIHes7hGV9d2N8c9XvQe6IOIhTQyUE2EF5Ulzc37KffANabMJlmQMhpV3Jc";
    const sub = await fetch(`${address}/settings/notifications/push`, { method: "POST", headers: { ...cookie, "Content-Type": "application/json" }, body: JSON.stringify({ endpoint: "http://127.0.0.1:9/push/1", keys: { p256dh, auth: "BTBZMqHH6r4Tts7J_aSIgg" } }) });
    expect(sub.status).toBe(204);
    // Keep reading the log: the push is built (VAPID JWT, aes128gcm body) and then refused at the guard.
    const logs: string[] = [];
    const reader = proc.stdout.getReader();
    const pump = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        logs.push(decoder.decode(value));
      }
    })();
    await fetch(`${address}/api/v10/channels/${general}/messages`, { method: "POST", headers: as(alice), body: JSON.stringify({ content: `<@${me.id}> ping` }) });
    for (let i = 0; i < 100 && !logs.join("").includes("push failed"); i++) await Bun.sleep(50);
    const line = logs.join("").split("\n").find((l) => l.includes("push failed"))!;
    expect(JSON.parse(line).err).toMatchObject({ name: "SafeFetchError" });
    const sw = await fetch(`${address}/sw.js`);
    expect(sw.headers.get("service-worker-allowed")).toBe("/");
    expect(await sw.text()).toContain("const PRECACHE = [");
    expect(((await (await fetch(`${address}/manifest.webmanifest`)).json()) as { icons: unknown[] }).icons.length).toBeGreaterThan(2);
    expect((await fetch(`${address}/static/sounds/notify.wav`)).headers.get("content-type")).toBe("audio/wav");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    await pump;
  }, 30_000);
});
