// `npm test`: unit, integration, binary and browser tests in one `bun test` run, then one closing
// line "N passed, N failed" for CI. Installs Debian's Chromium when it is missing and we are root;
// otherwise says how to install it. Extra arguments go to `bun test` (e.g. `npm test -- src/db`).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const chromium = process.env.POKYNANO_CHROMIUM ?? "/usr/bin/chromium";

function sh(cmd: string[], env: Record<string, string> = {}): number {
  const res = Bun.spawnSync(cmd, { cwd: root, stdout: "inherit", stderr: "inherit", env: { ...process.env, ...env } });
  return res.exitCode ?? 1;
}

function ensureChromium(): void {
  if (existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium is needed for the browser tests and is missing at ${chromium}.\nInstall it with:  sudo apt-get update && sudo apt-get install -y chromium\n(or point POKYNANO_CHROMIUM at a Chromium binary)`);
    process.exit(1);
  }
  console.log("Chromium is missing: installing Debian's chromium package with apt-get ...");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (sh(["apt-get", "update", "-qq"], env) !== 0 || sh(["apt-get", "install", "-y", "-qq", "chromium"], env) !== 0 || !existsSync(chromium)) {
    console.error("Installing Chromium failed; install it by hand: apt-get install -y chromium");
    process.exit(1);
  }
}

if (sh([process.execPath, "scripts/prepare.ts"]) !== 0) process.exit(1);
ensureChromium();

const report = join(tmpdir(), `pokynano-junit-${process.pid}.xml`);
const code = sh([process.execPath, "test", "--reporter=junit", `--reporter-outfile=${report}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const xml = readFileSync(report, "utf8");
  const attr = (name: string) => Number(new RegExp(`<testsuites[^>]*\\b${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  failed = attr("failures") + attr("errors");
  passed = attr("tests") - failed - attr("skipped");
  rmSync(report, { force: true });
}
// A crash before any test ran must not read as green.
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
