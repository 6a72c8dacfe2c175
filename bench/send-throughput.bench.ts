// Send throughput: acknowledged messages/s through the real HTTP API
// (POST /api/v10/channels/{id}/messages, answered only after the SQLite commit under
// synchronous=FULL) with 64 concurrent senders, and the p99 time to that acknowledgement.
// Each round: 1 s warm-up, then 5 s counted. Interleaved A B A B A B with the baseline: the same
// 64-sender load (same method, headers and body size) against the bare Bun.serve binary that
// answers "ok" to anything, i.e. the ceiling of this client and of HTTP on this machine.
// Four accounts (the admin and three members who joined by invite), 16 senders each, one channel;
// the per-user send limit is set to 0 (off) through the admin API. The client is this process;
// the servers are the compiled binaries.
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { bareServerBinary, median, pokynanoBinary, round, rssMb, startAndWait, tempDir, type Figure, percentile, cpuMs, api } from "./support.ts";

const SENDERS = 64;
const ACCOUNTS = 4;
const ROUNDS = 3;
const WARMUP_MS = 1_000;
const MEASURE_MS = 5_000;
const PASSWORD = "bench-send-Hq4WmZ8p";
const TARGET = 3_000;



async function createUser(binary: string, dataDir: string, name: string, admin: boolean): Promise<void> {
  const args = [binary, "admin", "create-user", "--username", name, ...(admin ? ["--admin"] : []), "--password-stdin", "--data-dir", dataDir];
  const proc = Bun.spawn(args, { stdin: new Blob([`${PASSWORD}\n`]), stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`create-user ${name} failed: ${await new Response(proc.stderr).text()}`);
}


/** Accounts, one guild whose text channel they all belong to, and the send limit off. */
async function setup(base: string) {
  const tokens: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) tokens.push((await api<{ token: string }>(base, "POST", "/api/v10/auth/login", null, { login: `sender${i}`, password: PASSWORD })).token);
  const admin = tokens[0]!;
  await api(base, "PATCH", "/api/v10/admin/instance", admin, { message_rate_limit: 0 });
  const guild = await api<{ id: string }>(base, "POST", "/api/v10/guilds", admin, { name: "send bench" });
  const channels = await api<{ id: string; type: number }[]>(base, "GET", `/api/v10/guilds/${guild.id}/channels`, admin);
  const channelId = channels.find((c) => c.type === 0)?.id;
  if (!channelId) throw new Error("the new guild has no text channel");
  const { code } = await api<{ code: string }>(base, "POST", `/api/v10/channels/${channelId}/invites`, admin, { max_age: 0, max_uses: 0 });
  for (const token of tokens.slice(1)) await api(base, "POST", `/api/v10/invites/${code}`, token, {});
  return { tokens, channelId };
}

interface Round {
  rate: number;
  acked: number;
  failed: number;
  latencies: number[];
  serverCpuMsPerReq: number;
  clientCpuPct: number;
}

let roundNo = 0;

/** 64 loops, each sending one request and awaiting its answer before the next. */
async function loadRound(url: string, pid: number, tokens: string[]): Promise<Round> {
  const tag = `r${++roundNo}`;
  const started = performance.now();
  const warmupEnd = started + WARMUP_MS;
  const measureEnd = warmupEnd + MEASURE_MS;
  let acked = 0;
  let failed = 0;
  const latencies: number[] = [];
  let cpuStart = 0;
  let clientStart = process.cpuUsage();
  const mark = setTimeout(() => {
    cpuStart = cpuMs(pid);
    clientStart = process.cpuUsage();
  }, WARMUP_MS);
  let cpuEnd = 0;
  let clientEnd = process.cpuUsage(clientStart);
  const stop = setTimeout(() => {
    cpuEnd = cpuMs(pid);
    clientEnd = process.cpuUsage(clientStart);
  }, WARMUP_MS + MEASURE_MS);
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, s) => {
      const headers = { "Content-Type": "application/json", Authorization: `Bearer ${tokens[s % tokens.length]}` };
      for (let n = 0; performance.now() < measureEnd; n++) {
        const nonce = `${tag}s${s}n${n}`;
        const body = JSON.stringify({ content: `bench message ${nonce} from sender ${s}`, nonce });
        const t0 = performance.now();
        let ok = false;
        try {
          const res = await fetch(url, { method: "POST", headers, body });
          await res.arrayBuffer();
          ok = res.status === 200;
        } catch {
          // connection error: a failure
        }
        const t1 = performance.now();
        if (t1 < warmupEnd || t1 >= measureEnd) continue;
        if (ok) {
          acked++;
          latencies.push(t1 - t0);
        } else failed++;
      }
    }),
  );
  clearTimeout(mark);
  clearTimeout(stop);
  return {
    rate: acked / (MEASURE_MS / 1_000),
    acked,
    failed,
    latencies,
    serverCpuMsPerReq: acked ? (cpuEnd - cpuStart) / acked : NaN,
    clientCpuPct: ((clientEnd.user + clientEnd.system) / 1_000 / MEASURE_MS) * 100,
  };
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const bare = bareServerBinary();
  const dataDir = tempDir("pokynano-bench-send-");
  try {
    await createUser(binary, dataDir, "sender0", true); // the first one runs the migrations alone
    await Promise.all(Array.from({ length: ACCOUNTS - 1 }, (_, i) => createUser(binary, dataDir, `sender${i + 1}`, false)));
    const server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir, "--log-level", "warn"]);
    let baseline: Awaited<ReturnType<typeof startAndWait>> | undefined;
    try {
      baseline = await startAndWait([bare]);
      const base = `http://127.0.0.1:${server.port}`;
      const { tokens, channelId } = await setup(base);
      const oursUrl = `${base}/api/v10/channels/${channelId}/messages`;
      const bareUrl = `http://127.0.0.1:${baseline.port}/api/v10/channels/${channelId}/messages`;

      const ours: Round[] = [];
      const bares: Round[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        ours.push(await loadRound(oursUrl, server.proc.pid, tokens));
        bares.push(await loadRound(bareUrl, baseline.proc.pid, tokens));
      }
      const hwm = rssMb(server.proc.pid, "VmHWM");

      const rates = ours.map((r) => r.rate);
      const bareRates = bares.map((r) => r.rate);
      const value = median(rates);
      const baselineRate = median(bareRates);
      const failed = ours.reduce((n, r) => n + r.failed, 0) + bares.reduce((n, r) => n + r.failed, 0);
      const p99s = ours.map((r) => percentile(r.latencies, 99));
      const bareP99s = bares.map((r) => percentile(r.latencies, 99));
      const params = {
        senders: SENDERS,
        accounts: ACCOUNTS,
        channels: 1,
        rounds: ROUNDS,
        warmup_s: WARMUP_MS / 1_000,
        measure_s: MEASURE_MS / 1_000,
        order: "ours, bare, ours, bare, ours, bare",
        synchronous: "FULL",
        message_rate_limit: 0,
        per_round_msgs_per_s: rates.map((r) => Math.round(r)),
        baseline_per_round_req_per_s: bareRates.map((r) => Math.round(r)),
        failed,
        server_cpu_ms_per_msg: round(median(ours.map((r) => r.serverCpuMsPerReq)), 3),
        baseline_cpu_ms_per_req: round(median(bares.map((r) => r.serverCpuMsPerReq)), 3),
        client_cpu_pct: round(median(ours.map((r) => r.clientCpuPct))),
        baseline_client_cpu_pct: round(median(bares.map((r) => r.clientCpuPct))),
        server_vmhwm_mb: round(hwm),
        machine_load_1m: round(loadavg()[0]!, 2),
      };
      return [
        {
          bench: "send-throughput",
          params: { ...params, baseline_server: "bare Bun.serve answering \"ok\" (compiled), same client load" },
          value: Math.round(value),
          unit: "msgs/s",
          stat: "median",
          min: Math.round(Math.min(...rates)),
          max: Math.round(Math.max(...rates)),
          baseline: Math.round(baselineRate),
          ratio: round(value / baselineRate, 2),
          target: ">= 3000 msgs/s",
          met: failed === 0 && value >= TARGET,
        },
        {
          bench: "send-throughput",
          params: {
            ...params,
            latency: "request sent to 200 answer read, in the client",
            per_round_p99_ms: p99s.map((v) => round(v)),
            p50_ms: round(median(ours.map((r) => percentile(r.latencies, 50)))),
            max_ms: round(Math.max(...ours.map((r) => Math.max(...r.latencies)))),
            baseline_per_round_p99_ms: bareP99s.map((v) => round(v)),
          },
          value: round(median(p99s)),
          unit: "ms",
          stat: "p99 ack latency (median round)",
          min: round(Math.min(...p99s)),
          max: round(Math.max(...p99s)),
          baseline: round(median(bareP99s)),
          ratio: round(median(p99s) / median(bareP99s), 1),
          target: "report",
          met: failed === 0,
        },
      ];
    } finally {
      for (const s of [server, baseline]) {
        if (!s) continue;
        s.proc.kill("SIGTERM");
        await s.proc.exited;
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
