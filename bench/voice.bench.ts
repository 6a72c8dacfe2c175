// Voice: one room, N participants each publishing Opus-sized audio (100-byte payloads, 50/s, the
// send time in the RTP timestamp), everyone receiving everyone (N(N-1) forwarded streams), through the
// compiled binary's SFU thread and its real signalling. The participants are werift peers in two
// Worker threads of this process (bench/voice-peers.ts). Once connected they count what arrives
// from the RTP headers SRTP leaves in clear (SSRC, sequence, timestamp) instead of decrypting 600
// streams, so the load generator costs little next to the server; they still encrypt what they send. Per N: loss, server CPU per forwarded
// packet, delay send -> receive as the clients see it (an upper bound of what the SFU adds: it
// includes both clients' SRTP and this process's queueing), the SFU thread's longest block, the
// server's RSS. Chat: acknowledged POST /messages latency p99 while the room runs, against the
// same load with no voice (interleaved before and after), sent from a separate process
// (bench/voice-chat.ts) so the voice clients' load does not delay the chat client.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { loadavg } from "node:os";
import { api, cpuMs, median, percentile, pokynanoBinary, round, rssMb, tempDir, type Figure } from "./support.ts";

/** Room sizes; VOICE_BENCH_SIZES=8,30 tries others. VOICE_BENCH_PORTS=50000 runs the server on one shared UDP port. */
const SIZES = (process.env.VOICE_BENCH_SIZES ?? "8,16,25").split(",").map(Number);
const WARMUP_MS = 2_000;
const MEASURE_MS = 10_000;
/** After the window, how long packets sent in it may still arrive (later ones count as lost). */
const GRACE_MS = 1_000;
/** Chat messages per second during the windows: enough samples for a p99 that one pause does not decide. */
const CHAT_PER_S = 50;
const PASSWORD = "bench-voice-Zq8RmT3x";

async function createUser(binary: string, dataDir: string, name: string, admin: boolean): Promise<void> {
  const proc = Bun.spawn([binary, "admin", "create-user", "--username", name, ...(admin ? ["--admin"] : []), "--password-stdin", "--data-dir", dataDir], { stdin: new Blob([`${PASSWORD}\n`]), stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`create-user ${name} failed: ${await new Response(proc.stderr).text()}`);
}

/** Acknowledged message sends at a steady rate for `ms`, from another process; the latencies. */
async function chat(base: string, token: string, channelId: string, ms: number): Promise<number[]> {
  const proc = Bun.spawn([process.execPath, `${import.meta.dir}/voice-chat.ts`, base, token, channelId, String(ms), String(CHAT_PER_S)], { stdout: "pipe", stderr: "inherit" });
  return JSON.parse(await new Response(proc.stdout).text()) as number[];
}

/** The kernel's count of UDP datagrams dropped for want of receive buffer (this network namespace). */
function udpDrops(): number {
  const lines = readFileSync("/proc/net/snmp", "utf8").split("\n").filter((l) => l.startsWith("Udp:"));
  const names = lines[0]!.split(/\s+/);
  const values = lines[1]!.split(/\s+/);
  return Number(values[names.indexOf("RcvbufErrors")] ?? 0);
}

/** Datagrams dropped on the UDP sockets of process `pid` (/proc/net/udp's per-socket drop count). */
function socketDrops(pid: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  let drops = 0;
  for (const table of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 12 && inodes.has(f[9]!)) drops += Number(f[12]);
    }
  }
  return drops;
}

/** The share of the last 10 s in which some runnable thread waited for a CPU (Linux PSI), %. */
function cpuPressure(): number | null {
  try {
    return Number(/some avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1] ?? NaN);
  } catch {
    return null;
  }
}

/**
 * How long the server's main thread (the chat event loop) was runnable but waiting for a CPU, ms
 * (the second field of its schedstat): on 2 cores shared with the load generator, a late timer
 * can be the scheduler's, not work on the loop. Null where the kernel does not keep it.
 */
function mainThreadWaitMs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return null;
  }
}

/** CPU time (ms) of the process's Worker threads: in the server, the SFU thread(s) only. */
function workerCpuMs(pid: number): number {
  let ms = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      if (!stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).startsWith("Worker")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the thread ended meanwhile
    }
  }
  return ms;
}

/** Ask every worker the same thing and gather their answers. */
function ask<T>(workers: Worker[], msg: Record<string, unknown>, reply: string): Promise<T[]> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<T>((resolve) => {
          const on = (e: MessageEvent) => {
            if (e.data.op !== reply) return;
            w.removeEventListener("message", on);
            resolve(e.data as T);
          };
          w.addEventListener("message", on);
          w.postMessage(msg);
        }),
    ),
  );
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const dataDir = tempDir("pokynano-bench-voice-");
  const max = Math.max(...SIZES);
  for (let i = 0; i < max; i++) await createUser(binary, dataDir, `talker${i}`, i === 0);
  const port = 39_600 + Math.floor(Math.random() * 300);
  const server = Bun.spawn([binary, "--port", String(port), "--host", "127.0.0.1", "--data-dir", dataDir, "--voice-listen-ip", "127.0.0.1", "--voice-ports", process.env.VOICE_BENCH_PORTS ?? "any", "--log-level", "info"], { stdout: Bun.file(`${dataDir}/server.log`), stderr: "inherit" });
  const base = `http://127.0.0.1:${port}`;
  const figures: Figure[] = [];
  try {
    for (let t = 0; ; t++) {
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      if (t > 200) throw new Error("server did not start");
      await Bun.sleep(50);
    }
    const tokens: { token: string; user: string }[] = [];
    for (let i = 0; i < max; i++) {
      const r = await api<{ token: string; user: { id: string } }>(base, "POST", "/api/v10/auth/login", null, { login: `talker${i}`, password: PASSWORD });
      tokens.push({ token: r.token, user: r.user.id });
    }
    const admin = tokens[0]!.token;
    await api(base, "PATCH", "/api/v10/admin/instance", admin, { message_rate_limit: 0 });
    const guild = await api<{ id: string }>(base, "POST", "/api/v10/guilds", admin, { name: "voice bench" });
    const channels = await api<{ id: string; type: number }[]>(base, "GET", `/api/v10/guilds/${guild.id}/channels`, admin);
    const textId = channels.find((c) => c.type === 0)!.id;
    const voiceId = channels.find((c) => c.type === 2)!.id;
    const { code } = await api<{ code: string }>(base, "POST", `/api/v10/channels/${textId}/invites`, admin, { max_age: 0, max_uses: 0 });
    for (const t of tokens.slice(1)) await api(base, "POST", `/api/v10/invites/${code}`, t.token, {});

    const serverStats = () => api<{ sfu: { forwarded: number; gated: number; peers: number; uplinkByUser?: Record<string, number>; maxBlockMs: number; heapUsed: number; forwardMs: { p50: number; p99: number; max: number } }; main_loop_max_block_ms: number }>(base, "GET", "/api/v10/voice/stats", admin);
    const chatBaseline = await chat(base, admin, textId, 5_000);
    for (const n of SIZES) {
      const workers = [0, 1].map(() => new Worker(`${import.meta.dir}/voice-peers.ts`));
      const share = (w: number) => tokens.slice(0, n).filter((_, i) => i % workers.length === w).map((t) => t.token);
      await Promise.all(workers.map((w, i) => ask([w], { op: "join", port, tokens: share(i), voiceId }, "joined")));
      const end = Date.now() + 40_000;
      let up = true;
      for (;;) {
        const states = await ask<{ connected: boolean; downlinks: number[] }>(workers, { op: "ready?" }, "ready");
        if (states.every((s) => s.connected && s.downlinks.every((d) => d >= n))) break;
        if (Date.now() > end) {
          // The sizes measured so far still count; larger rooms are not tried.
          console.error(`voice bench: ${n} peers did not connect and negotiate: ${JSON.stringify(states)}`);
          figures.push({ bench: "voice", params: { participants: n, load: round(loadavg()[0]!, 2) }, value: 0, unit: "", stat: "the room came up (everyone connected and negotiated within 40 s)", target: "yes", met: false });
          up = false;
          break;
        }
        await Bun.sleep(200);
      }
      if (!up) {
        await ask(workers, { op: "stop" }, "stopped").catch(() => {});
        for (const w of workers) w.terminate();
        break;
      }
      await ask(workers, { op: "raw" }, "rawing");
      // Publishers at spread phases of the 20 ms interval (VOICE_BENCH_LOCKSTEP=1: all at once).
      workers.forEach((w, i) => w.postMessage({ op: "start", phase: i / workers.length, lockstep: process.env.VOICE_BENCH_LOCKSTEP === "1" }));
      await Bun.sleep(WARMUP_MS);
      // The window, in wall-clock ms: packets count by the send time they carry (voice-peers.ts).
      const t0 = Date.now() + 300;
      const t1 = t0 + MEASURE_MS;
      await ask(workers, { op: "window", t0, t1 }, "windowed");
      await Bun.sleep(Math.max(0, t0 - Date.now()));
      const before = await serverStats();
      const rss0 = rssMb(server.pid);
      const cpu0 = cpuMs(server.pid);
      const sfuCpu0 = workerCpuMs(server.pid);
      const wait0 = mainThreadWaitMs(server.pid);
      const clientCpu0 = workerCpuMs(process.pid);
      const drops0 = udpDrops();
      const serverDrops0 = socketDrops(server.pid);
      const chatVoice = chat(base, admin, textId, MEASURE_MS - 500);
      await Bun.sleep(Math.max(0, t1 - Date.now()));
      const cpu1 = cpuMs(server.pid);
      const sfuCpu1 = workerCpuMs(server.pid);
      const wait1 = mainThreadWaitMs(server.pid);
      const clientCpu1 = workerCpuMs(process.pid);
      const drops = udpDrops() - drops0;
      const serverDrops = socketDrops(server.pid) - serverDrops0;
      const rss = rssMb(server.pid);
      const after = await serverStats();
      if (!after.sfu) throw new Error(`voice bench: the room emptied during the window (server log: ${dataDir}/server.log)`);
      // Late packets of the window still arriving count as late (their delay), not as lost.
      await Bun.sleep(GRACE_MS);
      const ends = await ask<{ sent: number; received: number; delays: number[]; byUser: Record<string, number>; senders: { mid: string | null; packets: number; dtls: string; ice: string }[] }>(workers, { op: "stop" }, "stopped");
      for (const w of workers) w.terminate();
      // Every packet a participant sent in the window should reach the n-1 others.
      const sentInWindow = ends.reduce((sum, e) => sum + e.sent, 0);
      const expected = sentInWindow * (n - 1);
      const received = ends.reduce((sum, e) => sum + e.received, 0);
      const loss = Math.max(0, 1 - received / expected);
      const delays = ends.flatMap((e) => e.delays);
      const sendRate = sentInWindow / n / (MEASURE_MS / 1000);
      // Publishers whose packets reached the others much less than the rest did (a publisher
      // missing altogether looks different from packets lost everywhere).
      const perUser = new Map<string, number>();
      for (const e of ends) for (const [user, count] of Object.entries(e.byUser)) perUser.set(user, (perUser.get(user) ?? 0) + count);
      const perPublisher = expected / n;
      // Named talker<i>: in worker i % 2, the (i / 2)-th to join there (both workers join at once).
      const talker = (user: string) => `talker${tokens.findIndex((t) => t.user === user)}`;
      const short = [...perUser.entries()].filter(([, c]) => c < perPublisher * 0.9).map(([u, c]) => `${talker(u)}:${Math.round((100 * c) / perPublisher)}%`);
      const silent = tokens.slice(0, n).filter((t) => !perUser.has(t.user)).map((t) => talker(t.user));
      if (short.length || silent.length) {
        // What the SFU itself received from each of them in the window (against what each sent,
        // about sentInWindow / n): near that = the SFU got it and did not forward it; near 0 =
        // the client did not send it or werift did not route it to the uplink.
        const got = (user: string) => (after.sfu.uplinkByUser?.[user] ?? 0) - (before.sfu.uplinkByUser?.[user] ?? 0);
        const named = [...perUser.entries()].filter(([, c]) => c < perPublisher * 0.9).map(([u]) => u).concat(tokens.slice(0, n).filter((t) => !perUser.has(t.user)).map((t) => t.user));
        // Their own werift sender's count (worker i % 2, (i / 2)-th to join there).
        const client = (user: string) => {
          const i = tokens.findIndex((t) => t.user === user);
          return JSON.stringify(ends[i % workers.length]?.senders?.[Math.floor(i / workers.length)] ?? null);
        };
        console.error(`voice bench N=${n}: publishers heard much less than the others: ${[...short, ...silent.map((u) => `${u}:0%`)].join(" ")}; the SFU received from them in the window: ${named.map((u) => `${talker(u)}:${got(u)}`).join(" ")} (each sent about ${Math.round(sentInWindow / n)}); their clients' werift senders since the start: ${named.map((u) => `${talker(u)}:${client(u)}`).join(" ")}`);
      }
      const chatLat = await chatVoice;
      const streams = n * (n - 1);
      // Server-side: what the SFU forwarded in the window, against what the senders sent.
      const forwarded = after.sfu.forwarded - before.sfu.forwarded;
      const sfuLoss = Math.max(0, 1 - forwarded / expected);
      const usPerPacket = ((cpu1 - cpu0) * 1000) / Math.max(1, forwarded);
      // The machine's state: other work on a shared 2-core machine starves every thread here.
      const params = { participants: n, streams, packetsPerStreamPerS: 50, windowS: MEASURE_MS / 1000, load: round(loadavg()[0]!, 2), cpuPressurePct: cpuPressure() };
      // Filled in below with the same chat load's longest block once the room has emptied: the
      // SFU runs in its own thread, and what the chat loop itself does (rendering, GC) shows there too.
      const blockFigure: Figure = { bench: "voice", params, value: after.main_loop_max_block_ms, unit: "ms", stat: "chat event loop longest block while the room runs", target: "a few ms (< 10 ms, or no more than 1.2x the same chat load without voice)", met: after.main_loop_max_block_ms < 10 };
      figures.push({ bench: "voice", params, value: round(sendRate, 1), unit: "packets/s", stat: "what each publisher really sent in the window (target rate 50; less = the load generator could not keep up)", target: "50", met: sendRate > 49 });
      figures.push(
        { bench: "voice", params, value: round(loss * 100, 2), unit: "%", stat: "loss (packets sent in the window that had not arrived 1 s after it)", target: "< 1% (target at 25 talkers)", met: loss < 0.01 },
        { bench: "voice", params, value: round(sfuLoss * 100, 2), unit: "%", stat: "not forwarded by the SFU (sent in the window against the server's forwarded count over about the same window)", target: "< 1%", met: sfuLoss < 0.01 },
        { bench: "voice", params, value: round((drops / expected) * 100, 2), unit: "%", stat: "UDP datagrams the kernel dropped (a receive buffer full: a thread not reading fast enough), of the packets expected, machine-wide", target: "report", met: true },
        { bench: "voice", params, value: round((serverDrops / (expected / Math.max(1, n - 1))) * 100, 2), unit: "%", stat: "of the publishers' packets, dropped by the kernel at the server's sockets (the SFU thread not reading fast enough)", target: "report", met: true },
        { bench: "voice", params, value: round(((sfuCpu1 - sfuCpu0) * 1000) / Math.max(1, forwarded), 1), unit: "us", stat: "SFU thread CPU per forwarded packet (x50 = per forwarded stream per second)", target: "report", met: true },
        { bench: "voice", params, value: round(((sfuCpu1 - sfuCpu0) / MEASURE_MS) * 100, 1), unit: "% of one core", stat: "SFU thread CPU", target: "report", met: true },
        { bench: "voice", params, value: round(((clientCpu1 - clientCpu0) / MEASURE_MS) * 100, 1), unit: "% of one core", stat: "load generator CPU (the clients' Worker threads in this process; on the same 2 cores)", target: "report", met: true },
        { bench: "voice", params, value: round(usPerPacket, 1), unit: "us", stat: "server CPU per forwarded packet", target: "report", met: true },
        { bench: "voice", params, value: after.sfu.gated - before.sfu.gated, unit: "packets", stat: "microphone packets the SFU dropped by permission in the window (should be 0)", target: "0", met: after.sfu.gated === before.sfu.gated },
        { bench: "voice", params, value: after.sfu.peers, unit: "peers", stat: "peers in the SFU at the end of the window", target: String(n), met: after.sfu.peers === n },
        { bench: "voice", params, value: after.sfu.forwardMs.p50, unit: "ms", stat: "SFU forwarding time p50 (in the SFU thread: packet reaches JavaScript -> last copy sent; 10 µs buckets)", target: "report", met: true },
        { bench: "voice", params, value: after.sfu.forwardMs.p99, unit: "ms", stat: "SFU forwarding time p99 (excludes waiting in the kernel before the thread reads: see the thread's longest block)", target: "< 20 ms", met: after.sfu.forwardMs.p99 < 20 },
        { bench: "voice", params, value: after.sfu.maxBlockMs, unit: "ms", stat: "SFU thread longest block", target: "report", met: true },
        blockFigure,
        ...(wait0 !== null && wait1 !== null ? [{ bench: "voice", params, value: round(wait1 - wait0, 1), unit: "ms", stat: "time the chat event loop's thread waited for a CPU during the window (the scheduler's share of late timers)", target: "report", met: true }] : []),
        { bench: "voice", params, value: round(after.sfu.heapUsed / 1024 / 1024, 1), unit: "MB", stat: "SFU thread JS heap", target: "report", met: true },
        { bench: "voice", params, value: round(rss - rss0, 1), unit: "MB", stat: "server RSS growth over the window", target: "bounded", met: rss - rss0 < 20 },
        { bench: "voice", params, value: round(((cpu1 - cpu0) / MEASURE_MS) * 100, 1), unit: "% of one core", stat: "server CPU", target: "report", met: true },
        { bench: "voice", params, value: round(percentile(delays, 50), 2), unit: "ms", stat: "p50 send->receive, ms resolution (upper bound of SFU delay: includes the client's SRTP and the kernel)", target: "report", met: true },
        { bench: "voice", params, value: round(percentile(delays, 99), 2), unit: "ms", stat: "p99 send->receive, ms resolution (upper bound of SFU delay)", target: "< 20 ms", met: percentile(delays, 99) < 20 },
        { bench: "voice", params, value: round(percentile(chatLat, 99), 1), unit: "ms", stat: "chat send p99 while the room runs", baseline: round(percentile(chatBaseline, 99), 1), ratio: round(percentile(chatLat, 99) / percentile(chatBaseline, 99), 2), target: "<= 1.2x without voice", met: percentile(chatLat, 99) <= 1.2 * percentile(chatBaseline, 99) },
        { bench: "voice", params, value: round(rss, 0), unit: "MB", stat: "server RSS", target: "report", met: true },
      );
      await Bun.sleep(1500);
      // The no-voice chat baseline again, interleaved, so a drift in machine load shows; and the
      // chat loop's longest block under that load alone.
      await serverStats();
      chatBaseline.push(...(await chat(base, admin, textId, 3_000)));
      const quietBlock = (await serverStats()).main_loop_max_block_ms;
      blockFigure.baseline = quietBlock;
      blockFigure.ratio = round(blockFigure.value / Math.max(quietBlock, 0.1), 2);
      blockFigure.met = blockFigure.value < 10 || blockFigure.value <= 1.2 * quietBlock;
    }
    figures.push({ bench: "voice", params: {}, value: round(median(chatBaseline), 1), unit: "ms", stat: "chat send p50 without voice", target: "report", met: true });
  } finally {
    server.kill("SIGTERM");
    await server.exited;
  }
  return figures;
}
