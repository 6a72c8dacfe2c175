// Signed attachment URLs, as Discord's CDN hands out since 2024 (?ex=&is=&hm=): the API's `url`
// and `proxy_url` carry an expiry and an HMAC of the attachment id and expiry, so a bot or a
// download tool can fetch the file without a session (discord.js and most libraries fetch
// attachment URLs with no Authorization header). They are only handed to people who can see the
// channel, and stop working after SIGNED_TTL_S. Pages use the unsigned path, checked against the
// reader's session. The key is generated on first use into the data dir (mode 0600).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Core } from "../core.ts";

export const SIGNED_TTL_S = 24 * 3600;
const keys = new Map<string, Buffer>();

function key(core: Core): Buffer {
  const path = join(core.config.dataDir, "attachments.key");
  let k = keys.get(path);
  if (k) return k;
  if (existsSync(path)) k = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
  if (!k || k.length < 32) {
    k = randomBytes(32);
    mkdirSync(core.config.dataDir, { recursive: true });
    writeFileSync(path, k.toString("base64url"), { mode: 0o600 });
  }
  keys.set(path, k);
  return k;
}

const mac = (core: Core, attachmentId: string, ex: string) => createHmac("sha256", key(core)).update(`${attachmentId}:${ex}`).digest("hex");

/** `ex`, `is` and `hm` for an attachment; the expiry is rounded to the hour so one message's URLs stay the same for a while. */
export function signature(core: Core, attachmentId: string, now = Date.now()): string {
  const issued = Math.floor(now / 1000);
  const ex = (Math.ceil((issued + SIGNED_TTL_S) / 3600) * 3600).toString(16);
  return `ex=${ex}&is=${issued.toString(16)}&hm=${mac(core, attachmentId, ex)}`;
}

export function validSignature(core: Core, attachmentId: string, q: { ex?: string; hm?: string }, now = Date.now()): boolean {
  if (!q.ex || !q.hm || !/^[0-9a-f]{1,12}$/.test(q.ex) || !/^[0-9a-f]{64}$/.test(q.hm)) return false;
  if (Number.parseInt(q.ex, 16) * 1000 < now) return false;
  return timingSafeEqual(Buffer.from(mac(core, attachmentId, q.ex)), Buffer.from(q.hm));
}
