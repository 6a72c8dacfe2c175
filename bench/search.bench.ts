// Message search at 100k and 1M messages: p50/p99 of GET /api/v10/guilds/{id}/messages/search
// (end to end over HTTP, measured by this process, one request at a time) for free text (a
// rotation of mid-frequency French and English words), free text + author_id (from:), has=image,
// and, for the record, the most common word of the corpus; then the server's RSS (VmRSS after the
// run, VmHWM peak). Targets (issue 6): p99 <= 25 ms at 1M, RSS < 150 MB at 1M.
// Data: scripts/generate-messages.ts into a temp dir kept between runs (it takes ~10 s per 100k
// messages): POKYNANO_SEARCH_BENCH_DIR overrides where. Server: the compiled binary, reading as
// "bench", who sees every channel but one hidden channel per server. POKYNANO_SEARCH_BENCH_SIZES
// (e.g. "100000") limits the sizes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { api, median, percentile, pokynanoBinary, root, round, rssMb, startAndWait, type Figure } from "./support.ts";

const SIZES = (process.env.POKYNANO_SEARCH_BENCH_SIZES ?? "100000,1000000").split(",").map(Number);
const WARMUP = 30;
const REQUESTS = 300;
const ROUNDS = 3;
// Words from the generator's lists at ranks 20-250 (scripts/words.ts): what people search for.
const WORDS = ["réunion", "deploy", "cafe", "release", "demain", "backup", "montagne", "pizza", "problème", "weekend", "serveur", "coffee", "vacances", "merge", "gâteau", "review", "déjeuner", "latency", "photo", "vélo"];

interface Dataset {
  dir: string;
  guilds: string[];
}

function dataset(n: number): Dataset {
  const dir = join(process.env.POKYNANO_SEARCH_BENCH_DIR ?? tmpdir(), `pokynano-search-bench-${n}`);
  const info = join(dir, "generated.json");
  if (!existsSync(info)) {
    mkdirSync(dir, { recursive: true });
    const res = Bun.spawnSync([process.execPath, join(root, "scripts/generate-messages.ts"), "--data-dir", dir, "--messages", String(n)], { stdout: "pipe", stderr: "inherit" });
    if (res.exitCode !== 0) throw new Error(`generating ${n} messages failed`);
    writeFileSync(info, res.stdout.toString());
  }
  const meta = JSON.parse(readFileSync(info, "utf8").trim().split("\n").at(-1)!) as { guilds: string[] };
  return { dir, guilds: meta.guilds };
}

async function timed(url: string, token: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  return performance.now() - t0;
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const figures: Figure[] = [];
  for (const n of SIZES) {
    const data = dataset(n);
    const server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", data.dir, "--log-level", "warn"]);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const { token } = await api<{ token: string }>(base, "POST", "/api/v10/auth/login", null, { login: "bench", password: "bench-search-Tq8vLx2p" });
      const guild = data.guilds[0]!;
      const authors = (await api<{ user: { id: string } }[]>(base, "GET", `/api/v10/guilds/${guild}/members?limit=200`, token)).map((m) => m.user.id);
      const path = `${base}/api/v10/guilds/${guild}/messages/search`;
      const kinds: [string, (i: number) => string][] = [
        ["free text", (i) => `${path}?content=${encodeURIComponent(WORDS[i % WORDS.length]!)}`],
        ["free text + from:", (i) => `${path}?content=${encodeURIComponent(WORDS[i % WORDS.length]!)}&author_id=${authors[(i * 7) % authors.length]}`],
        ["has:image", (i) => `${path}?has=image${i % 2 ? "&offset=25" : ""}`],
        ["most common word (le)", () => `${path}?content=le`],
      ];
      for (const [kind, url] of kinds) {
        const p50s: number[] = [];
        const p99s: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          for (let i = 0; i < WARMUP; i++) await timed(url(i), token);
          const times: number[] = [];
          for (let i = 0; i < REQUESTS; i++) times.push(await timed(url(i + r), token));
          p50s.push(percentile(times, 50));
          p99s.push(percentile(times, 99));
        }
        const targeted = n >= 1_000_000 && kind !== "most common word (le)";
        const p99 = round(median(p99s), 2);
        const params = { messages: n, query: kind, requests: REQUESTS, rounds: ROUNDS, load: round(loadavg()[0]!, 2) };
        figures.push({ bench: "search", params, value: round(median(p50s), 2), unit: "ms", stat: "p50", min: round(Math.min(...p50s), 2), max: round(Math.max(...p50s), 2), target: "reported", met: true });
        figures.push({ bench: "search", params, value: p99, unit: "ms", stat: "p99", min: round(Math.min(...p99s), 2), max: round(Math.max(...p99s), 2), target: targeted ? "<= 25 ms at 1M" : "reported", met: targeted ? p99 <= 25 : true });
      }
      const rss = round(rssMb(server.proc.pid));
      const hwm = round(rssMb(server.proc.pid, "VmHWM"));
      const targeted = n >= 1_000_000;
      figures.push({ bench: "search", params: { messages: n, after: "all queries" }, value: rss, unit: "MB", stat: "VmRSS", target: targeted ? "< 150 MB at 1M" : "reported", met: targeted ? rss < 150 : true });
      figures.push({ bench: "search", params: { messages: n, after: "all queries" }, value: hwm, unit: "MB", stat: "VmHWM", target: targeted ? "< 150 MB at 1M" : "reported", met: targeted ? hwm < 150 : true });
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
  }
  return figures;
}
