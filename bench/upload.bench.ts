// Uploads and thumbnails. Three figures:
// - upload-throughput: MB/s for one 100 MB file POSTed to the composer's staging endpoint of the
//   compiled binary (streamed to disk, hashed, typed, stored), against a bare Bun.serve that
//   streams the body to disk and hashes it with SHA-256 as it goes (baseline: the work any
//   content-addressed store must do), interleaved A B A B; median of 3 rounds each.
// - thumbnail-12mp: ms for processImage (header check, metadata strip, list + preview WebP
//   thumbnails) of a 4000x3000 JPEG, in this process, against Bun.Image decoding and resizing the
//   same JPEG to one thumbnail (baseline); median of 5.
// - upload-12mp-jpeg: ms from sending that JPEG to the binary to its 201 (upload + everything above).
// Inputs are generated here; traffic goes to 127.0.0.1 only.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { processImage } from "../src/files/image.ts";
import { api, median, pokynanoBinary, round, startAndWait, tempDir, type Figure } from "./support.ts";

const BIG_MB = 100;
const ROUNDS = 3;
const THUMB_RUNS = 5;
const PASSWORD = "bench-upload-Qm4Lw8Zr";

/** Pseudo-random bytes (xorshift): incompressible like a real video, cheap to make. */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, Math.floor(n / 4));
  let x = 2463534242;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return out;
}

/** A 4000x3000 photo-like JPEG: smooth gradients with a little noise (a flat colour would decode unrealistically fast). */
async function photo12mp(): Promise<Uint8Array> {
  const w = 4000;
  const h = 3000;
  const raw = new Uint8Array((w * 3 + 1) * h);
  const noise = randomBytes(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x++) {
      const n = noise[y * w + x]! & 15;
      raw[row + 1 + x * 3] = ((x * 255) / w + n) & 255;
      raw[row + 2 + x * 3] = ((y * 255) / h + n) & 255;
      raw[row + 3 + x * 3] = (((x + y) * 128) / (w + h) + 64 + n) & 255;
    }
  }
  const png = pngFromRaw(w, h, deflateSync(raw, { level: 1 }));
  return new Bun.Image(png).jpeg({ quality: 90 }).bytes();
}

function pngFromRaw(w: number, h: number, idat: Uint8Array): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    v.setUint32(8 + data.length, Bun.hash.crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, w);
  new DataView(ihdr.buffer).setUint32(4, h);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The baseline server: a bare Bun.serve that streams the body to a file and hashes it, compiled like ours. */
function bareUploadServer(dir: string): string {
  const src = join(dir, "bare-upload.ts");
  writeFileSync(
    src,
    `const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
Bun.serve({ port, hostname: "127.0.0.1", maxRequestBodySize: 1 << 30, async fetch(req) {
  if (req.method !== "POST") return new Response("ok");
  const sink = Bun.file(${JSON.stringify(join(dir, "bare.bin"))}).writer();
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of req.body) { hasher.update(chunk); sink.write(chunk); }
  await sink.end();
  hasher.digest("hex");
  return new Response("{}", { status: 201 });
} });
`,
  );
  const out = join(dir, "bare-upload");
  const res = Bun.spawnSync([process.execPath, "build", src, "--compile", "--outfile", out], { stdout: "ignore", stderr: "inherit" });
  if (res.exitCode !== 0) throw new Error("building the bare upload server failed");
  return out;
}

async function timedPost(url: string, body: Uint8Array, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers, body: new Blob([body as Uint8Array<ArrayBuffer>]) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${text.slice(0, 200)}`);
  return performance.now() - started;
}

export async function run(): Promise<Figure[]> {
  const binary = pokynanoBinary();
  const dir = tempDir("pokynano-bench-upload-");
  const dataDir = join(dir, "data");
  const create = Bun.spawn([binary, "admin", "create-user", "--username", "uploader", "--admin", "--password-stdin", "--data-dir", dataDir], { stdin: new Blob([PASSWORD]), stdout: "ignore", stderr: "inherit" });
  if ((await create.exited) !== 0) throw new Error("create-user failed");
  const server = await startAndWait([binary, "--host", "127.0.0.1", "--data-dir", dataDir, "--log-level", "warn"]);
  const bare = await startAndWait([bareUploadServer(dir)]);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const { token } = await api<{ token: string }>(base, "POST", "/api/v10/auth/login", null, { login: "uploader", password: PASSWORD });
    await api(base, "PATCH", "/api/v10/admin/instance", token, { max_file_size_mb: 200, storage_quota_mb: 0 });
    const guild = await api<{ id: string }>(base, "POST", "/api/v10/guilds", token, { name: "Bench" });
    const channel = (await api<{ id: string; type: number }[]>(base, "GET", `/api/v10/guilds/${guild.id}/channels`, token)).find((c) => c.type === 0)!;
    const headers = { Cookie: `pokynano_session=${token}`, Origin: base, Accept: "application/json", "Content-Type": "application/octet-stream" };
    const stageUrl = (name: string) => `${base}/channels/${channel.id}/attachments?filename=${name}`;

    const big = randomBytes(BIG_MB * 1024 * 1024);
    await timedPost(stageUrl("warmup.bin"), big.subarray(0, 8 * 1024 * 1024), headers);
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      baseline.push(BIG_MB / ((await timedPost(`http://127.0.0.1:${bare.port}/`, big, {})) / 1000));
      ours.push(BIG_MB / ((await timedPost(stageUrl(`big-${i}.bin`), big, headers)) / 1000));
    }

    const jpeg = await photo12mp();
    const thumbs: number[] = [];
    const rawResize: number[] = [];
    await processImage("image/jpeg", jpeg);
    for (let i = 0; i < THUMB_RUNS; i++) {
      let t = performance.now();
      await new Bun.Image(jpeg).resize(800, 600, { fit: "inside" }).webp({ quality: 80 }).bytes();
      rawResize.push(performance.now() - t);
      t = performance.now();
      await processImage("image/jpeg", jpeg);
      thumbs.push(performance.now() - t);
    }
    const uploads: number[] = [];
    for (let i = 0; i < THUMB_RUNS; i++) uploads.push(await timedPost(stageUrl(`photo-${i}.jpg`), jpeg, headers));

    const up = median(ours);
    const bareUp = median(baseline);
    const thumb = median(thumbs);
    const rawThumb = median(rawResize);
    return [
      { bench: "upload-throughput", params: { size_mb: BIG_MB, rounds: ROUNDS, endpoint: "POST /channels/{id}/attachments" }, value: round(up), unit: "MB/s", stat: "median", min: round(Math.min(...ours)), max: round(Math.max(...ours)), baseline: round(bareUp), ratio: round(up / bareUp, 2), target: ">= 0.5x a bare Bun.serve writing and hashing the body", met: up >= 0.5 * bareUp },
      { bench: "thumbnail-12mp", params: { width: 4000, height: 3000, jpeg_bytes: jpeg.length, thumbs: "800x600 + 1920x1920 JPEG", runs: THUMB_RUNS }, value: round(thumb), unit: "ms", stat: "median", min: round(Math.min(...thumbs)), max: round(Math.max(...thumbs)), baseline: round(rawThumb), ratio: round(thumb / rawThumb, 2), target: "<= 500 ms", met: thumb <= 500 },
      { bench: "upload-12mp-jpeg", params: { jpeg_bytes: jpeg.length, runs: THUMB_RUNS }, value: round(median(uploads)), unit: "ms", stat: "median", min: round(Math.min(...uploads)), max: round(Math.max(...uploads)), target: "<= 1000 ms", met: median(uploads) <= 1000 },
    ];
  } finally {
    server.proc.kill("SIGTERM");
    bare.proc.kill("SIGTERM");
    await Promise.all([server.proc.exited, bare.proc.exited]);
    rmSync(dir, { recursive: true, force: true });
  }
}
