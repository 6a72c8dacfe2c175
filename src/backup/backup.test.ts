// Backups: an archive taken while messages are being sent restores to a consistent state holding
// every message acknowledged before the backup began; --dry-run validates; bad archives are refused.
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { vapidKeys } from "../notifications/push.ts";
import { join } from "node:path";
import { api, createAccount } from "../testing/accounts.ts";
import { createTestApp, tempDir, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";
import { embeddedMigrations } from "../server.ts";
import { DB_FILE } from "../db/client.ts";
import { restoreBackup } from "./restore.ts";
import { backupHours, backupKeep, scheduledBackupDue, setBackupSchedule } from "./service.ts";
import { jobRunner } from "../jobs/runner.ts";

const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});
type Job = { id: string; status: string; error: string | null; result: Record<string, unknown> | null };

describe("backup under load", () => {
  test("a backup taken during a 200 msg/s load restores with every acknowledged message and a consistent database", async () => {
    const app = await createTestApp();
    apps.push(app);
    const admin = await createAccount(app, { admin: true });
    await writeSetting(app.server.queue, "message_rate_limit", 0);
    const g = await createGuildFixture(app, "Busy");
    const acked: { id: string; at: number }[] = [];
    let sending = true;
    let sent = 0;
    const loadStarted = performance.now();
    // 200 messages per second by the clock (a late timer sends the ones that are due), each
    // acknowledged only after its commit.
    const load = (async () => {
      const inflight: Promise<void>[] = [];
      while (sending) {
        const due = Math.floor(((performance.now() - loadStarted) * 200) / 1000);
        for (; sent < due; sent++) {
          const n = sent;
          inflight.push(
            api(app, "POST", `/channels/${g.generalId}/messages`, { content: `load ${n}` }, g.owner.bearer).then(async (res) => {
              if (res.status === 200) acked.push({ id: ((await res.json()) as { id: string }).id, at: performance.now() });
            }),
          );
        }
        await Bun.sleep(5);
      }
      await Promise.all(inflight);
    })();
    await Bun.sleep(1000);
    // The Web Push key pair exists once anyone subscribed; the backup carries it.
    const vapid = vapidKeys(app.server.core);
    const backupStarted = performance.now();
    const started = await json<Job>(await api(app, "POST", "/admin/backups", undefined, admin.bearer));
    let job = started;
    while (job.status === "queued" || job.status === "running") {
      await Bun.sleep(20);
      job = await json<Job>(await api(app, "GET", `/admin/jobs/${started.id}`, undefined, admin.bearer));
    }
    await Bun.sleep(500);
    sending = false;
    await load;
    expect(job.error).toBeNull();
    const seconds = (performance.now() - loadStarted) / 1000;
    expect(acked.length).toBe(sent); // every send was acknowledged
    expect(sent / seconds).toBeGreaterThan(180);
    const file = join(app.dataDir, "backups", String(job.result!.file));

    const target = tempDir();
    const dry = await restoreBackup(join(target, "data"), file, embeddedMigrations(), { dryRun: true });
    expect(dry.report.problems).toEqual([]);
    expect(existsSync(join(target, "data"))).toBe(false); // a dry run changes nothing
    await restoreBackup(join(target, "data"), file, embeddedMigrations());
    expect(JSON.parse(readFileSync(join(target, "data", "vapid.json"), "utf8"))).toEqual(vapid);
    expect(statSync(join(target, "data", "vapid.json")).mode & 0o777).toBe(0o600);
    const db = new Database(join(target, "data", DB_FILE), { readonly: true, safeIntegers: true });
    try {
      expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
      expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
      const present = new Set((db.query("SELECT id FROM messages WHERE channel_id = ?").all(BigInt(g.generalId)) as { id: bigint }[]).map((r) => r.id.toString()));
      const before = acked.filter((m) => m.at < backupStarted);
      expect(before.length).toBeGreaterThan(180);
      expect(before.filter((m) => !present.has(m.id))).toEqual([]);
      // Consistent: no hole. Every acknowledged message older than the newest restored one is there.
      const newest = [...present].reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
      expect(acked.filter((m) => BigInt(m.id) < BigInt(newest) && !present.has(m.id))).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});

describe("restore checks", () => {
  test("restore --dry-run refuses a tampered archive, a file that is not a backup and a missing file, and changes nothing", async () => {
    const app = await createTestApp();
    apps.push(app);
    const admin = await createAccount(app, { admin: true });
    const started = await json<Job>(await api(app, "POST", "/admin/backups", undefined, admin.bearer));
    let job = started;
    while (job.status === "queued" || job.status === "running") {
      await Bun.sleep(20);
      job = await json<Job>(await api(app, "GET", `/admin/jobs/${started.id}`, undefined, admin.bearer));
    }
    const good = join(app.dataDir, "backups", String(job.result!.file));
    const list = await json<{ backups: { name: string }[]; interval_hours: number; keep: number }>(await api(app, "GET", "/admin/backups", undefined, admin.bearer));
    expect(list).toMatchObject({ interval_hours: 24, keep: 7 });
    expect(list.backups.map((b) => b.name)).toEqual([String(job.result!.file)]);
    const dir = tempDir();
    const bytes = await Bun.file(good).bytes();
    const flipped = bytes.slice();
    flipped[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(join(dir, "tampered.tar.gz"), flipped);
    writeFileSync(join(dir, "junk.tar.gz"), "not an archive at all");
    for (const name of ["tampered.tar.gz", "junk.tar.gz", "missing.tar.gz"]) {
      await expect(restoreBackup(join(dir, "data"), join(dir, name), embeddedMigrations(), { dryRun: true })).rejects.toThrow();
    }
    expect(existsSync(join(dir, "data"))).toBe(false);
    // The console's check of a stored backup runs as a job.
    const verify = await json<Job>(await api(app, "POST", `/admin/backups/${job.result!.file}/verify`, undefined, admin.bearer));
    let v = verify;
    while (v.status === "queued" || v.status === "running") {
      await Bun.sleep(20);
      v = await json<Job>(await api(app, "GET", `/admin/jobs/${verify.id}`, undefined, admin.bearer));
    }
    expect(v.result).toMatchObject({ ok: true, problems: [] });
    expect((await api(app, "POST", "/admin/backups/..%2F..%2Fetc/verify", undefined, admin.bearer)).status).toBe(404);
    expect(readdirSync(join(app.dataDir)).some((f) => f.startsWith(".backup-staging"))).toBe(false);
  }, 30_000);
});

describe("schedule", () => {
  test("a scheduled backup runs once its interval has passed and keeps only the newest N archives", async () => {
    const app = await createTestApp();
    apps.push(app);
    const core = app.server.core;
    expect(backupHours(core)).toBe(24);
    expect(backupKeep(core)).toBe(7);
    await setBackupSchedule(core, { hours: 1, keep: 2 });
    await writeSetting(app.server.queue, "backup_last_at", new Date().toISOString());
    expect(await scheduledBackupDue(core)).toBeNull(); // not due yet
    for (let i = 0; i < 3; i++) {
      await writeSetting(app.server.queue, "backup_last_at", new Date(Date.now() - 2 * 3_600_000).toISOString());
      expect(await scheduledBackupDue(core)).not.toBeNull();
      await jobRunner(core).settled();
      await Bun.sleep(1100); // archive names carry the second
    }
    const names = readdirSync(join(app.dataDir, "backups")).filter((n) => n.endsWith(".tar.gz"));
    expect(names.length).toBe(2);
    await setBackupSchedule(core, { hours: 0 });
    await writeSetting(app.server.queue, "backup_last_at", "2000-01-01T00:00:00.000Z");
    expect(await scheduledBackupDue(core)).toBeNull(); // 0 = off
    const log = app.server.db.reader.query("SELECT admin_id, detail FROM admin_audit_log WHERE action = 'backup.create'").all() as { admin_id: bigint | null; detail: string }[];
    expect(log.length).toBe(3);
    expect(log.every((r) => r.admin_id === null && JSON.parse(r.detail).scheduled === true)).toBe(true);
  }, 30_000);
});

describe("restarts", () => {
  test("a restart marks an interrupted job failed and removes what it left behind", async () => {
    const app = await createTestApp();
    const dataDir = app.dataDir;
    const { ids } = await import("../db/snowflake.ts");
    const job = ids.nextString();
    await app.server.queue.write(({ sqlite }) => sqlite.query("INSERT INTO jobs (id, kind, status, progress, created_at) VALUES (?, 'import', 'running', 0.4, ?)").run(BigInt(job), new Date().toISOString()));
    await app.server.stop();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dataDir, ".backup-staging-1-2", "files"), { recursive: true });
    mkdirSync(join(dataDir, "imports"), { recursive: true });
    writeFileSync(join(dataDir, "imports", "abc.upload"), "half an upload");
    mkdirSync(join(dataDir, "backups"), { recursive: true });
    writeFileSync(join(dataDir, "backups", "pokynano-20260101-000000.tar.gz.partial-123"), "half an archive");
    const again = await createTestApp({ dataDir });
    apps.push(again);
    await Bun.sleep(50);
    const row = again.server.db.reader.query("SELECT status, error FROM jobs WHERE id = ?").get(BigInt(job)) as { status: string; error: string };
    expect(row).toEqual({ status: "failed", error: "interrupted by a server restart" });
    expect(readdirSync(dataDir).some((n) => n.startsWith(".backup-staging"))).toBe(false);
    expect(readdirSync(join(dataDir, "imports"))).toEqual([]);
    expect(readdirSync(join(dataDir, "backups"))).toEqual([]);
  }, 30_000);
});

describe("upgrades", () => {
  test("before migrating an existing database the server copies it, and a failing migration leaves it untouched", async () => {
    const app = await createTestApp();
    const dataDir = app.dataDir;
    await app.server.stop();
    // Pretend migration 15 is new: it will try to create tables that exist, and fail.
    const db = new Database(join(dataDir, DB_FILE));
    db.run("DELETE FROM schema_migrations WHERE id = 15");
    const before = (db.query("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n;
    db.close();
    await expect(createTestApp({ dataDir })).rejects.toThrow(/already exists/);
    const copies = readdirSync(join(dataDir, "backups")).filter((n) => /^pre-migrate-00\d\d-.*\.db$/.test(n));
    expect(copies.length).toBe(1);
    const after = new Database(join(dataDir, DB_FILE), { readonly: true });
    expect((after.query("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n).toBe(before);
    expect(after.query("SELECT id FROM schema_migrations WHERE id = 15").get()).toBeNull();
    after.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);
});
