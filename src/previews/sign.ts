// Signed image-proxy URLs: /previews/image?url=...&sig=HMAC(url). Only URLs that the server itself
// put in an embed carry a valid signature, so the proxy cannot be used to fetch arbitrary URLs.
// The key is generated on first use into the data dir (mode 0600) and survives restarts, so
// rendered messages keep working.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Core } from "../core.ts";

const keys = new Map<string, Buffer>();

function proxyKey(core: Core): Buffer {
  const path = join(core.config.dataDir, "preview-proxy.key");
  let key = keys.get(path);
  if (key) return key;
  if (existsSync(path)) key = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
  if (!key || key.length < 32) {
    key = randomBytes(32);
    mkdirSync(core.config.dataDir, { recursive: true });
    writeFileSync(path, key.toString("base64url"), { mode: 0o600 });
  }
  keys.set(path, key);
  return key;
}

export const signUrl = (core: Core, url: string) => createHmac("sha256", proxyKey(core)).update(url).digest("base64url").slice(0, 32);

export function verifyUrl(core: Core, url: string, sig: string): boolean {
  const want = Buffer.from(signUrl(core, url));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The same-origin path that shows an outside image through the guard. */
export const proxyPath = (core: Core, url: string) => `/previews/image?url=${encodeURIComponent(url)}&sig=${signUrl(core, url)}`;
