// `npm test`: unit, integration, binary and browser tests in one `bun test` run, then one closing
// line "N passed, N failed" for CI. Installs Debian's Chromium and coturn when they are missing and
// we are root; otherwise says how to install them. Extra arguments go to `bun test` (e.g. `npm test -- src/db`).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const chromium = process.env.POKYNANO_CHROMIUM ?? "/usr/bin/chromium";

function sh(cmd: string[], env: Record<string, string> = {}): number {
  const res = Bun.spawnSync(cmd, { cwd: root, stdout: "inherit", stderr: "inherit", env: { ...process.env, ...env } });
  return res.exitCode ?? 1;
}

// Debian packages the browser and TURN tests drive: Chromium, and coturn (tests/e2e/voice-turn.test.ts).
function ensureTestPackages(): void {
  const missing = [...(existsSync(chromium) ? [] : ["chromium"]), ...(Bun.which("turnserver") ? [] : ["coturn"])];
  if (missing.length === 0) return;
  const install = `apt-get update && apt-get install -y ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) {
    console.error(`The browser and TURN tests need Debian's ${missing.join(" and ")} (missing here).\nInstall with:  sudo ${install.replace("&& apt-get", "&& sudo apt-get")}\n(or point POKYNANO_CHROMIUM at a Chromium binary)`);
    process.exit(1);
  }
  console.log(`Installing Debian's ${missing.join(" and ")} with apt-get ...`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (sh(["apt-get", "update", "-qq"], env) !== 0 || sh(["apt-get", "install", "-y", "-qq", ...missing], env) !== 0 || !existsSync(chromium) || !Bun.which("turnserver")) {
    console.error(`Installing failed; install by hand: ${install}`);
    process.exit(1);
  }
}

if (sh([process.execPath, "scripts/prepare.ts"]) !== 0) process.exit(1);
ensureTestPackages();

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
