// Outside images of previews and embeds, fetched through the SSRF guard: only PNG/JPEG/GIF/WebP
// checked by their bytes (never SVG or HTML), at most 8 MiB. Shared by the proxy (which serves
// them) and the preview fetcher (which records their dimensions, so the page reserves the space
// before the image loads): a small in-memory cache makes that one fetch for both and for the many
// viewers who load the same preview at once.
import type { Core } from "../core.ts";
import { safeFetch } from "../net/safe-fetch.ts";

export const PROXY_MAX_BYTES = 8 * 1024 * 1024;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
/** Decoding the header of a larger image is refused (as for uploads). */
const MAX_PIXELS = 40_000_000;

function sniffImage(b: Uint8Array): string | null {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return "image/gif";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

export type ProxiedImage = { type: string; body: Uint8Array };

const CACHE_BYTES = 16 * 1024 * 1024;
const cache = new Map<string, ProxiedImage>();
let cached = 0;
function remember(url: string, entry: ProxiedImage) {
  cache.set(url, entry);
  cached += entry.body.length;
  for (const [key, old] of cache) {
    if (cached <= CACHE_BYTES) break;
    cache.delete(key);
    cached -= old.body.length;
  }
}

/** The image at `url`, or null when it is not an image; throws when the guard or the fetch fails. */
export async function fetchImage(core: Core, url: string): Promise<ProxiedImage | null> {
  const hit = cache.get(url);
  if (hit) return hit;
  const res = await safeFetch(url, { accept: IMAGE_TYPES, maxBytes: PROXY_MAX_BYTES, timeoutMs: 10_000, headers: { accept: IMAGE_TYPES.join(",") }, context: core });
  const type = res.status === 200 ? sniffImage(res.body) : null;
  if (!type) return null;
  const entry = { type, body: res.body };
  remember(url, entry);
  return entry;
}

/** Width and height of an outside image, or null when it cannot be fetched or read. */
export async function imageSize(core: Core, url: string): Promise<{ width: number; height: number } | null> {
  try {
    const image = await fetchImage(core, url);
    if (!image) return null;
    const { width, height } = await new Bun.Image(image.body, { maxPixels: MAX_PIXELS }).metadata();
    return width > 0 && height > 0 ? { width, height } : null;
  } catch (err) {
    core.logger.debug("preview image size unknown", { url, err: String(err) });
    return null;
  }
}
