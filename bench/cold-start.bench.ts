// Cold start: spawn the binary on a fresh data dir (so migrations run) and time until /healthz
// answers 200. Baseline: a bare compiled Bun.serve, interleaved A B A B.
import { rmSync } from "node:fs";
import { bareServerBinary, median, pokynanoBinary, round, tempDir, startAndWait, type Figure } from "./support.ts";

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const bare = bareServerBinary();
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 7; i++) {
    const dataDir = tempDir("pokynano-bench-cold-");
    const a = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir]);
    a.proc.kill("SIGTERM");
    await a.proc.exited;
    rmSync(dataDir, { recursive: true, force: true });
    const b = await startAndWait([bare]);
    b.proc.kill();
    await b.proc.exited;
    if (i > 0) {
      // round 0 warms the page cache
      ours.push(a.readyMs);
      base.push(b.readyMs);
    }
  }
  const value = round(median(ours));
  const baseline = round(median(base));
  return [
    {
      bench: "cold-start",
      params: { rounds: ours.length, data_dir: "fresh (migrations run)" },
      value,
      unit: "ms",
      stat: "median",
      min: round(Math.min(...ours)),
      max: round(Math.max(...ours)),
      baseline,
      ratio: round(value / baseline, 2),
      target: "< 300 ms",
      met: value < 300,
    },
  ];
}
