// Emoji images: PNG, GIF or WebP up to 256 KiB, decoded with Bun.Image (built into Bun, so it
// works in the compiled binary) before anything is stored. A static emoji is re-encoded to a WebP
// of at most 128x128, which drops anything hidden in the upload. An animated one (GIF or WebP with
// more than one frame) is kept as sent, since Bun.Image decodes only its first frame, after the
// decode proved it is the image it claims to be; it is always served with its sniffed type,
// nosniff and a sandbox CSP.
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";

export const EMOJI_MAX_BYTES = 256 * 1024;
export const EMOJI_SIZE = 128;
const MAX_PIXELS = 4096 * 4096;

type Kind = "png" | "gif" | "webp";
function sniff(b: Uint8Array): Kind | null {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return "gif";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return null;
}

/** Walks a GIF's blocks and counts its frames (stops at 2: that is all we need to know). */
function gifFrames(b: Uint8Array): number {
  let i = 13;
  if (b[10]! & 0x80) i += 3 * (1 << ((b[10]! & 7) + 1));
  let frames = 0;
  const skipSubBlocks = () => {
    while (i < b.length && b[i] !== 0) i += b[i]! + 1;
    i++;
  };
  while (i < b.length && frames < 2) {
    const block = b[i];
    if (block === 0x3b) break;
    if (block === 0x21) {
      i += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames++;
      const flags = b[i + 9]!;
      i += 10;
      if (flags & 0x80) i += 3 * (1 << ((flags & 7) + 1));
      i++; // LZW minimum code size
      skipSubBlocks();
    } else break;
  }
  return frames;
}

/** An animated WebP says so in its VP8X header (animation flag) and has an ANIM chunk. */
const webpAnimated = (b: Uint8Array) => String.fromCharCode(...b.subarray(12, 16)) === "VP8X" && (b[20]! & 0x02) !== 0;

export interface StoredEmoji {
  file: string;
  format: "webp" | "gif";
  animated: boolean;
}

export async function storeEmojiImage(dir: string, bytes: Uint8Array): Promise<StoredEmoji> {
  if (bytes.byteLength > EMOJI_MAX_BYTES) throw keyedError(413, ErrorCode.tooLarge, "emoji.tooLarge");
  const kind = sniff(bytes);
  if (!kind) throw keyedError(400, ErrorCode.invalidBody, "emoji.invalidImage");
  let meta: { width: number; height: number };
  try {
    meta = await new Bun.Image(bytes, { maxPixels: MAX_PIXELS }).metadata();
  } catch {
    throw keyedError(400, ErrorCode.invalidBody, "emoji.invalidImage");
  }
  if (meta.width * meta.height > MAX_PIXELS) throw keyedError(400, ErrorCode.invalidBody, "emoji.invalidImage");
  const animated = kind === "gif" ? gifFrames(bytes) > 1 : kind === "webp" && webpAnimated(bytes);
  let out: Uint8Array;
  try {
    out = animated ? bytes : await new Bun.Image(bytes, { maxPixels: MAX_PIXELS }).resize(Math.min(EMOJI_SIZE, meta.width), Math.min(EMOJI_SIZE, meta.height), { fit: "inside" }).webp({ quality: 90 }).bytes();
  } catch {
    throw keyedError(400, ErrorCode.invalidBody, "emoji.invalidImage");
  }
  const format = animated && kind === "gif" ? "gif" : "webp";
  const hash = new Bun.CryptoHasher("sha256").update(out).digest("hex");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${hash}.${format}`);
  const tmp = `${path}.tmp-${process.pid}`;
  await Bun.write(tmp, out);
  renameSync(tmp, path);
  return { file: `${hash}.${format}`, format, animated };
}
