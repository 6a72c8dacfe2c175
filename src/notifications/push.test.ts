// Web Push end to end: a browser's subscription is stored, a mention is pushed to the push
// service (a loopback test server here) encrypted per RFC 8291 and signed with the instance's
// VAPID key, and a subscription the push service says is gone is removed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createECDH, randomBytes, type ECDH } from "node:crypto";
import { statSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import * as ece from "http_ece";
import { writeSetting } from "../instance/service.ts";
import { allowLoopbackPortForTests } from "../net/test-allowance.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { pushSubscriptions } from "./table.ts";

interface Received {
  path: string;
  headers: Headers;
  body: Uint8Array;
}
let app: TestApp;
let g: GuildFixture;
let reader: TestAccount;
let pushService: ReturnType<typeof Bun.serve>;
const received: Received[] = [];
const waiters: (() => void)[] = [];

beforeAll(async () => {
  // The push service: 201 for delivered, 410 for a subscription that no longer exists.
  pushService = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      received.push({ path, headers: req.headers, body: new Uint8Array(await req.arrayBuffer()) });
      for (const w of waiters.splice(0)) w();
      return new Response(null, { status: path.startsWith("/gone") ? 410 : 201 });
    },
  });
  app = await createTestApp();
  allowLoopbackPortForTests(app.server.core, pushService.port!);
  g = await createGuildFixture(app, "Pushers");
  reader = await createAccount(app, { displayName: "Reader" });
  await g.join(reader);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(async () => {
  await app.close();
  pushService.stop(true);
});

/** A browser's push subscription: its own P-256 key pair and auth secret, as PushManager makes them. */
function browserKeys(): { ecdh: ECDH; p256dh: string; auth: string } {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") };
}

const subscribe = (who: TestAccount, endpoint: string, keys: { p256dh: string; auth: string }) =>
  app.fetch("/settings/notifications/push", { method: "POST", headers: { Origin: app.url, Cookie: who.cookie, "Content-Type": "application/json" }, body: JSON.stringify({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }) });

async function nextPush(path: string, timeoutMs = 5000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = received.find((r) => r.path === path);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no push to ${path}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 100);
    });
  }
}

describe("web push", () => {
  test("a mention reaches a closed app: the push service gets an aes128gcm payload the browser can decrypt, signed with the instance's VAPID key", async () => {
    const keys = browserKeys();
    const endpoint = `http://127.0.0.1:${pushService.port}/sub/reader`;
    expect((await subscribe(reader, endpoint, keys)).status).toBe(204);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `lunch at noon <@${reader.user.id}>?` }, g.owner.bearer);
    const push = await nextPush("/sub/reader");
    expect(push.headers.get("content-encoding")).toBe("aes128gcm");
    expect(Number(push.headers.get("ttl"))).toBeGreaterThan(0);
    expect(push.headers.get("urgency")).toBe("high");
    const vapid = await json<{ public_key: string }>(await app.fetch("/settings/notifications/push-key", { headers: { Cookie: reader.cookie } }));
    expect(push.headers.get("authorization")).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.public_key}$`));
    // The keys live in the data dir, readable by the server's user only.
    expect(statSync(join(app.dataDir, "vapid.json")).mode & 0o777).toBe(0o600);
    // Nothing readable on the wire; the browser's private key opens it.
    expect(new TextDecoder().decode(push.body)).not.toContain("lunch");
    const payload = JSON.parse(ece.decrypt(Buffer.from(push.body), { version: "aes128gcm", privateKey: keys.ecdh, authSecret: keys.auth }).toString("utf8"));
    expect(payload).toEqual({ title: expect.stringContaining("#general, Pushers"), body: "lunch at noon @Reader?", url: `/channels/${g.guildId}/${g.generalId}`, tag: g.generalId });
  });

  test("pushes follow the settings: a muted channel sends nothing while a DM still arrives", async () => {
    const muter = await createAccount(app, { displayName: "Muter" });
    await g.join(muter);
    const keys = browserKeys();
    expect((await subscribe(muter, `http://127.0.0.1:${pushService.port}/sub/muter`, keys)).status).toBe(204);
    const form = new URLSearchParams({ level: "", mute: "0", suppress_everyone: "", suppress_roles: "" });
    expect((await app.fetch(`/settings/notifications/scope/${g.generalId}`, { method: "POST", headers: { Origin: app.url, Cookie: muter.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: form })).status).toBe(303);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `<@${muter.user.id}> while muted` }, g.owner.bearer);
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: muter.user.id }, g.owner.bearer));
    await api(app, "POST", `/channels/${dm.id}/messages`, { content: "a direct word" }, g.owner.bearer);
    await nextPush("/sub/muter");
    await Bun.sleep(100);
    const bodies = received.filter((r) => r.path === "/sub/muter").map((r) => JSON.parse(ece.decrypt(Buffer.from(r.body), { version: "aes128gcm", privateKey: keys.ecdh, authSecret: keys.auth }).toString("utf8")).body);
    expect(bodies).toEqual(["a direct word"]);
  });

  test("a subscription the push service says is gone (410) is removed", async () => {
    const gone = await createAccount(app);
    await g.join(gone);
    const endpoint = `http://127.0.0.1:${pushService.port}/gone/1`;
    expect((await subscribe(gone, endpoint, browserKeys())).status).toBe(204);
    const row = () => app.server.core.db.readOrm.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).get();
    expect(row()?.userId).toBe(gone.user.id);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `<@${gone.user.id}> hello` }, g.owner.bearer);
    await nextPush("/gone/1");
    for (let i = 0; i < 50 && row(); i++) await Bun.sleep(20);
    expect(row()).toBeUndefined();
  });

  test("a subscription without its keys or with a URL that is not one is refused with a clear error", async () => {
    const bad = await app.fetch("/settings/notifications/push", { method: "POST", headers: { Origin: app.url, Cookie: reader.cookie, "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ endpoint: "javascript:alert(1)", keys: {} }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("push subscription is incomplete");
    const foreign = await app.fetch("/settings/notifications/push", { method: "POST", headers: { Origin: "https://evil.example", Cookie: reader.cookie, "Content-Type": "application/json" }, body: "{}" });
    expect(foreign.status).toBe(403);
  });
});
