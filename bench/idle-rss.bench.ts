// Idle memory: the binary after start and one page view, left alone for 2 s; VmRSS from /proc.
// Baseline: a bare compiled Bun.serve (Bun's own floor).
import { rmSync } from "node:fs";
import { bareServerBinary, median, pokynanoBinary, round, rssMb, startAndWait, tempDir, type Figure } from "./support.ts";

async function idleRss(cmd: string[], warmPath: string): Promise<number> {
  const s = await startAndWait(cmd);
  await (await fetch(`http://127.0.0.1:${s.port}${warmPath}`)).text();
  await Bun.sleep(2000);
  const mb = rssMb(s.proc.pid);
  s.proc.kill("SIGTERM");
  await s.proc.exited;
  return mb;
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const bare = bareServerBinary();
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dataDir = tempDir("pokynano-bench-rss-");
    ours.push(await idleRss([binary, "--host", "127.0.0.1", "--data-dir", dataDir], "/"));
    rmSync(dataDir, { recursive: true, force: true });
    base.push(await idleRss([bare], "/healthz"));
  }
  const value = round(median(ours));
  const baseline = round(median(base));
  return [
    {
      bench: "idle-rss",
      params: { rounds: ours.length, settle_ms: 2000 },
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
