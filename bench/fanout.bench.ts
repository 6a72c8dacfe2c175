// Fan-out: how long a new message takes to reach every browser tab showing the channel.
// One sender (this process) posts 50 messages/s through the HTTP API for 4 s (after 0.5 s of
// warm-up messages that are not counted); N WebSocket clients (/ws?channel=..., the browser
// socket, all on one account as tabs are) run in a separate process (bench/fanout-clients.ts)
// and note when each frame arrives. Latency of a message = the last of the N arrivals minus the
// moment the sender started its POST (both read performance.timeOrigin + performance.now(),
// which agrees across processes on one machine). It includes the durable commit
// (synchronous=FULL), the render and the publish.
// Baseline: a bare Bun.serve (compiled the same way) that subscribes every socket to one topic and,
// on POST /publish, publishes a frame of the same size holding the same content; same client
// process, same sender, interleaved ours/baseline per N (N=1000 three times: A B A B A B).
// Latency figures are the median round's (min/max over rounds); all rounds' samples pooled are in params.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { median, pokynanoBinary, round, rssMb, startAndWait, tempDir, type Figure, percentile, cpuMs, api } from "./support.ts";

const RATE = 50; // messages/s
const WARMUP_MSGS = 25; // 0.5 s
const MEASURED_MSGS = 200; // 4 s
const MAX_IN_FLIGHT = 32;
const PASSWORD = "bench-fanout-Kd3PzQ7w";
const CLIENTS_SCRIPT = join(import.meta.dir, "fanout-clients.ts");
// Each entry is one interleaved pair (ours, then the baseline): one round at N=10 and N=100, three
// at N=1000 where the targets are (about 50 s in all).
const PLAN: number[] = [10, 100, 1000, 1000, 1000];
const P99_TARGET_MS = 50;
const RATIO_TARGET = 1.5;

const now = () => performance.timeOrigin + performance.now();




const BARE_SOURCE = `
const argv = process.argv;
const port = Number(argv[argv.indexOf("--port") + 1]);
const frameBytes = Number(argv[argv.indexOf("--frame-bytes") + 1]);
const head = '<hx-partial hx-target="#messages" hx-swap="beforeend"><article class="message">';
const tail = "</article></hx-partial>";
Bun.serve({
  port,
  hostname: "127.0.0.1",
  async fetch(req, srv) {
    const url = new URL(req.url);
    if (url.pathname === "/ws") return srv.upgrade(req, { data: {} }) ? undefined : new Response("expected a WebSocket upgrade", { status: 426 });
    if (url.pathname === "/publish" && req.method === "POST") {
      const body = await req.json();
      const inner = head + String(body.content);
      srv.publish("channel", inner + " ".repeat(Math.max(0, frameBytes - Buffer.byteLength(inner) - tail.length)) + tail);
      return Response.json({ ok: true });
    }
    return new Response("ok");
  },
  websocket: { open(ws) { ws.subscribe("channel"); }, message() {} },
});
`;

function buildBare(dir: string): string {
  const src = join(dir, "fanout-bare.ts");
  writeFileSync(src, BARE_SOURCE);
  const out = join(dir, "fanout-bare");
  const res = Bun.spawnSync([process.execPath, "build", src, "--compile", "--outfile", out], { stdout: "ignore", stderr: "inherit" });
  if (res.exitCode !== 0) throw new Error("building the fan-out baseline failed");
  return out;
}

/** Reads a child's stdout line by line. */
function lineReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  return async (timeoutMs: number): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return line;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("the client process did not answer in time");
      let timer: Timer | undefined;
      const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left)))]);
      clearTimeout(timer);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`the client process ended early: ${buf.slice(0, 300)}`);
      buf += decoder.decode(chunk.value, { stream: true });
    }
  };
}

interface Target {
  kind: "ours" | "bare";
  pid: number;
  wsUrl: string;
  wsHeaders: Record<string, string>;
  post: (seq: number, content: string) => Promise<boolean>;
}

interface Phase {
  kind: "ours" | "bare";
  n: number;
  latencies: number[];
  delivered: number;
  expected: number;
  incomplete: number;
  sendFailed: number;
  skipped: number;
  frameBytes: number;
  closedEarly: number;
  unmatched: number;
  openMs: number;
  serverCpuMsPerMsg: number;
  clientCpuPct: number;
  ackP50: number;
}

let phaseNo = 0;

async function phase(target: Target, n: number): Promise<Phase> {
  const tag = `p${++phaseNo}`;
  const child = Bun.spawn([process.execPath, CLIENTS_SCRIPT, JSON.stringify({ url: target.wsUrl, n, headers: target.wsHeaders })], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  try {
    const readLine = lineReader(child.stdout);
    const ready = JSON.parse(await readLine(30_000)) as { opened: number; failed: number; open_ms: number };
    if (ready.opened !== n) throw new Error(`${target.kind}: only ${ready.opened} of ${n} sockets opened (${ready.failed} failed)`);
    await Bun.sleep(200); // let the last subscriptions settle

    const total = WARMUP_MSGS + MEASURED_MSGS;
    const sentAt: number[] = [];
    const ackMs: number[] = [];
    let sendFailed = 0;
    let skipped = 0;
    let inFlight = 0;
    const pending: Promise<void>[] = [];
    let cpuStart = 0;
    let clientCpuStart = 0;
    let windowStart = 0;
    const started = performance.now();
    for (let seq = 0; seq < total; seq++) {
      const wait = started + (seq * 1_000) / RATE - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      if (seq === WARMUP_MSGS) {
        cpuStart = cpuMs(target.pid);
        clientCpuStart = cpuMs(child.pid);
        windowStart = performance.now();
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      inFlight++;
      const t0 = now();
      sentAt[seq] = t0;
      pending.push(
        target.post(seq, `fanout fo${seq}x ${tag} hello everyone in the channel`).then((ok) => {
          inFlight--;
          if (ok) ackMs.push(now() - t0);
          else sendFailed++;
        }),
      );
    }
    await Promise.all(pending);
    child.stdin.write(`report ${total - 1} 3000\n`);
    child.stdin.flush();
    const windowMs = performance.now() - windowStart;
    const serverCpu = cpuMs(target.pid) - cpuStart;
    const clientCpu = cpuMs(child.pid) - clientCpuStart;
    const report = JSON.parse(await readLine(10_000)) as {
      sockets: number;
      frame_bytes: number;
      closed_early: number;
      unmatched: number;
      seqs: { count: number; first: number | null; last: number | null }[];
    };
    const latencies: number[] = [];
    let delivered = 0;
    let incomplete = 0;
    for (let seq = WARMUP_MSGS; seq < total; seq++) {
      const s = report.seqs[seq]!;
      delivered += Math.min(s.count, n);
      if (s.count >= n && s.last !== null && sentAt[seq] !== undefined) latencies.push(s.last - sentAt[seq]!);
      else incomplete++;
    }
    return {
      kind: target.kind,
      n,
      latencies,
      delivered,
      expected: MEASURED_MSGS * n,
      incomplete,
      sendFailed,
      skipped,
      frameBytes: report.frame_bytes,
      closedEarly: report.closed_early,
      unmatched: report.unmatched,
      openMs: ready.open_ms,
      serverCpuMsPerMsg: serverCpu / MEASURED_MSGS,
      clientCpuPct: (clientCpu / windowMs) * 100,
      ackP50: percentile(ackMs, 50),
    };
  } finally {
    child.kill("SIGTERM");
    await child.exited;
  }
}

/** One socket, one message: checks the socket is accepted and gives the size of a message frame. */
async function probeFrameBytes(wsUrl: string, headers: Record<string, string>, send: () => Promise<boolean>): Promise<number> {
  const ws = new WebSocket(wsUrl, { headers } as never); // Bun's headers option
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`the WebSocket ${wsUrl} was refused`));
  });
  let timer: Timer | undefined;
  const frame = new Promise<string>((resolve, reject) => {
    ws.onmessage = (ev) => resolve(String(ev.data));
    timer = setTimeout(() => reject(new Error("no frame arrived for the probe message")), 5_000);
  });
  try {
    if (!(await send())) throw new Error("the probe message was not accepted");
    return Buffer.byteLength(await frame);
  } finally {
    clearTimeout(timer);
    ws.close();
  }
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const dataDir = tempDir("pokynano-bench-fanout-");
  const bareDir = tempDir("pokynano-bench-fanout-bare-");
  const servers: { proc: Bun.Subprocess }[] = [];
  try {
    const bareBinary = buildBare(bareDir);
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "fanout", "--admin", "--password-stdin", "--data-dir", dataDir], {
      stdin: new Blob([`${PASSWORD}\n`]),
      stdout: "ignore",
      stderr: "pipe",
    });
    if ((await create.exited) !== 0) throw new Error(`create-user failed: ${await new Response(create.stderr).text()}`);
    const server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir, "--log-level", "warn"]);
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    const { token } = await api<{ token: string }>(base, "POST", "/api/v10/auth/login", null, { login: "fanout", password: PASSWORD });
    await api(base, "PATCH", "/api/v10/admin/instance", token, { message_rate_limit: 0 });
    const guild = await api<{ id: string }>(base, "POST", "/api/v10/guilds", token, { name: "fanout bench" });
    const channels = await api<{ id: string; type: number }[]>(base, "GET", `/api/v10/guilds/${guild.id}/channels`, token);
    const channelId = channels.find((c) => c.type === 0)?.id;
    if (!channelId) throw new Error("the new guild has no text channel");

    const sendHeaders = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
    const ours: Target = {
      kind: "ours",
      pid: server.proc.pid,
      wsUrl: `ws://127.0.0.1:${server.port}/ws?channel=${channelId}`,
      wsHeaders: { Cookie: `pokynano_session=${token}`, Origin: base },
      post: async (seq, content) => {
        try {
          const res = await fetch(`${base}/api/v10/channels/${channelId}/messages`, { method: "POST", headers: sendHeaders, body: JSON.stringify({ content, nonce: `n${phaseNo}-${seq}` }) });
          await res.arrayBuffer();
          return res.status === 200;
        } catch {
          return false;
        }
      },
    };
    const frameBytes = await probeFrameBytes(ours.wsUrl, ours.wsHeaders, () => ours.post(0, `fanout fo0x p0 hello everyone in the channel`));

    const bareServer = await startAndWait([bareBinary], ["--frame-bytes", String(frameBytes)]);
    servers.push(bareServer);
    const bareBase = `http://127.0.0.1:${bareServer.port}`;
    const bare: Target = {
      kind: "bare",
      pid: bareServer.proc.pid,
      wsUrl: `ws://127.0.0.1:${bareServer.port}/ws`,
      wsHeaders: { Cookie: `pokynano_session=${token}`, Origin: bareBase },
      post: async (seq, content) => {
        try {
          const res = await fetch(`${bareBase}/publish`, { method: "POST", headers: sendHeaders, body: JSON.stringify({ content, nonce: `n${phaseNo}-${seq}` }) });
          await res.arrayBuffer();
          return res.status === 200;
        } catch {
          return false;
        }
      },
    };

    const phases: Phase[] = [];
    for (const n of PLAN) {
      phases.push(await phase(ours, n));
      phases.push(await phase(bare, n));
    }
    const hwmMb = rssMb(server.proc.pid, "VmHWM");
    const load = round(loadavg()[0]!, 2);

    const figures: Figure[] = [];
    for (const n of [...new Set(PLAN)]) {
      const a = phases.filter((p) => p.kind === "ours" && p.n === n);
      const b = phases.filter((p) => p.kind === "bare" && p.n === n);
      const lat = a.flatMap((p) => p.latencies);
      const bLat = b.flatMap((p) => p.latencies);
      const delivered = a.reduce((s, p) => s + p.delivered, 0);
      const expected = a.reduce((s, p) => s + p.expected, 0);
      const bDelivered = b.reduce((s, p) => s + p.delivered, 0);
      const bExpected = b.reduce((s, p) => s + p.expected, 0);
      const sendFailed = a.reduce((s, p) => s + p.sendFailed + p.skipped, 0);
      const complete = delivered === expected && sendFailed === 0;
      const p50s = a.map((p) => percentile(p.latencies, 50));
      const p99s = a.map((p) => percentile(p.latencies, 99));
      const bP99s = b.map((p) => percentile(p.latencies, 99));
      const p50 = median(p50s);
      const p99 = median(p99s);
      const bP50 = median(b.map((p) => percentile(p.latencies, 50)));
      const bP99 = median(bP99s);
      const params = {
        subscribers: n,
        sender_rate_per_s: RATE,
        measured_messages_per_round: MEASURED_MSGS,
        warmup_messages: WARMUP_MSGS,
        rounds: a.length,
        order: "ours then baseline for each N in " + PLAN.join(", "),
        frame_bytes: a[0]?.frameBytes,
        baseline_frame_bytes: b[0]?.frameBytes,
        clients: "separate process, one account, all sockets in one channel",
        clock: "performance.timeOrigin + performance.now() in sender and clients",
        latency: "POST started -> frame arrived at the last of N sockets",
        delivered,
        expected,
        baseline_delivered: bDelivered,
        baseline_expected: bExpected,
        send_failed: sendFailed,
        closed_early: a.reduce((s, p) => s + p.closedEarly, 0),
        max_ms: round(Math.max(...lat), 1),
        baseline_max_ms: round(Math.max(...bLat), 1),
        per_round_p50_ms: p50s.map((v) => round(v, 1)),
        per_round_p99_ms: p99s.map((v) => round(v, 1)),
        baseline_per_round_p99_ms: bP99s.map((v) => round(v, 1)),
        pooled_p99_ms: round(percentile(lat, 99), 1),
        baseline_pooled_p99_ms: round(percentile(bLat, 99), 1),
        ack_p50_ms: round(median(a.map((p) => p.ackP50)), 1),
        server_cpu_ms_per_msg: round(median(a.map((p) => p.serverCpuMsPerMsg)), 2),
        baseline_cpu_ms_per_msg: round(median(b.map((p) => p.serverCpuMsPerMsg)), 2),
        client_process_cpu_pct: round(median(a.map((p) => p.clientCpuPct))),
        baseline_client_process_cpu_pct: round(median(b.map((p) => p.clientCpuPct))),
        socket_open_ms: a.map((p) => p.openMs),
        ...(n === Math.max(...PLAN) ? { server_vmhwm_mb: round(hwmMb) } : {}),
        machine_load_1m: load,
      };
      figures.push(
        {
          bench: "fanout",
          params,
          value: round((delivered / expected) * 100, 3),
          unit: "% delivered",
          stat: "delivered/expected",
          baseline: round((bDelivered / bExpected) * 100, 3),
          target: "100%",
          met: complete,
        },
        {
          bench: "fanout",
          params,
          value: round(p50, 2),
          unit: "ms",
          stat: "p50",
          min: round(Math.min(...p50s), 2),
          max: round(Math.max(...p50s), 2),
          baseline: round(bP50, 2),
          ratio: round(p50 / bP50, 2),
          target: "report",
          met: complete,
        },
        {
          bench: "fanout",
          params,
          value: round(p99, 2),
          unit: "ms",
          stat: "p99",
          min: round(Math.min(...p99s), 2),
          max: round(Math.max(...p99s), 2),
          baseline: round(bP99, 2),
          ratio: round(p99 / bP99, 2),
          target: n === 1000 ? `<= ${P99_TARGET_MS} ms` : "report",
          met: complete && (n !== 1000 || p99 <= P99_TARGET_MS),
        },
        {
          bench: "fanout",
          params,
          value: round(p99 / bP99, 2),
          unit: "x baseline",
          stat: "p99 / baseline p99",
          baseline: round(bP99, 2),
          ratio: round(p99 / bP99, 2),
          // Issue 5: "Target p99 <= 50 ms at 1000 ..., and within 1.5x of a bare Bun.serve publish
          // loop": both at N=1000 (the comment on PLAN). At 10 and 100 the bare loop's p99 is 1-4 ms
          // and the ratio measures the fixed cost of a durable send (HTTP, commit, render), which
          // the send-throughput bench covers; it is reported.
          target: n === 1000 ? `<= ${RATIO_TARGET}x baseline` : "report",
          met: complete && (n !== 1000 || p99 / bP99 <= RATIO_TARGET),
        },
      );
    }
    return figures;
  } finally {
    for (const s of servers) {
      s.proc.kill("SIGTERM");
      await s.proc.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
}
