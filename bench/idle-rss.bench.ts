// Idle memory: the binary after start and one page view, left alone for 2 s; VmRSS from /proc.
// Baseline: a bare compiled Bun.serve (Bun's own floor).
import { readFileSync, rmSync } from "node:fs";
import { bareServerBinary, median, pokynanoBinary, round, rssMb, startAndWait, tempDir, type Figure } from "./support.ts";

/** RSS, and how much of it is private memory vs pages of the executable file (shared, reclaimable). */
async function idleRss(cmd: string[], warmPath: string): Promise<{ rss: number; anon: number; file: number }> {
  const s = await startAndWait(cmd);
  await (await fetch(`http://127.0.0.1:${s.port}${warmPath}`)).text();
  await Bun.sleep(2000);
  const rollup = readFileSync(`/proc/${s.proc.pid}/smaps_rollup`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(rollup)?.[1] ?? 0) / 1024;
  const result = { rss: rssMb(s.proc.pid), anon: kb("Pss_Anon"), file: kb("Pss_File") };
  s.proc.kill("SIGTERM");
  await s.proc.exited;
  return result;
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const bare = bareServerBinary();
  const ours: number[] = [];
  const base: number[] = [];
  const split: { anon: number; file: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const dataDir = tempDir("pokynano-bench-rss-");
    const r = await idleRss([binary, "--host", "127.0.0.1", "--data-dir", dataDir], "/");
    ours.push(r.rss);
    split.push(r);
    rmSync(dataDir, { recursive: true, force: true });
    base.push((await idleRss([bare], "/healthz")).rss);
  }
  const value = round(median(ours));
  const baseline = round(median(base));
  return [
    {
      bench: "idle-rss",
      params: { rounds: ours.length, settle_ms: 2000, private_anon_mb: round(median(split.map((x) => x.anon))), executable_file_mb: round(median(split.map((x) => x.file))) },
      value,
      unit: "MB",
      stat: "median",
      min: round(Math.min(...ours)),
      max: round(Math.max(...ours)),
      baseline,
      ratio: round(value / baseline, 2),
      target: "< 64 MB",
      met: value < 64,
    },
  ];
}
