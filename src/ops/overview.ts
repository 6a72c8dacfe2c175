// The admin overview: instance totals (read when the page asks) and a short history of live figures
// sampled every 5 s in memory (10 minutes), which the console's charts draw.
import type { Core } from "../core.ts";
import { databaseSize } from "../db/client.ts";
import { snowflakeAt } from "../db/snowflake.ts";
import { VERSION } from "../version.ts";
import { metricsFor, percentile } from "./metrics.ts";

export const SAMPLE_EVERY_MS = 5000;
const KEEP = 120;

export interface Sample {
  t: number; // unix seconds
  connections: number;
  messagesPerMin: number;
  requestP99: number; // ms, over the last interval
  commitP99: number; // ms
  rssMb: number;
}

interface State {
  startedAt: number;
  samples: Sample[];
}
const states = new WeakMap<Core, State>();
const state = (core: Core) => {
  let s = states.get(core);
  if (!s) states.set(core, (s = { startedAt: Date.now(), samples: [] }));
  return s;
};

export function messagesLastMinute(core: Core): number {
  const since = snowflakeAt(new Date(Date.now() - 60_000));
  return Number(core.db.reader.query<{ n: bigint }, [bigint]>("SELECT count(*) AS n FROM messages WHERE id >= ?").get(since)!.n);
}

export function takeSample(core: Core): Sample {
  const s = state(core);
  const m = metricsFor(core);
  // Durations since the previous sample (the lists are emptied after each sample, and bounded).
  const sample: Sample = {
    t: Math.floor(Date.now() / 1000),
    connections: core.hub.connectionCount,
    messagesPerMin: messagesLastMinute(core),
    requestP99: Math.round(percentile(m.recentRequestMs, 99) * 100) / 100,
    commitP99: Math.round(percentile(m.recentCommitMs, 99) * 100) / 100,
    rssMb: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10,
  };
  m.recentRequestMs.length = 0;
  m.recentCommitMs.length = 0;
  s.samples.push(sample);
  if (s.samples.length > KEEP) s.samples.splice(0, s.samples.length - KEEP);
  return sample;
}

export function startSampler(core: Core): () => void {
  state(core);
  takeSample(core);
  const timer = setInterval(() => {
    try {
      takeSample(core);
    } catch (err) {
      core.logger.warn("overview sample failed", { err });
    }
  }, SAMPLE_EVERY_MS);
  return () => clearInterval(timer);
}

export const samples = (core: Core): Sample[] => state(core).samples;

export interface Totals {
  users: number;
  servers: number;
  messages: number;
  storageBytes: number;
  dbBytes: number;
  connections: number;
  messagesPerMin: number;
  requestP99: number;
  commitP99: number;
  rssMb: number;
  uptimeSeconds: number;
  version: string;
}

export function totals(core: Core): Totals {
  const one = (q: string) => Number((core.db.reader.query(q).get() as { n: bigint | number | null }).n ?? 0);
  const last = samples(core).at(-1);
  return {
    users: one("SELECT count(*) AS n FROM users WHERE deleted_at IS NULL AND is_bot = 0"),
    servers: one("SELECT count(*) AS n FROM guilds"),
    messages: one("SELECT count(*) AS n FROM messages"),
    // Stored copies are shared by identical uploads: count each once.
    storageBytes: one("SELECT sum(size) AS n FROM (SELECT DISTINCT sha256, size FROM attachments)"),
    dbBytes: databaseSize(core.db.path) + databaseSize(`${core.db.path}-wal`),
    connections: core.hub.connectionCount,
    messagesPerMin: messagesLastMinute(core),
    requestP99: last?.requestP99 ?? 0,
    commitP99: last?.commitP99 ?? 0,
    rssMb: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10,
    uptimeSeconds: Math.floor((Date.now() - state(core).startedAt) / 1000),
    version: VERSION,
  };
}
