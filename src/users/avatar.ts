// Avatars: decoded and re-encoded with Bun.Image (built into Bun: works inside the compiled
// binary on x86-64 and arm64 with no native module). The stored copy is a 256x256 WebP, which
// drops EXIF and any payload hidden in the upload; files are named by content hash under
// <data>/avatars and never by anything the client sent.
import { eq } from "drizzle-orm";
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";

export const AVATAR_MAX_BYTES = 8 * 1024 * 1024;
export const AVATAR_SIZE = 256;
/** Refused before decoding (the limit of shared/SECURITY.md for images). */
export const MAX_PIXELS = 40_000_000;

export const avatarDir = (core: Core) => join(core.config.dataDir, "avatars");
export const AVATAR_NAME = /^[0-9a-f]{64}\.webp$/;

function sniff(bytes: Uint8Array): "png" | "jpeg" | "webp" | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return null;
}

/** Square-crop happens in the browser before upload; here we fit the image into 256x256 and re-encode. */
export async function processAvatar(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.byteLength > AVATAR_MAX_BYTES) throw keyedError(413, ErrorCode.tooLarge, "profile.avatarTooLarge");
  if (!sniff(bytes)) throw keyedError(400, ErrorCode.invalidBody, "profile.avatarInvalid");
  let meta: { width: number; height: number };
  try {
    meta = await new Bun.Image(bytes, { maxPixels: MAX_PIXELS }).metadata();
  } catch (err) {
    const tooBig = /pixel|dimension|large/i.test((err as Error).message);
    throw keyedError(tooBig ? 413 : 400, tooBig ? ErrorCode.tooLarge : ErrorCode.invalidBody, tooBig ? "profile.avatarTooManyPixels" : "profile.avatarInvalid");
  }
  if (meta.width * meta.height > MAX_PIXELS) throw keyedError(413, ErrorCode.tooLarge, "profile.avatarTooManyPixels");
  try {
    const side = Math.min(AVATAR_SIZE, meta.width, meta.height);
    const fit = meta.width === meta.height ? "fill" : "inside";
    return await new Bun.Image(bytes, { maxPixels: MAX_PIXELS }).resize(side, side, { fit }).webp({ quality: 85 }).bytes();
  } catch {
    throw keyedError(400, ErrorCode.invalidBody, "profile.avatarInvalid");
  }
}

/** Process an uploaded picture and store it under `dir` by content hash; returns the hash. */
export async function storeSquareImage(dir: string, upload: Uint8Array): Promise<string> {
  const webp = await processAvatar(upload);
  const hash = new Bun.CryptoHasher("sha256").update(webp).digest("hex");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${hash}.webp`);
  const tmp = `${path}.tmp-${process.pid}`;
  await Bun.write(tmp, webp);
  renameSync(tmp, path);
  return hash;
}

export async function setAvatar(core: Core, user: User, upload: Uint8Array): Promise<User> {
  const hash = await storeSquareImage(avatarDir(core), upload);
  return core.queue.write(({ orm }) => orm.update(users).set({ avatar: hash }).where(eq(users.id, user.id)).returning().get());
}

export async function removeAvatar(core: Core, user: User): Promise<User> {
  return core.queue.write(({ orm }) => orm.update(users).set({ avatar: null }).where(eq(users.id, user.id)).returning().get());
}
