// Shared pieces of the benchmarks: the figure format of shared/BENCHMARKS.md, medians, and
// starting a compiled binary and waiting for /healthz.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface Figure {
  bench: string;
  params: Record<string, unknown>;
  value: number;
  unit: string;
  stat: string;
  min?: number;
  max?: number;
  baseline?: number;
  ratio?: number;
  target: string;
  met: boolean;
}

export const root = resolve(import.meta.dir, "..");

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let built: string | undefined;
/** A freshly built dist binary (built once per bench run). */
export function pokynanoBinary(): string {
  if (built) return built;
  const out = join(root, "dist/pokynano");
  const res = Bun.spawnSync([process.execPath, join(root, "scripts/build.ts")], { cwd: root, stdout: "ignore", stderr: "inherit" });
  if (res.exitCode !== 0 || !existsSync(out)) throw new Error("building the binary failed");
  built = out;
  return out;
}

let baselineBuilt: string | undefined;
/** The baseline: a bare Bun.serve answering /healthz, compiled the same way. */
export function bareServerBinary(): string {
  if (baselineBuilt) return baselineBuilt;
  const dir = tempDir("pokynano-bench-bare-");
  const src = join(dir, "bare.ts");
  writeFileSync(src, `const port = Number(process.argv[process.argv.indexOf("--port") + 1]);\nBun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response("ok") });\n`);
  const out = join(dir, "bare");
  const res = Bun.spawnSync([process.execPath, "build", src, "--compile", "--outfile", out], { stdout: "ignore", stderr: "inherit" });
  if (res.exitCode !== 0) throw new Error("building the bare baseline failed");
  baselineBuilt = out;
  return out;
}

let nextPort = 39_100;
/** Spawn a server binary and resolve when /healthz answers 200; returns ms from spawn to ready. */
export async function startAndWait(cmd: string[], extraArgs: string[] = []) {
  const port = nextPort++;
  const started = performance.now();
  const proc = Bun.spawn([...cmd, "--port", String(port), ...extraArgs], { stdout: "ignore", stderr: "ignore" });
  const url = `http://127.0.0.1:${port}/healthz`;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 10_000) {
      proc.kill();
      throw new Error(`${cmd[0]} did not become healthy in 10 s`);
    }
    await Bun.sleep(2);
  }
  return { proc, port, readyMs: performance.now() - started };
}

export function rssMb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
  return kb / 1024;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** A process's utime+stime in ms (from /proc, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function api<T>(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : null) as T;
}
