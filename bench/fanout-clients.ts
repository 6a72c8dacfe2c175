// The subscriber side of bench/fanout.bench.ts, run as its own process so the load generator is
// neither the server nor the sender. Not a benchmark itself (no .bench.ts suffix).
//
//   bun bench/fanout-clients.ts '{"url":"ws://127.0.0.1:P/ws?channel=C","n":1000,"headers":{...}}'
//
// Opens n WebSockets (at most 100 handshakes in flight), then prints one line
// `{"ready":true,"opened":n,"failed":0,"open_ms":...}`. Every text frame is searched for the
// marker `fo<seq>x` the sender put in the message content; per seq it keeps how many sockets got
// it and the first and last arrival (performance.timeOrigin + performance.now(), the same clock
// the sender reads). On the stdin line `report <lastSeq> <timeoutMs>` it waits until every seq up
// to lastSeq reached all n sockets (or the timeout), prints one JSON line and exits.
export {}; // a module: top-level await

interface Config {
  url: string;
  n: number;
  headers?: Record<string, string>;
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const now = () => performance.timeOrigin + performance.now();
const MARKER = /fo(\d+)x/;
const HANDSHAKES_IN_FLIGHT = 100;

const counts: number[] = [];
const first: number[] = [];
const last: number[] = [];
let frames = 0;
let unmatched = 0;
let frameBytes = 0;
let closedEarly = 0;
let reporting = false;

function onFrame(data: unknown): void {
  const t = now();
  frames++;
  const text = typeof data === "string" ? data : "";
  if (!frameBytes) frameBytes = Buffer.byteLength(text);
  const m = MARKER.exec(text);
  if (!m) {
    unmatched++;
    return;
  }
  const seq = Number(m[1]);
  const c = counts[seq] ?? 0;
  counts[seq] = c + 1;
  if (c === 0) first[seq] = t;
  last[seq] = t;
}

const sockets: WebSocket[] = [];
let failed = 0;

function open(): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const ws = new WebSocket(config.url, { headers: config.headers ?? {} } as never); // Bun's headers option
    ws.onmessage = (ev) => onFrame(ev.data);
    ws.onopen = () => {
      settled = true;
      sockets.push(ws);
      resolve();
    };
    ws.onerror = () => {
      if (settled) return;
      settled = true;
      failed++;
      resolve();
    };
    ws.onclose = () => {
      if (!settled) {
        settled = true;
        failed++;
        resolve();
      } else if (!reporting) closedEarly++;
    };
  });
}

const started = now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(HANDSHAKES_IN_FLIGHT, config.n) }, async () => {
    while (next < config.n) {
      next++;
      await open();
    }
  }),
);
console.log(JSON.stringify({ ready: true, opened: sockets.length, failed, open_ms: Math.round(now() - started) }));

for await (const line of console) {
  const [cmd, lastSeqText, timeoutText] = line.trim().split(/\s+/);
  if (cmd !== "report") continue;
  const lastSeq = Number(lastSeqText);
  const deadline = now() + Number(timeoutText);
  const complete = () => {
    for (let s = 0; s <= lastSeq; s++) if ((counts[s] ?? 0) < sockets.length) return false;
    return true;
  };
  while (!complete() && now() < deadline) await Bun.sleep(5);
  reporting = true;
  const seqs = Array.from({ length: lastSeq + 1 }, (_, s) => ({ count: counts[s] ?? 0, first: first[s] ?? null, last: last[s] ?? null }));
  console.log(JSON.stringify({ sockets: sockets.length, frames, unmatched, frame_bytes: frameBytes, closed_early: closedEarly, seqs }));
  for (const ws of sockets) ws.close();
  process.exit(0);
}
