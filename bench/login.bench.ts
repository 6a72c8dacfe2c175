// Login: argon2id password checks against the compiled binary. Three figures:
// - login-latency: p50/p99 of sequential successful logins (informational);
// - login-throughput: successful logins/s with 8 concurrent clients, median 1 s bucket of 5;
// - login-event-loop-stall: worst /healthz latency (probed every 20 ms) while logins run at up
//   to 20/s, minus the worst with no login load; windows interleaved baseline, load, baseline, load.
// Accounts are made with `admin create-user` before the server starts. The login rate limit
// (30 attempts per IP per 10 minutes) would stop the run after 30 logins, so the server runs with
// --trust-proxy and every request carries its own X-Forwarded-For address (10.x.y.z): that is only
// a header, all traffic goes to 127.0.0.1. The client is this process; the server is the binary.
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { median, pokynanoBinary, round, rssMb, startAndWait, tempDir, type Figure } from "./support.ts";

// The parameters of src/auth/passwords.ts (ARGON2), not imported: that module hashes at load time.
const ARGON2_PARAMS = { algorithm: "argon2id", memory_kib: 19_456, time_cost: 2, parallelism: 1 };
const ACCOUNTS = 20;
const PASSWORD = "bench-login-Vq7ZtR2k";
const LATENCY_LOGINS = 60;
const THROUGHPUT_CLIENTS = 8;
const THROUGHPUT_SECONDS = 5;
const STALL_WINDOW_MS = 5_000;
const STALL_RATE = 20; // logins/s offered
const STALL_MAX_IN_FLIGHT = 8;
const PROBE_EVERY_MS = 20;

const username = (i: number) => `bench${i % ACCOUNTS}`;

let ipCount = 0;
/** A fresh client address per request, so neither the per-IP nor the per-account+IP limit fills. */
function nextIp(): string {
  const n = ++ipCount;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** The server's utime+stime in ms (from /proc, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // fields 14 and 15 of proc(5)
}

async function createAccounts(binary: string, dataDir: string): Promise<void> {
  const create = async (i: number) => {
    const proc = Bun.spawn([binary, "admin", "create-user", "--username", username(i), "--password-stdin", "--data-dir", dataDir], {
      stdin: new Blob([PASSWORD]),
      stdout: "ignore",
      stderr: "pipe",
    });
    if ((await proc.exited) !== 0) throw new Error(`create-user ${username(i)} failed: ${await new Response(proc.stderr).text()}`);
  };
  await create(0); // the first one runs the migrations alone
  for (let i = 1; i < ACCOUNTS; i += 4) {
    await Promise.all(Array.from({ length: Math.min(4, ACCOUNTS - i) }, (_, k) => create(i + k)));
  }
}

interface Attempt {
  ok: boolean;
  status: number;
  ms: number;
  end: number;
}

async function login(base: string, i: number, password = PASSWORD): Promise<Attempt> {
  const started = performance.now();
  let status = 0;
  let ok = false;
  try {
    const res = await fetch(`${base}/api/v10/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": nextIp() },
      body: JSON.stringify({ login: username(i), password }),
    });
    status = res.status;
    const body = (await res.json().catch(() => null)) as { token?: unknown } | null;
    ok = status === 200 && typeof body?.token === "string";
  } catch {
    // connection error: counted as a failure
  }
  const end = performance.now();
  return { ok, status, ms: end - started, end };
}

async function latency(base: string) {
  for (let i = 0; i < 5; i++) await login(base, i); // warm-up
  const wrong = await login(base, 0, "not-the-password");
  const samples: number[] = [];
  let failed = 0;
  for (let i = 0; i < LATENCY_LOGINS; i++) {
    const a = await login(base, i);
    if (a.ok) samples.push(a.ms);
    else failed++;
  }
  return { samples, failed, wrongStatus: wrong.status };
}

async function throughput(base: string, pid: number) {
  const warmupEnd = performance.now() + 1_000;
  const measureEnd = warmupEnd + THROUGHPUT_SECONDS * 1_000;
  const buckets = Array.from({ length: THROUGHPUT_SECONDS }, () => 0);
  let failed = 0;
  let next = 0;
  let cpuStart = 0;
  let clientCpuStart = process.cpuUsage();
  let cpuMarked = false;
  const markStart = () => {
    if (cpuMarked) return;
    cpuMarked = true;
    cpuStart = cpuMs(pid);
    clientCpuStart = process.cpuUsage();
  };
  setTimeout(markStart, warmupEnd - performance.now());
  await Promise.all(
    Array.from({ length: THROUGHPUT_CLIENTS }, async () => {
      while (performance.now() < measureEnd) {
        const a = await login(base, next++);
        if (a.end < warmupEnd || a.end >= measureEnd) continue;
        if (a.ok) buckets[Math.floor((a.end - warmupEnd) / 1_000)]!++;
        else failed++;
      }
    }),
  );
  markStart();
  const serverCpu = cpuMs(pid) - cpuStart;
  const clientCpu = process.cpuUsage(clientCpuStart);
  const total = buckets.reduce((a, b) => a + b, 0);
  return {
    buckets,
    failed,
    total,
    cpuMsPerLogin: total ? serverCpu / total : NaN,
    clientCpuPct: ((clientCpu.user + clientCpu.system) / 1_000 / (THROUGHPUT_SECONDS * 1_000)) * 100,
    hwmMb: rssMb(pid, "VmHWM"),
  };
}

/** Probe /healthz every 20 ms for one window; with `load`, offer logins at STALL_RATE meanwhile. */
async function stallWindow(base: string, load: boolean) {
  const started = performance.now();
  const end = started + STALL_WINDOW_MS;
  const probes: number[] = [];
  let probeFailed = 0;
  const prober = (async () => {
    for (let k = 0; ; k++) {
      const due = started + k * PROBE_EVERY_MS;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) probes.push(performance.now() - t0);
        else probeFailed++;
      } catch {
        probeFailed++;
      }
    }
  })();
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  const loader = (async () => {
    if (!load) return;
    const inFlight = new Set<Promise<void>>();
    let n = 0;
    for (let k = 0; ; k++) {
      const due = started + (k * 1_000) / STALL_RATE;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      if (inFlight.size >= STALL_MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      const p: Promise<void> = login(base, n++).then((a) => {
        if (a.ok) ok++;
        else failed++;
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  })();
  await Promise.all([prober, loader]);
  return { probes, probeFailed, ok, failed, skipped, rate: ok / (STALL_WINDOW_MS / 1_000) };
}

async function stall(base: string) {
  await stallWindow(base, false); // warm-up of the prober; also settles the throughput run
  const rounds: { base: Awaited<ReturnType<typeof stallWindow>>; load: Awaited<ReturnType<typeof stallWindow>> }[] = [];
  for (let r = 0; r < 2; r++) {
    const b = await stallWindow(base, false);
    const l = await stallWindow(base, true);
    rounds.push({ base: b, load: l });
  }
  return rounds;
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const dataDir = tempDir("pokynano-bench-login-");
  try {
    await createAccounts(binary, dataDir);
    const server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir, "--trust-proxy", "--log-level", "warn"]);
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const lat = await latency(base);
      const thr = await throughput(base, server.proc.pid);
      const st = await stall(base);

      const common = {
        accounts: ACCOUNTS,
        argon2: ARGON2_PARAMS,
        trust_proxy: true,
        client_ip: "distinct X-Forwarded-For per request",
        machine_load_1m: round(loadavg()[0]!, 2),
      };
      const p50 = percentile(lat.samples, 50);
      const p99 = percentile(lat.samples, 99);
      const latencyParams = {
        ...common,
        logins: LATENCY_LOGINS,
        concurrency: 1,
        succeeded: lat.samples.length,
        failed: lat.failed,
        wrong_password_status: lat.wrongStatus,
      };
      const latencyMet = lat.failed === 0 && lat.wrongStatus === 401;

      const thrValue = median(thr.buckets);
      const allBase = st.flatMap((r) => r.base.probes);
      const allLoad = st.flatMap((r) => r.load.probes);
      const baseMax = Math.max(...allBase);
      const loadMax = Math.max(...allLoad);
      const added = loadMax - baseMax;
      const stallFailed = st.reduce((n, r) => n + r.load.failed + r.base.probeFailed + r.load.probeFailed, 0);

      return [
        {
          bench: "login-latency",
          params: latencyParams,
          value: round(p50),
          unit: "ms",
          stat: "p50",
          min: round(Math.min(...lat.samples)),
          max: round(Math.max(...lat.samples)),
          target: "report",
          met: latencyMet,
        },
        {
          bench: "login-latency",
          params: latencyParams,
          value: round(p99),
          unit: "ms",
          stat: "p99",
          min: round(Math.min(...lat.samples)),
          max: round(Math.max(...lat.samples)),
          target: "report",
          met: latencyMet,
        },
        {
          bench: "login-throughput",
          params: {
            ...common,
            clients: THROUGHPUT_CLIENTS,
            seconds: THROUGHPUT_SECONDS,
            warmup_s: 1,
            per_second: thr.buckets,
            mean_per_s: round(thr.total / THROUGHPUT_SECONDS),
            failed: thr.failed,
            server_cpu_ms_per_login: round(thr.cpuMsPerLogin),
            server_vmhwm_mb: round(thr.hwmMb),
            client_cpu_pct: round(thr.clientCpuPct),
          },
          value: round(thrValue),
          unit: "logins/s",
          stat: "median",
          min: Math.min(...thr.buckets),
          max: Math.max(...thr.buckets),
          target: ">= 20 logins/s",
          met: thr.failed === 0 && thrValue >= 20,
        },
        {
          bench: "login-event-loop-stall",
          params: {
            ...common,
            window_s: STALL_WINDOW_MS / 1_000,
            probe_every_ms: PROBE_EVERY_MS,
            offered_logins_per_s: STALL_RATE,
            max_in_flight: STALL_MAX_IN_FLIGHT,
            achieved_logins_per_s: st.map((r) => round(r.load.rate)),
            skipped_at_cap: st.reduce((n, r) => n + r.load.skipped, 0),
            failed: stallFailed,
            probes: { baseline: allBase.length, load: allLoad.length },
            load_max_ms: round(loadMax),
            load_p99_ms: round(percentile(allLoad, 99)),
            baseline_p99_ms: round(percentile(allBase, 99)),
            p99_added_ms: round(percentile(allLoad, 99) - percentile(allBase, 99)),
            per_round_max_ms: st.map((r) => ({ baseline: round(Math.max(...r.base.probes)), load: round(Math.max(...r.load.probes)) })),
          },
          value: round(added),
          unit: "ms",
          stat: "max added",
          baseline: round(baseMax),
          target: "<= 50 ms added",
          met: stallFailed === 0 && added <= 50,
        },
      ];
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
