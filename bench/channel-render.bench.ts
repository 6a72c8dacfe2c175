// Channel page render: GET /channels/{guild}/{channel} (the full HTML page with the newest 50
// messages) in a channel that holds 100,000 messages, with 8 concurrent clients; requests/s and
// p99 latency. Baseline: GET /static/css/app.css from the same server (a static file), same
// clients and cookie, interleaved page, static, page, static, page, static (5 s each after a
// 1 s warm-up), the median round reported with min/max.
// The messages are not sent through the API (far too slow): the guild is made through the API,
// the server stopped with SIGTERM, 100k rows inserted into DIR/pokynano.db with bun:sqlite in
// one transaction (increasing snowflake ids, the admin as author), and the server started again.
// The client is this process; the server is the compiled binary.
import { Database } from "bun:sqlite";
import { indexPendingMessages } from "../src/search/indexing.ts";
import { readFileSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { median, pokynanoBinary, round, rssMb, startAndWait, tempDir, type Figure, percentile, cpuMs, api } from "./support.ts";

const MESSAGES = 100_000;
const CLIENTS = 8;
const ROUNDS = 3;
const WARMUP_MS = 1_000;
const ROUND_MS = 5_000;
const PAGE_SIZE = 50; // messages on the page
const PASSWORD = "bench-render-Wc6YnT3v";
const DISCORD_EPOCH = 1_420_070_400_000;




const WORDS = ["deploy", "tonight", "coffee", "release", "the", "build", "is", "green", "again", "review", "please", "lunch", "tomorrow", "meeting", "notes", "ship", "it", "bug", "fixed", "thanks"];

/** Chat-like text of 40-120 characters; every 7th has inline markdown, every 11th two lines. */
function content(i: number): string {
  const words: string[] = [];
  for (let k = 0; k < 6 + (i % 13); k++) words.push(WORDS[(i * 7 + k * 3) % WORDS.length]!);
  let text = `${words.join(" ")} #${i}`;
  if (i % 7 === 0) text += " **really** and `npm run build`";
  if (i % 11 === 0) text += "\nsecond line _here_";
  return text;
}

function insertMessages(dataDir: string, channelId: string, authorId: string): { firstId: bigint; lastId: bigint; ms: number } {
  const started = performance.now();
  const db = new Database(join(dataDir, "pokynano.db"));
  try {
    const insert = db.prepare("INSERT INTO messages (id, channel_id, author_id, content) VALUES (?, ?, ?, ?)");
    const base = BigInt(Date.now() - DISCORD_EPOCH) << 22n;
    const channel = BigInt(channelId);
    const author = BigInt(authorId);
    db.transaction(() => {
      for (let i = 0; i < MESSAGES; i++) insert.run(base + BigInt(i), channel, author, content(i));
      indexPendingMessages(db);
    })();
    return { firstId: base, lastId: base + BigInt(MESSAGES - 1), ms: performance.now() - started };
  } finally {
    db.close();
  }
}

interface Round {
  rate: number;
  p50: number;
  p99: number;
  failed: number;
  serverCpuMsPerReq: number;
}

/** CLIENTS loops GETting url for ROUND_MS after WARMUP_MS; only requests ending in the window count. */
async function loadRound(url: string, headers: Record<string, string>, pid: number): Promise<Round> {
  const started = performance.now();
  const warmupEnd = started + WARMUP_MS;
  const end = warmupEnd + ROUND_MS;
  const latencies: number[] = [];
  let failed = 0;
  let cpuStart = 0;
  let cpuEnd = 0;
  const mark = setTimeout(() => (cpuStart = cpuMs(pid)), WARMUP_MS);
  const stop = setTimeout(() => (cpuEnd = cpuMs(pid)), WARMUP_MS + ROUND_MS);
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        let ok = false;
        try {
          const res = await fetch(url, { headers });
          const body = await res.arrayBuffer();
          ok = res.status === 200 && body.byteLength > 0;
        } catch {
          // connection error: a failure
        }
        const t1 = performance.now();
        if (t1 < warmupEnd || t1 >= end) continue;
        if (ok) latencies.push(t1 - t0);
        else failed++;
      }
    }),
  );
  clearTimeout(mark);
  clearTimeout(stop);
  return {
    rate: latencies.length / (ROUND_MS / 1_000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
    serverCpuMsPerReq: latencies.length ? (cpuEnd - cpuStart) / latencies.length : NaN,
  };
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const dataDir = tempDir("pokynano-bench-render-");
  let server: Awaited<ReturnType<typeof startAndWait>> | undefined;
  const stop = async () => {
    if (!server) return;
    server.proc.kill("SIGTERM");
    await server.proc.exited;
    server = undefined;
  };
  try {
    const create = Bun.spawn([binary, "admin", "create-user", "--username", "render", "--admin", "--password-stdin", "--data-dir", dataDir], {
      stdin: new Blob([`${PASSWORD}\n`]),
      stdout: "ignore",
      stderr: "pipe",
    });
    if ((await create.exited) !== 0) throw new Error(`create-user failed: ${await new Response(create.stderr).text()}`);
    server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir, "--log-level", "warn"]);
    let base = `http://127.0.0.1:${server.port}`;
    const { token } = await api<{ token: string }>(base, "POST", "/api/v10/auth/login", null, { login: "render", password: PASSWORD });
    const me = await api<{ id: string }>(base, "GET", "/api/v10/users/@me", token);
    const guild = await api<{ id: string }>(base, "POST", "/api/v10/guilds", token, { name: "render bench" });
    const channels = await api<{ id: string; type: number }[]>(base, "GET", `/api/v10/guilds/${guild.id}/channels`, token);
    const channelId = channels.find((c) => c.type === 0)?.id;
    if (!channelId) throw new Error("the new guild has no text channel");
    await stop();

    const inserted = insertMessages(dataDir, channelId, me.id);
    const dbMb = statSync(join(dataDir, "pokynano.db")).size / 1024 / 1024;

    server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir, "--log-level", "warn"]);
    base = `http://127.0.0.1:${server.port}`;
    const headers = { Cookie: `pokynano_session=${token}` };
    const pageUrl = `${base}/channels/${guild.id}/${channelId}`;
    const staticUrl = `${base}/static/css/app.css`;

    // The page is the one we mean: 200, the newest message on it, PAGE_SIZE messages.
    const first = await fetch(pageUrl, { headers });
    const html = await first.text();
    const shown = html.match(/<article class="message"/g)?.length ?? 0;
    const newest = html.includes(`id="m-${inserted.lastId}"`);
    const pageOk = first.status === 200 && newest && shown === PAGE_SIZE;
    if (first.status !== 200) throw new Error(`the channel page answered ${first.status}`);
    const css = await fetch(staticUrl, { headers });
    const cssBytes = (await css.arrayBuffer()).byteLength;
    if (css.status !== 200) throw new Error(`${staticUrl} answered ${css.status}`);

    const pages: Round[] = [];
    const statics: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      pages.push(await loadRound(pageUrl, headers, server.proc.pid));
      statics.push(await loadRound(staticUrl, headers, server.proc.pid));
    }
    const hwm = rssMb(server.proc.pid, "VmHWM");

    const failed = pages.reduce((n, r) => n + r.failed, 0) + statics.reduce((n, r) => n + r.failed, 0);
    const met = failed === 0 && pageOk;
    const rates = pages.map((r) => r.rate);
    const staticRates = statics.map((r) => r.rate);
    const p99s = pages.map((r) => r.p99);
    const staticP99s = statics.map((r) => r.p99);
    const params = {
      messages_in_channel: MESSAGES,
      messages_on_page: shown,
      newest_message_on_page: newest,
      clients: CLIENTS,
      rounds: ROUNDS,
      warmup_s: WARMUP_MS / 1_000,
      round_s: ROUND_MS / 1_000,
      order: "page, static, page, static, page, static",
      page_bytes: Buffer.byteLength(html),
      static_bytes: cssBytes,
      baseline_url: "/static/css/app.css",
      db_mb: round(dbMb),
      insert_ms: Math.round(inserted.ms),
      failed,
      per_round_req_per_s: rates.map((r) => Math.round(r)),
      baseline_per_round_req_per_s: staticRates.map((r) => Math.round(r)),
      per_round_p99_ms: p99s.map((v) => round(v, 2)),
      baseline_per_round_p99_ms: staticP99s.map((v) => round(v, 2)),
      p50_ms: round(median(pages.map((r) => r.p50)), 2),
      baseline_p50_ms: round(median(statics.map((r) => r.p50)), 2),
      server_cpu_ms_per_page: round(median(pages.map((r) => r.serverCpuMsPerReq)), 2),
      server_cpu_ms_per_static: round(median(statics.map((r) => r.serverCpuMsPerReq)), 3),
      server_vmhwm_mb: round(hwm),
      machine_load_1m: round(loadavg()[0]!, 2),
    };
    const rate = median(rates);
    const staticRate = median(staticRates);
    const p99 = median(p99s);
    const staticP99 = median(staticP99s);
    return [
      {
        bench: "channel-render",
        params,
        value: Math.round(rate),
        unit: "req/s",
        stat: "median",
        min: Math.round(Math.min(...rates)),
        max: Math.round(Math.max(...rates)),
        baseline: Math.round(staticRate),
        ratio: round(rate / staticRate, 3),
        target: "report",
        met,
      },
      {
        bench: "channel-render",
        params,
        value: round(p99, 2),
        unit: "ms",
        stat: "p99 (median round)",
        min: round(Math.min(...p99s), 2),
        max: round(Math.max(...p99s), 2),
        baseline: round(staticP99, 2),
        ratio: round(p99 / staticP99, 1),
        target: "report",
        met,
      },
    ];
  } finally {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
