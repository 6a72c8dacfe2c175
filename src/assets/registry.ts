// Static assets are read once at start into memory (they are small: CSS, htmx, a few icons) with
// a content hash. Pages link to `/static/<path>?v=<hash>`, which is cached for a year as
// immutable; the same path without the right hash is revalidated with its ETag.
import { staticFiles } from "../generated/embedded.ts";

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  webmanifest: "application/manifest+json",
  json: "application/json",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
  wav: "audio/wav",
};

const assets = new Map<string, Asset>();

/** Loads every static file into memory; reports whether they came from inside the binary. */
export async function loadAssets(): Promise<{ count: number; embedded: boolean }> {
  let embedded = true;
  for (const [path, file] of Object.entries(staticFiles)) {
    const body = new Uint8Array(await Bun.file(file).arrayBuffer());
    const hash = new Bun.CryptoHasher("sha256").update(body).digest("hex").slice(0, 16);
    const ext = path.slice(path.lastIndexOf(".") + 1);
    assets.set(path, { body, hash, etag: `"${hash}"`, type: TYPES[ext] ?? "application/octet-stream" });
    // Bun's compiled binaries expose embedded files under a virtual /$bunfs/ root.
    if (!file.includes("$bunfs")) embedded = false;
  }
  return { count: assets.size, embedded };
}

export function getAsset(path: string): Asset | undefined {
  return assets.get(path);
}

// Text assets go out gzipped when the browser accepts it (htmx and our scripts are ~3x smaller).
// Compressed on first request, not at start, so starting stays fast; kept for the process's life.
const COMPRESSIBLE = /^(text\/|image\/svg|application\/(json|manifest))/;
const gzipped = new Map<string, Uint8Array<ArrayBuffer> | null>();

/** The gzip body of a text asset, or null when it is not worth compressing. */
export function gzippedAsset(path: string, asset: Asset): Uint8Array<ArrayBuffer> | null {
  if (!COMPRESSIBLE.test(asset.type) || asset.body.byteLength < 1024) return null;
  let body = gzipped.get(path);
  if (body === undefined) {
    const packed = Bun.gzipSync(asset.body, { level: 9 });
    body = packed.byteLength < asset.body.byteLength * 0.9 ? new Uint8Array(packed) : null;
    gzipped.set(path, body);
  }
  return body;
}

/** The cache-busting URL of a static file; throws for a file that does not exist (a typo in a view). */
export function assetUrl(path: string): string {
  const asset = assets.get(path);
  if (!asset) throw new Error(`unknown static asset ${path}`);
  return `/static/${path}?v=${asset.hash}`;
}
