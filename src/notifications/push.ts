// Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), so an
// installed PWA that is closed still hears about mentions and DMs. The `web-push` library builds
// each request (the signed VAPID JWT and the encrypted body); we send it through safeFetch,
// because the endpoint URL comes from a browser and must never reach a private address.
// The VAPID key pair is generated on first use into the data dir (mode 0600): browsers bind a
// subscription to the public key, so it must survive restarts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq, inArray } from "drizzle-orm";
// web-push and its crypto dependencies load on the first push or key generation, not at start.
const webpush = (): typeof import("web-push") => require("web-push") as typeof import("web-push");
import type { Core } from "../core.ts";
import { safeFetch } from "../net/safe-fetch.ts";
import { pushSubscriptions, type PushSubscriptionRow } from "./table.ts";

interface VapidKeys {
  publicKey: string;
  privateKey: string;
}
const cache = new Map<string, VapidKeys>();

export function vapidKeys(core: Core): VapidKeys {
  const path = join(core.config.dataDir, "vapid.json");
  let keys = cache.get(path);
  if (keys) return keys;
  if (existsSync(path)) keys = JSON.parse(readFileSync(path, "utf8")) as VapidKeys;
  if (!keys?.publicKey || !keys.privateKey) {
    keys = webpush().generateVAPIDKeys();
    mkdirSync(core.config.dataDir, { recursive: true });
    writeFileSync(path, JSON.stringify(keys), { mode: 0o600 });
  }
  cache.set(path, keys);
  return keys;
}

export interface NewSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string;
}

/** Store a device's subscription (a browser that subscribes again, or for someone else, replaces its row). */
export async function subscribe(core: Core, userId: string, sub: NewSubscription): Promise<void> {
  const values = { userId, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth, userAgent: sub.userAgent.slice(0, 200), createdAt: Date.now() };
  await core.queue.write(({ orm }) => orm.insert(pushSubscriptions).values(values).onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values }).run());
}

export async function unsubscribe(core: Core, userId: string, endpoint: string): Promise<boolean> {
  const row = core.db.readOrm.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).get();
  if (!row || row.userId !== userId) return false;
  await core.queue.write(({ orm }) => orm.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).run());
  return true;
}

export function subscriptionsOf(core: Core, userIds: string[]): PushSubscriptionRow[] {
  if (userIds.length === 0) return [];
  return core.db.readOrm.select().from(pushSubscriptions).where(inArray(pushSubscriptions.userId, userIds)).all();
}

export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
}

/** Send one payload to each subscription; subscriptions the push service says are gone (404/410) are removed. */
export async function sendPush(core: Core, subs: PushSubscriptionRow[], payload: PushPayload): Promise<void> {
  const keys = vapidKeys(core);
  // The subject lets a push service contact the operator; it must be https: or mailto:.
  const subject = core.config.publicUrl.startsWith("https:") ? core.config.publicUrl : "mailto:admin@localhost";
  const gone: string[] = [];
  await Promise.all(
    subs.map(async (sub) => {
      try {
        const req = webpush().generateRequestDetails({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
          vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: 24 * 3600,
          contentEncoding: "aes128gcm",
          urgency: "high",
          topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32),
        });
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const res = await safeFetch(req.endpoint, { method: "POST", headers, body: new Uint8Array(req.body as Buffer), maxBytes: 16 * 1024, oversize: "truncate", maxRedirects: 0, timeoutMs: 10_000, context: core });
        if (res.status === 404 || res.status === 410) gone.push(sub.endpoint);
        else if (res.status >= 400) core.logger.warn("push refused", { status: res.status, host: new URL(sub.endpoint).host });
      } catch (err) {
        core.logger.warn("push failed", { err, host: URL.canParse(sub.endpoint) ? new URL(sub.endpoint).host : "" });
      }
    }),
  );
  if (gone.length) await core.queue.write(({ orm }) => orm.delete(pushSubscriptions).where(inArray(pushSubscriptions.endpoint, gone)).run());
}
