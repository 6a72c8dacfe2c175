// The file pipeline inside compiled binaries on both architectures we ship: files-probe.ts is
// compiled for this machine and for linux-arm64 (a Raspberry Pi), and the arm64 one runs under
// qemu-aarch64. Both must print the same thing: thumbnails made (Bun.Image), EXIF gone and the
// photo turned upright, the GIF and WebP still animated (with a first-frame thumbnail), the 20000x20000 PNG refused, types sniffed
// (file-type) and the WAV's duration read (music-metadata).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");
const ARM_LIBC = "/usr/aarch64-linux-gnu";
let work: string;

/** qemu-user and the arm64 C library come from Debian, installed like Chromium is for the browser tests. */
function ensureQemu(): void {
  if (Bun.which("qemu-aarch64") && existsSync(join(ARM_LIBC, "lib/ld-linux-aarch64.so.1"))) return;
  if (process.getuid?.() !== 0) throw new Error("Running arm64 binaries needs qemu: sudo apt-get install -y qemu-user libc6-arm64-cross");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const cmd of [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "qemu-user", "libc6-arm64-cross"]]) {
    if (Bun.spawnSync(cmd, { env, stdout: "ignore", stderr: "pipe" }).exitCode !== 0) throw new Error(`${cmd.join(" ")} failed`);
  }
}

function compile(target: string | null, outfile: string): void {
  const args = [process.execPath, "build", join(root, "tests/binary/files-probe.ts"), "--compile", "--minify", "--outfile", outfile];
  if (target) args.push(`--target=${target}`);
  const build = Bun.spawnSync(args, { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`build ${target ?? "host"} failed: ${build.stderr.toString()}`);
}

function run(cmd: string[]): Record<string, unknown> {
  const proc = Bun.spawnSync(cmd, { cwd: work, stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`${cmd[0]} exited ${proc.exitCode}: ${proc.stderr.toString()}`);
  return JSON.parse(proc.stdout.toString().trim().split("\n").pop()!);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pokynano-files-arch-"));
  ensureQemu();
  compile(null, join(work, "probe-host"));
  compile("bun-linux-arm64", join(work, "probe-arm64"));
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const expected = {
  png: { size: [3000, 1500], list: [800, 400, "webp"], preview: [1920, 960, "webp"] },
  jpeg: { size: [20, 60], exif: false },
  gif: { animated: true },
  webp: { animated: true, thumb: [4, 4, "webp"] },
  bomb: "413",
  sniff: ["audio/wav", "image/svg+xml", "image/png"],
  wavSeconds: 1.5,
};

describe("the file pipeline in compiled binaries", () => {
  test("on this machine's architecture", () => {
    expect(run([join(work, "probe-host")])).toEqual({ arch: process.arch, ...expected });
  });

  test("on linux-arm64 (under qemu-aarch64)", () => {
    expect(run(["qemu-aarch64", "-L", ARM_LIBC, join(work, "probe-arm64")])).toEqual({ arch: "arm64", ...expected });
  }, 120_000);
});
