import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import * as tar from "tar";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DB_FILE } from "../db/client.ts";
import { createTestApp, tempDir, type TestApp } from "../testing/app.ts";

const MAIN = resolve(import.meta.dir, "../main.ts");

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, ...env } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});
const dir = () => {
  const d = tempDir();
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};
const app = async (): Promise<TestApp> => {
  const a = await createTestApp();
  cleanup.push(() => a.close());
  return a;
};

describe("the command line", () => {
  test("--help and --version print and exit 0", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: pokynano");
    expect(help.stdout).toContain("backup --out FILE");
    const version = await run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^pokynano \d+\.\d+\.\d+\n$/);
  });

  test("an unknown flag or bad value exits 2 with one line naming it", async () => {
    for (const [args, env, needle] of [
      [["--nope"], {}, "--nope"],
      [["--port", "99999"], {}, "--port"],
      [[], { POKYNANO_LOG_LEVEL: "chatty" }, "POKYNANO_LOG_LEVEL"],
    ] as const) {
      const res = await run([...args], { ...env });
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split("\n")).toHaveLength(1);
      expect(res.stderr).toContain(needle);
    }
  });

  test("a data dir that cannot be written stops the start with a clear message", async () => {
    const file = join(dir(), "file");
    writeFileSync(file, "");
    const res = await run(["--data-dir", join(file, "data"), "--port", "0"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/data directory .* is not writable/);
  });

  test("a port that is already taken stops the start with a clear message", async () => {
    const a = await app();
    const res = await run(["--data-dir", dir(), "--host", "127.0.0.1", "--port", String(a.server.port)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
  });

  test("migrate --status reports, migrate applies", async () => {
    const d = dir();
    const status = await run(["migrate", "--status", "--data-dir", d]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/0001 init .* pending/);
    expect(status.stdout).toMatch(/0002 accounts .* pending/);
    const applied = await run(["migrate", "--data-dir", d]);
    expect(applied.stdout).toMatch(/0001 init .* applied 20/);
    expect((await run(["migrate", "--status", "--data-dir", d])).stdout).toContain("0 pending");
  });

  test("healthcheck exits 0 against a healthy server and 1 when nothing answers", async () => {
    const a = await app();
    expect((await run(["healthcheck", "--url", a.url])).code).toBe(0);
    const down = await run(["healthcheck", "--url", "http://127.0.0.1:1"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("unhealthy");
  });
});

describe("backup and restore", () => {
  test("a backup of a live server is a complete, integrity-checked copy, written atomically", async () => {
    const a = await app();
    await a.server.queue.write(({ sqlite }) => sqlite.run("INSERT INTO instance_settings VALUES ('instance_name', '\"Les Copains\"', 'now')"));
    const outDir = dir();
    const out = join(outDir, "backup.tar.gz");
    const res = await run(["backup", "--out", out, "--data-dir", a.dataDir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("integrity ok");
    expect(readdirSync(outDir)).toEqual(["backup.tar.gz"]); // no partial file left behind
    // One archive: manifest, database snapshot, files.
    const unpacked = dir();
    await tar.x({ file: out, cwd: unpacked });
    expect(readdirSync(unpacked).sort()).toEqual(["manifest.json", DB_FILE]);
    const copy = new Database(join(unpacked, DB_FILE), { readonly: true });
    expect(copy.query("SELECT value FROM instance_settings WHERE key = 'instance_name'").get()).toEqual({ value: '"Les Copains"' });
    copy.close();
  });

  test("backup into a missing folder or of a missing database fails clearly", async () => {
    const a = await app();
    const missing = await run(["backup", "--out", "/nonexistent-folder/b.db", "--data-dir", a.dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("does not exist");
    const empty = await run(["backup", "--out", join(dir(), "b.db"), "--data-dir", dir()]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("no database");
  });

  test("restore replaces the database and keeps the previous one; it refuses while the server runs", async () => {
    const a = await app();
    await a.server.queue.write(({ sqlite }) => sqlite.run("INSERT INTO instance_settings VALUES ('instance_name', '\"Before\"', 'now')"));
    const out = join(dir(), "b.tar.gz");
    expect((await run(["backup", "--out", out, "--data-dir", a.dataDir])).code).toBe(0);
    await a.server.queue.write(({ sqlite }) => sqlite.run("UPDATE instance_settings SET value = '\"After\"' WHERE key = 'instance_name'"));

    const refused = await run(["restore", out, "--data-dir", a.dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("stop it before restoring");

    await a.server.stop();
    const restored = await run(["restore", out, "--data-dir", a.dataDir]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("the previous database is kept as");
    const db = new Database(join(a.dataDir, DB_FILE), { readonly: true });
    expect(db.query("SELECT value FROM instance_settings WHERE key = 'instance_name'").get()).toEqual({ value: '"Before"' });
    db.close();
    expect(readdirSync(a.dataDir).some((f) => f.startsWith(`${DB_FILE}.before-restore-`))).toBe(true);
  });

  test("restore refuses a file that is not a healthy Pokynano backup and changes nothing", async () => {
    const d = dir();
    const junk = join(d, "junk.db");
    writeFileSync(junk, "<html>not a database</html>".repeat(200));
    const res = await run(["restore", junk, "--data-dir", join(d, "data")]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot be restored: .* is not a readable backup archive .*nothing was changed/);
    const other = join(d, "other.db");
    new Database(other).run("CREATE TABLE x (a INTEGER)");
    const notOurs = await run(["restore", other, "--data-dir", join(d, "data")]);
    expect(notOurs.stderr).toContain("not a Pokynano backup");
    expect(existsSync(join(d, "data", DB_FILE))).toBe(false);
  });
});

describe("account commands", () => {
  test("admin create-user generates and prints a password once, or reads one from stdin", async () => {
    const d = dir();
    const generated = await run(["admin", "create-user", "--username", "operator", "--admin", "--data-dir", d]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain("created instance admin operator");
    const password = /password: (\S+)/.exec(generated.stdout)![1]!;
    expect(password.length).toBeGreaterThanOrEqual(20);

    const proc = Bun.spawn([process.execPath, MAIN, "admin", "create-user", "--username", "second", "--password-stdin", "--data-dir", d], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    proc.stdin.write("a password from stdin\n");
    proc.stdin.end();
    expect(await proc.exited).toBe(0);
    expect(await new Response(proc.stdout).text()).not.toContain("password:");

    const taken = await run(["admin", "create-user", "--username", "OPERATOR", "--data-dir", d]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("This username is taken.");
    const weak = Bun.spawn([process.execPath, MAIN, "admin", "create-user", "--username", "third", "--password-stdin", "--data-dir", d], { stdin: "pipe", stderr: "pipe" });
    weak.stdin.write("123456\n");
    weak.stdin.end();
    expect(await weak.exited).toBe(1);
    expect(await new Response(weak.stderr).text()).toMatch(/at least 8|too common/);
    expect((await run(["admin", "create-user", "--data-dir", d])).stderr).toContain("needs --username");
    expect((await run(["admin", "frobnicate"])).stderr).toContain('unknown admin command "frobnicate"');
  });

  test("admin reset-password sets a new password that works, and refuses unknown users", async () => {
    const a = await app();
    const { createAccount } = await import("../testing/accounts.ts");
    const acct = await createAccount(a, { username: "forgetful", password: "the old long password" });
    // A socket open in the server process must close although the reset happens in another process.
    const ws = new WebSocket(`${a.url.replace("http", "ws")}/ws`, { headers: { Cookie: acct.cookie, Origin: a.url } } as never);
    await new Promise((resolve) => (ws.onopen = resolve));
    const wsClosed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    const res = await run(["admin", "reset-password", "--username", "forgetful", "--data-dir", a.dataDir]);
    expect(res.code).toBe(0);
    const password = /password: (\S+)/.exec(res.stdout)![1]!;
    const login = (pw: string) => a.fetch("/api/v10/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ login: "forgetful", password: pw }) });
    expect((await login(password)).status).toBe(200);
    expect((await login("the old long password")).status).toBe(401);
    expect((await a.fetch("/api/v10/users/@me", { headers: acct.bearer })).status).toBe(401);
    const started = Date.now();
    expect(await Promise.race([wsClosed, Bun.sleep(5000).then(() => -1)])).toBe(4004);
    expect(Date.now() - started).toBeLessThan(5000);
    const unknown = await run(["admin", "reset-password", "--username", "ghost", "--data-dir", a.dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no user named ghost");
  });
});

describe("export and import", () => {
  test("pokynano export writes a server while it runs, and pokynano import brings it back as a new server", async () => {
    const a = await app();
    const { createAccount, api } = await import("../testing/accounts.ts");
    const { createGuildFixture } = await import("../testing/guilds.ts");
    const g = await createGuildFixture(a, "CLI Export");
    await api(a, "POST", `/channels/${g.generalId}/messages`, { content: "exported from the command line" }, g.owner.bearer);
    const owner = await createAccount(a, { username: "new.owner" });
    const out = join(dir(), "server.zip");
    const exported = await run(["export", "--guild", g.guildId, "--format", "json", "--out", out, "--data-dir", a.dataDir]);
    expect(exported.stderr).toMatch(/\] 100% done/);
    expect(exported.stdout).toContain("exported 1 messages");
    expect(exported.code).toBe(0);
    const csv = join(dir(), "messages.csv");
    expect((await run(["export", "--guild", g.guildId, "--format", "csv", "--out", csv, "--data-dir", a.dataDir])).code).toBe(0);
    expect(await Bun.file(csv).text()).toContain("exported from the command line");
    const imported = await run(["import", out, "--owner", "new.owner", "--data-dir", a.dataDir]);
    expect(imported.stdout).toMatch(/imported 1 messages in \d+ channels as server \d+ \(1 people matched, 0 placeholders created/);
    expect(imported.code).toBe(0);
    const guilds = (await (await api(a, "GET", "/users/@me/guilds", undefined, owner.bearer)).json()) as { name: string }[];
    expect(guilds.map((x) => x.name)).toContain("CLI Export");
    const bad = await run(["import", out, "--owner", "ghost", "--data-dir", a.dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("no user named ghost");
    const missing = await run(["export", "--guild", "123", "--format", "json", "--out", join(dir(), "x.zip"), "--data-dir", a.dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("unknown server");
    expect((await run(["export", "--guild", g.guildId, "--format", "xml", "--out", "x", "--data-dir", a.dataDir])).code).toBe(2);
  }, 60_000);
});
