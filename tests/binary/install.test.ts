// install.sh into a temp prefix, twice: the second run is an upgrade that backs up and keeps data.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../../src/testing/app.ts";

const root = resolve(import.meta.dir, "../..");
const work = tempDir("pokynano-install-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

const install = (...args: string[]) => Bun.spawnSync(["bash", join(root, "install.sh"), ...args], { cwd: work, stdout: "pipe", stderr: "pipe" });

describe("install.sh", () => {
  const prefix = join(work, "prefix");
  const dataDir = join(work, "data");
  const bin = join(prefix, "bin", "pokynano");

  test("installs the binary into --prefix and prints where to open it", () => {
    const res = install("--prefix", prefix, "--data-dir", dataDir, "--no-systemd", "--port", "3456");
    expect(res.exitCode).toBe(0);
    const out = res.stdout.toString();
    expect(out).toMatch(/Pokynano is installed\. Open http:\/\/.*:3456/);
    expect(Bun.spawnSync([bin, "--version"]).stdout.toString()).toMatch(/^pokynano /);
  }, 120_000);

  test("re-running upgrades in place: the database is backed up first and the data kept", () => {
    const migrated = Bun.spawnSync([bin, "migrate", "--data-dir", dataDir]);
    expect(migrated.exitCode).toBe(0);
    const res = install("--prefix", prefix, "--data-dir", dataDir, "--no-systemd");
    expect(res.exitCode).toBe(0);
    expect(res.stdout.toString()).toContain("backing up the database");
    expect(existsSync(join(dataDir, "pokynano.db"))).toBe(true);
    expect(readdirSync(join(dataDir, "backups")).some((f) => /^pre-upgrade-.*\.db$/.test(f))).toBe(true);
    expect(Bun.spawnSync([bin, "migrate", "--status", "--data-dir", dataDir]).stdout.toString()).toContain("0 pending");
  }, 120_000);

  test("writes a hardened systemd unit that runs the installed binary on the data dir", () => {
    const units = join(work, "units");
    const res = install("--prefix", prefix, "--data-dir", dataDir, "--systemd-dir", units, "--public-url", "https://chat.example.org");
    expect(res.exitCode).toBe(0);
    const unit = readFileSync(join(units, "pokynano.service"), "utf8");
    expect(unit).toContain(`ExecStart=${bin} serve --data-dir ${dataDir} --port 3000 --public-url https://chat.example.org`);
    expect(unit).toContain(`ReadWritePaths=${dataDir}`);
    expect(unit).toContain("User=pokynano");
    expect(unit).toContain("NoNewPrivileges=true");
  }, 120_000);

  test("an unknown option is refused", () => {
    const res = install("--frob");
    expect(res.exitCode).toBe(1);
    expect(res.stderr.toString()).toContain("unknown option --frob");
  });
});
