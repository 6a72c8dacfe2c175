// Group commit under synchronous=FULL: acknowledged single-row writes/s with 64 concurrent
// writers through the commit queue, against the same queue used one write at a time (each
// awaited before the next). Interleaved A B A B; the raw bun:sqlite autocommit insert rate is
// reported as a second baseline (what SQLite alone does with one commit per row).
import { rmSync } from "node:fs";
import { openDatabase } from "../src/db/client.ts";
import { CommitQueue } from "../src/db/commit-queue.ts";
import { median, round, tempDir, type Figure } from "./support.ts";

const ROUND_MS = 1500;

function setup() {
  const dir = tempDir("pokynano-bench-gc-");
  const db = openDatabase(dir);
  db.writer.run("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT");
  const insert = db.writer.query("INSERT INTO t (body) VALUES (?)");
  const queue = new CommitQueue({ sqlite: db.writer, orm: db.writeOrm });
  return { dir, db, insert, queue };
}

async function queued(writers: number): Promise<number> {
  const { dir, db, insert, queue } = setup();
  let acked = 0;
  const deadline = performance.now() + ROUND_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < deadline) {
        await queue.write(() => insert.run(`writer ${w} says hello`));
        acked++;
      }
    }),
  );
  const rate = acked / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

function rawAutocommit(): number {
  const { dir, db, insert } = setup();
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ROUND_MS) {
    insert.run("raw insert");
    n++;
  }
  const rate = n / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

export async function run(): Promise<Figure[]> {
  await queued(8); // warm-up
  const grouped: number[] = [];
  const single: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 3; i++) {
    grouped.push(await queued(64));
    single.push(await queued(1));
    raw.push(rawAutocommit());
  }
  const value = Math.round(median(grouped));
  const baseline = Math.round(median(single));
  return [
    {
      bench: "group-commit",
      params: { writers: 64, synchronous: "FULL", round_ms: ROUND_MS, rounds: 3, raw_autocommit_writes_per_s: Math.round(median(raw)) },
      value,
      unit: "writes/s",
      stat: "median",
      min: Math.round(Math.min(...grouped)),
      max: Math.round(Math.max(...grouped)),
      baseline,
      ratio: round(value / baseline, 1),
      target: ">= 10x one-at-a-time",
      met: value / baseline >= 10,
    },
  ];
}
