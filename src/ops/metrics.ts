// Prometheus metrics (prom-client), one registry per running server so that tests running several
// servers in one process do not mix their figures. Features set their own figures through the
// small API at the bottom (setVoiceRooms for the voice engineer) instead of importing prom-client.
import client from "prom-client";
import type { Core } from "../core.ts";

// Buckets in seconds: a page or API call is 1-50 ms here; a commit waits for fsync (~0.1-5 ms).
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** Durations kept for the console's p99 figures (the histogram cannot give exact percentiles). */
const RECENT = 2048;

export interface Metrics {
  registry: client.Registry;
  requests: client.Histogram<"method" | "route" | "status">;
  commits: client.Histogram;
  voiceRooms: client.Gauge;
  recentRequestMs: number[];
  recentCommitMs: number[];
}

const perServer = new WeakMap<Core, Metrics>();

function remember(list: number[], ms: number): void {
  list.push(ms);
  // Trimmed a quarter at a time: shifting 2,048 entries on every request and commit cost
  // microseconds each under load (the p99 is then over the newest 2,048 to 2,560).
  if (list.length > RECENT + RECENT / 4) list.splice(0, list.length - RECENT);
}

export function metricsFor(core: Core): Metrics {
  let m = perServer.get(core);
  if (m) return m;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "pokynano_" });
  const registers = [registry];
  const hub = core.hub;
  m = {
    registry,
    requests: new client.Histogram({ name: "pokynano_http_request_duration_seconds", help: "HTTP requests by route pattern, method and status.", labelNames: ["method", "route", "status"], buckets: REQUEST_BUCKETS, registers }),
    commits: new client.Histogram({ name: "pokynano_db_commit_duration_seconds", help: "Time of each group commit (BEGIN IMMEDIATE to COMMIT, fsync included).", buckets: COMMIT_BUCKETS, registers }),
    voiceRooms: new client.Gauge({ name: "pokynano_voice_rooms", help: "Voice rooms with at least one participant.", registers }),
    recentRequestMs: [],
    recentCommitMs: [],
  };
  new client.Gauge({ name: "pokynano_connections", help: "Open WebSockets (browser tabs and gateway clients).", registers, collect() { this.set(hub.connectionCount); } });
  new client.Counter({ name: "pokynano_hub_events_total", help: "Events published to the realtime hub.", registers, collect() { this.reset(); this.inc(hub.publishedEvents); } });
  new client.Counter({ name: "pokynano_db_writes_total", help: "Writes committed through the commit queue.", registers, collect() { this.reset(); this.inc(core.queue.stats.writes); } });
  const metrics = m;
  core.queue.onCommit = (ms) => {
    metrics.commits.observe(ms / 1000);
    remember(metrics.recentCommitMs, ms);
  };
  perServer.set(core, m);
  return m;
}

export function observeRequest(core: Core, method: string, route: string, status: number, ms: number): void {
  const m = metricsFor(core);
  m.requests.observe({ method, route, status: String(status) }, ms / 1000);
  remember(m.recentRequestMs, ms);
}

/** For the voice feature: the number of voice rooms with someone in them. */
export function setVoiceRooms(core: Core, rooms: number): void {
  metricsFor(core).voiceRooms.set(rooms);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
