// Event subscriptions (outgoing webhooks) through the real app and a local receiving endpoint:
// who may subscribe, bad input, signed deliveries of message, reaction and member events,
// privacy of channels the creator cannot see, retries with backoff for 24 h, disabling, the
// settings page and its delivery log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { writeSetting } from "../instance/service.ts";
import { allowLoopbackPortForTests } from "../net/test-allowance.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { deliverDue, setDeliveryClock } from "./deliver.ts";

type Received = { path: string; event: string; delivery: string; timestamp: string; signature: string; raw: string; body: { type: string; guild_id: string; data: Record<string, any> } };
type Sub = { id: string; url: string; events: string[]; enabled: boolean; failures: number; secret?: string };
type DeliveryRow = { id: string; event: string; status: string; attempts: number; next_attempt_at: string | null; last_status: number | null; last_error: string | null };

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let receiver: ReturnType<typeof Bun.serve>;
const received: Received[] = [];
/** Paths answering 500 (a failing endpoint). */
const failing = new Set<string>();

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Hooked");
  alice = await createAccount(app, { displayName: "Alice" });
  await g.join(alice);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (failing.has(path)) return new Response("down", { status: 500 });
      const raw = await req.text();
      received.push({ path, event: req.headers.get("X-Pokynano-Event") ?? "", delivery: req.headers.get("X-Pokynano-Delivery") ?? "", timestamp: req.headers.get("X-Pokynano-Timestamp") ?? "", signature: req.headers.get("X-Pokynano-Signature") ?? "", raw, body: JSON.parse(raw) });
      return new Response(null, { status: 204 });
    },
  });
  allowLoopbackPortForTests(app.server.core, receiver.port!);
});
afterAll(async () => {
  receiver.stop(true);
  await app.close();
});

const endpoint = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;
async function until<T>(fn: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v) return v;
    await Bun.sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}
const subscribe = async (body: unknown, who = g.owner) => api(app, "POST", `/guilds/${g.guildId}/subscriptions`, body, who.bearer);
const send = async (content: string, who = g.owner, channel = g.generalId) => json<{ id: string }>(await api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer));

describe("event subscriptions", () => {
  test("only MANAGE_WEBHOOKS or MANAGE_GUILD may subscribe; the secret is shown once; bad input is a 400 that saves nothing", async () => {
    expect((await subscribe({ url: endpoint("/nope"), events: ["MESSAGE_CREATE"] }, alice)).status).toBe(403);
    expect((await api(app, "GET", `/guilds/${g.guildId}/subscriptions`, undefined, alice.bearer)).status).toBe(403);
    const stranger = await createAccount(app);
    expect((await subscribe({ url: endpoint("/nope"), events: ["MESSAGE_CREATE"] }, stranger)).status).toBe(404);

    const bad: [unknown, string][] = [
      [{ url: "ftp://example.org/x", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "http://127.0.0.1:9/x", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "http://10.0.0.8/x", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "http://169.254.169.254/latest", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "http://localhost/x", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "http://user:pw@example.org/x", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "http://0x7f.1/x", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: "not a url", events: ["MESSAGE_CREATE"] }, "url"],
      [{ url: endpoint("/x"), events: [] }, "events"],
      [{ url: endpoint("/x"), events: ["READY"] }, "events.0"],
      [{ url: endpoint("/x"), events: "MESSAGE_CREATE" }, "events"],
      [{ url: endpoint("/x") }, "events"],
      [{ url: endpoint("/x"), events: ["MESSAGE_CREATE"], extra: 1 }, "body"],
      [{ url: 5, events: ["MESSAGE_CREATE"] }, "url"],
    ];
    for (const [body, field] of bad) {
      const res = await subscribe(body);
      expect(res.status).toBe(400);
      expect(Object.keys((await json<{ errors?: Record<string, unknown> }>(res)).errors ?? {}).join()).toContain(field);
    }
    expect((await api(app, "POST", `/guilds/${g.guildId}/subscriptions`, undefined, { ...g.owner.bearer, "Content-Type": "application/json" })).status).toBe(400);
    expect(await json<Sub[]>(await api(app, "GET", `/guilds/${g.guildId}/subscriptions`, undefined, g.owner.bearer))).toEqual([]);

    const res = await subscribe({ url: endpoint("/once"), events: ["GUILD_ROLE_CREATE"] });
    expect(res.status).toBe(201);
    const created = await json<Sub>(res);
    expect(created.secret).toMatch(/^pkw_[A-Za-z0-9_-]{43}$/);
    const again = await json<Sub>(await api(app, "GET", `/subscriptions/${created.id}`, undefined, g.owner.bearer));
    expect(again.secret).toBeUndefined();
    expect((await api(app, "GET", `/subscriptions/${created.id}`, undefined, alice.bearer)).status).toBe(404);
    expect((await api(app, "GET", `/subscriptions/abc`, undefined, g.owner.bearer)).status).toBe(404);
    for (const body of [{ url: "http://192.168.1.1/" }, { events: ["NOPE"] }, { enabled: "yes" }, { other: true }]) expect((await api(app, "PATCH", `/subscriptions/${created.id}`, body, g.owner.bearer)).status).toBe(400);
    const rotated = await json<Sub>(await api(app, "POST", `/subscriptions/${created.id}/secret`, undefined, g.owner.bearer));
    expect(rotated.secret).toMatch(/^pkw_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect((await api(app, "DELETE", `/subscriptions/${created.id}`, undefined, alice.bearer)).status).toBe(404);
    expect((await api(app, "DELETE", `/subscriptions/${created.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/subscriptions/${created.id}`, undefined, g.owner.bearer)).status).toBe(404);
  });

  test("message, reaction and member events arrive signed with HMAC-SHA256 over timestamp.body, in the gateway's shapes; unsubscribed events do not", async () => {
    const sub = await json<Sub>(await subscribe({ url: endpoint("/events"), events: ["MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_REACTION_ADD", "GUILD_MEMBER_ADD", "GUILD_MEMBER_REMOVE"] }));
    const mine = () => received.filter((r) => r.path === "/events");
    const m = await send("hello hooks");
    await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "hello hooks, edited" }, g.owner.bearer);
    await api(app, "PUT", `/channels/${g.generalId}/messages/${m.id}/reactions/${encodeURIComponent("👍")}/@me`, undefined, alice.bearer);
    await api(app, "DELETE", `/channels/${g.generalId}/messages/${m.id}`, undefined, g.owner.bearer);
    const bob = await createAccount(app, { displayName: "Bob" });
    await g.join(bob);
    await api(app, "DELETE", `/users/@me/guilds/${g.guildId}`, undefined, bob.bearer);
    // Not subscribed: a role change.
    await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "quiet" }, g.owner.bearer);
    const got = await until(() => (new Set(mine().map((r) => r.event)).size >= 6 ? mine() : false), "six kinds of deliveries");
    await Bun.sleep(100);
    expect([...new Set(got.map((r) => r.event))].sort()).toEqual(["GUILD_MEMBER_ADD", "GUILD_MEMBER_REMOVE", "MESSAGE_CREATE", "MESSAGE_DELETE", "MESSAGE_REACTION_ADD", "MESSAGE_UPDATE"]);
    for (const r of got) {
      const expected = `sha256=${createHmac("sha256", sub.secret!).update(`${r.timestamp}.${r.raw}`).digest("hex")}`;
      expect(r.signature).toBe(expected);
      expect(Math.abs(Number(r.timestamp) - Date.now() / 1000)).toBeLessThan(30);
      expect(r.body.type).toBe(r.event);
      expect(r.delivery).toMatch(/^\d+$/);
    }
    const byEvent = Object.fromEntries(got.map((r) => [r.event, r.body.data]).reverse());
    expect(byEvent.MESSAGE_CREATE).toMatchObject({ id: m.id, content: "hello hooks", channel_id: g.generalId, guild_id: g.guildId, author: { id: g.owner.user.id } });
    expect(byEvent.MESSAGE_UPDATE).toMatchObject({ id: m.id, content: "hello hooks, edited" });
    expect(byEvent.MESSAGE_REACTION_ADD).toMatchObject({ message_id: m.id, user_id: alice.user.id, emoji: { name: "👍" } });
    expect(byEvent.MESSAGE_DELETE).toMatchObject({ id: m.id, channel_id: g.generalId });
    expect(byEvent.GUILD_MEMBER_ADD).toMatchObject({ guild_id: g.guildId, user: { id: bob.user.id, username: bob.user.username } });
    expect(byEvent.GUILD_MEMBER_REMOVE).toMatchObject({ guild_id: g.guildId, user: { id: bob.user.id } });
    // A tampered body or an old timestamp does not match the signature.
    const one = got[0]!;
    expect(`sha256=${createHmac("sha256", sub.secret!).update(`${one.timestamp}.${one.raw} `).digest("hex")}`).not.toBe(one.signature);
    const log = await json<DeliveryRow[]>(await api(app, "GET", `/subscriptions/${sub.id}/deliveries`, undefined, g.owner.bearer));
    expect(log.filter((d) => d.status === "delivered").length).toBe(got.length);
    expect(log[0]).toMatchObject({ status: "delivered", attempts: 1, last_status: 204, last_error: null, next_attempt_at: null });
    await api(app, "DELETE", `/subscriptions/${sub.id}`, undefined, g.owner.bearer);
  });

  test("a subscription hears only channels its creator can see", async () => {
    const mod = await createAccount(app, { displayName: "Mod" });
    await g.join(mod);
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "hooks", permissions: String(1n << 29n) }, g.owner.bearer));
    expect((await api(app, "PUT", `/guilds/${g.guildId}/members/${mod.user.id}/roles/${role.id}`, undefined, g.owner.bearer)).status).toBe(204);
    const secret = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "staff" }, g.owner.bearer));
    await api(app, "PUT", `/channels/${secret.id}/permissions/${g.guildId}`, { type: 0, allow: "0", deny: String(1n << 10n) }, g.owner.bearer);
    const sub = await json<Sub>(await subscribe({ url: endpoint("/private"), events: ["MESSAGE_CREATE"] }, mod));
    await send("in staff", g.owner, secret.id);
    const open = await send("in general");
    await until(() => received.find((r) => r.body.data?.id === open.id), "the general message");
    await Bun.sleep(150);
    expect(received.filter((r) => r.path === "/private").map((r) => r.body.data.content)).toEqual(["in general"]);
    await api(app, "DELETE", `/subscriptions/${sub.id}`, undefined, mod.bearer);
  });

  test("a failing endpoint is retried with doubling delays (30 s up to 1 h) for 24 h, then the delivery fails and the subscription is disabled", async () => {
    failing.add("/down");
    let now = Date.now();
    setDeliveryClock(app.server.core, { now: () => now });
    try {
      const sub = await json<Sub>(await subscribe({ url: endpoint("/down"), events: ["MESSAGE_CREATE"] }));
      const start = now;
      await send("will fail");
      const log = async () => (await json<DeliveryRow[]>(await api(app, "GET", `/subscriptions/${sub.id}/deliveries`, undefined, g.owner.bearer)))[0];
      await until(async () => true, "");
      const first = await (async () => {
        for (let i = 0; i < 200; i++) {
          const d = await log();
          if (d && d.attempts === 1) return d;
          await Bun.sleep(20);
        }
        throw new Error("no first attempt");
      })();
      expect(first).toMatchObject({ status: "pending", last_status: 500, last_error: "HTTP 500" });
      const delays: number[] = [];
      let row = first;
      while (row.status === "pending") {
        const next = Date.parse(row.next_attempt_at!);
        delays.push(next - now);
        now = next;
        await deliverDue(app.server.core);
        row = (await log())!;
        if (row.attempts > 60) throw new Error("never gave up");
      }
      expect(delays.slice(0, 8)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
      expect(delays.slice(8).every((d) => d === 3_600_000)).toBe(true);
      expect(row.status).toBe("failed");
      expect(row.last_error).toContain("gave up after 24 h");
      expect(now - start).toBeLessThanOrEqual(24 * 3600_000);
      expect(now - start).toBeGreaterThan(23 * 3600_000);
      const after = await json<Sub>(await api(app, "GET", `/subscriptions/${sub.id}`, undefined, g.owner.bearer));
      expect(after).toMatchObject({ enabled: false, failures: row.attempts });
      // Disabled: new events are not queued. Enabled again: the count starts afresh and deliveries resume.
      await send("while disabled");
      failing.delete("/down");
      const enabled = await json<Sub>(await api(app, "PATCH", `/subscriptions/${sub.id}`, { enabled: true }, g.owner.bearer));
      expect(enabled).toMatchObject({ enabled: true, failures: 0 });
      const back = await send("back up");
      await until(() => received.find((r) => r.body.data?.id === back.id), "delivery after re-enabling");
      expect(received.filter((r) => r.path === "/down").map((r) => r.body.data.content)).toEqual(["back up"]);
      await api(app, "DELETE", `/subscriptions/${sub.id}`, undefined, g.owner.bearer);
    } finally {
      setDeliveryClock(app.server.core, { now: Date.now });
      failing.delete("/down");
    }
  });

  test("a success between failures resets the count, so one flaky endpoint stays enabled", async () => {
    let now = Date.now();
    setDeliveryClock(app.server.core, { now: () => now, backoff: () => 1000 });
    try {
      const sub = await json<Sub>(await subscribe({ url: endpoint("/flaky"), events: ["MESSAGE_CREATE"] }));
      failing.add("/flaky");
      const m = await send("flaky");
      await until(async () => true, "");
      for (let i = 0; i < 100 && (await json<Sub>(await api(app, "GET", `/subscriptions/${sub.id}`, undefined, g.owner.bearer))).failures < 1; i++) await Bun.sleep(20);
      failing.delete("/flaky");
      now += 1000;
      await deliverDue(app.server.core);
      expect(received.some((r) => r.body.data?.id === m.id)).toBe(true);
      const after = await json<Sub>(await api(app, "GET", `/subscriptions/${sub.id}`, undefined, g.owner.bearer));
      expect(after).toMatchObject({ enabled: true, failures: 0 });
      const [row] = await json<DeliveryRow[]>(await api(app, "GET", `/subscriptions/${sub.id}/deliveries`, undefined, g.owner.bearer));
      expect(row).toMatchObject({ status: "delivered", attempts: 2, last_status: 204 });
      await api(app, "DELETE", `/subscriptions/${sub.id}`, undefined, g.owner.bearer);
    } finally {
      setDeliveryClock(app.server.core, { now: Date.now, backoff: (n) => Math.min(30_000 * 2 ** Math.max(0, n - 1), 3_600_000) });
      failing.delete("/flaky");
    }
  });

  test("the settings page subscribes with the secret shown once, sends a test event, pauses, rotates and deletes, and shows the delivery log", async () => {
    const page = `/guilds/${g.guildId}/settings/subscriptions`;
    expect((await app.fetch(page, { headers: { Cookie: alice.cookie } })).status).toBe(403);
    const empty = await app.fetch(page, { headers: { Cookie: g.owner.cookie } });
    expect(empty.status).toBe(200);
    const bad = await postForm(app, `/guilds/${g.guildId}/subscriptions`, { url: "http://10.1.2.3/hook", events: ["MESSAGE_CREATE"] }, g.owner.cookie);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('value="http://10.1.2.3/hook"');
    expect(badHtml).toContain("field-error");
    const none = await postForm(app, `/guilds/${g.guildId}/subscriptions`, { url: endpoint("/page") }, g.owner.cookie);
    expect(none.status).toBe(400);
    const created = await postForm(app, `/guilds/${g.guildId}/subscriptions`, { url: endpoint("/page"), events: ["MESSAGE_CREATE", "GUILD_MEMBER_ADD"] }, g.owner.cookie);
    expect(created.status).toBe(200);
    const html = await created.text();
    const secret = /(pkw_[A-Za-z0-9_-]{43})/.exec(html)?.[1];
    expect(secret).toBeDefined();
    const [sub] = await json<Sub[]>(await api(app, "GET", `/guilds/${g.guildId}/subscriptions`, undefined, g.owner.bearer));
    expect(sub!.events).toEqual(["MESSAGE_CREATE", "GUILD_MEMBER_ADD"]);
    expect(await (await app.fetch(page, { headers: { Cookie: g.owner.cookie } })).text()).not.toContain(secret!);

    expect((await postForm(app, `/guilds/${g.guildId}/subscriptions/${sub!.id}/ping`, {}, g.owner.cookie)).status).toBe(303);
    const ping = await until(() => received.find((r) => r.event === "PING" && r.body.data?.subscription_id === sub!.id), "the test event");
    expect(ping.signature).toBe(`sha256=${createHmac("sha256", secret!).update(`${ping.timestamp}.${ping.raw}`).digest("hex")}`);
    await Bun.sleep(50);
    const withLog = await (await app.fetch(page, { headers: { Cookie: g.owner.cookie } })).text();
    expect(withLog).toContain('class="delivery delivery-delivered"');
    expect(withLog).toContain("<td>PING</td>");

    expect((await postForm(app, `/guilds/${g.guildId}/subscriptions/${sub!.id}/pause`, {}, g.owner.cookie)).status).toBe(303);
    expect((await json<Sub>(await api(app, "GET", `/subscriptions/${sub!.id}`, undefined, g.owner.bearer))).enabled).toBe(false);
    const rotated = await (await postForm(app, `/guilds/${g.guildId}/subscriptions/${sub!.id}/secret`, {}, g.owner.cookie)).text();
    expect(/(pkw_[A-Za-z0-9_-]{43})/.exec(rotated)?.[1]).not.toBe(secret);
    expect((await postForm(app, `/guilds/${g.guildId}/subscriptions/${sub!.id}/delete`, {}, alice.cookie)).status).toBe(404);
    expect((await postForm(app, `/guilds/${g.guildId}/subscriptions/${sub!.id}/delete`, {}, g.owner.cookie)).status).toBe(303);
    expect(await json<Sub[]>(await api(app, "GET", `/guilds/${g.guildId}/subscriptions`, undefined, g.owner.bearer))).toEqual([]);
  });
});
