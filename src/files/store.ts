// The file store: <data>/files/<2 hex>/<sha256> for stored copies and
// <data>/files/thumbs/<sha256>-<size> for thumbnails (JPEG or WebP, image.ts thumbFormat). Only hashes we computed become paths.
// Uploads are written to <data>/files/tmp first and moved into place by the single writer
// (inside the commit queue), so the orphan sweep, which also runs there, never deletes a file
// that a new row is about to use.
import { existsSync, mkdirSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Core } from "../core.ts";
import type { ThumbSize } from "./image.ts";

const HASH = /^[0-9a-f]{64}$/;
const checked = (sha256: string) => {
  if (!HASH.test(sha256)) throw new Error("not a sha256");
  return sha256;
};

export const filesDir = (core: Core) => join(core.config.dataDir, "files");
export const tmpDir = (core: Core) => join(filesDir(core), "tmp");
export const blobPath = (core: Core, sha256: string) => join(filesDir(core), checked(sha256).slice(0, 2), sha256);
export const thumbPath = (core: Core, sha256: string, size: ThumbSize) => join(filesDir(core), "thumbs", `${checked(sha256)}-${size}`);

/** A fresh temporary path (random name) for an upload in progress. */
export function tmpPath(core: Core): string {
  mkdirSync(tmpDir(core), { recursive: true });
  return join(tmpDir(core), `${Date.now()}-${crypto.randomUUID()}`);
}

export const removeQuietly = (path: string) => rmSync(path, { force: true });

/** Move a finished temporary file into place, or drop it when the same content is already stored. */
export function placeFile(tmp: string, target: string): void {
  if (existsSync(target)) {
    removeQuietly(tmp);
    return;
  }
  mkdirSync(join(target, ".."), { recursive: true });
  renameSync(tmp, target);
}

/** Remove a stored copy and its thumbnails (called by the sweep once nothing refers to it). */
export function removeBlob(core: Core, sha256: string): void {
  for (const path of [blobPath(core, sha256), thumbPath(core, sha256, "list"), thumbPath(core, sha256, "preview")]) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone (or never had thumbnails).
    }
  }
}

/** Leftovers of uploads interrupted by a crash or restart. */
export function clearTmp(core: Core): void {
  rmSync(tmpDir(core), { recursive: true, force: true });
}
