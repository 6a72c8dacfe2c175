// Messages through the API and the hub: order, paging, idempotent retries, permissions, bad input.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
let outsider: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Talkers");
  member = await createAccount(app);
  outsider = await createAccount(app);
  await g.join(member);
  // The per-user send limit has its own test; the others must not trip over it.
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Msg = { id: string; content: string; author: { id: string }; nonce?: string; timestamp: string; edited_timestamp: string | null };
const send = (who: TestAccount, content: unknown, extra: Record<string, unknown> = {}, channel = g.generalId) => api(app, "POST", `/channels/${channel}/messages`, { content, ...extra }, who.bearer);

describe("sending and reading", () => {
  test("messages come back newest first and page with before, after and around", async () => {
    const local = await createGuildFixture(app, "Pages");
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await send(local.owner, `m${i}`, {}, local.generalId);
      expect(res.status).toBe(200);
      sent.push((await json<Msg>(res)).id);
    }
    const get = async (q: string) => (await json<Msg[]>(await api(app, "GET", `/channels/${local.generalId}/messages${q}`, undefined, local.owner.bearer))).map((m) => m.content);
    expect(await get("?limit=3")).toEqual(["m9", "m8", "m7"]);
    expect(await get(`?before=${sent[5]}&limit=2`)).toEqual(["m4", "m3"]);
    expect(await get(`?after=${sent[7]}`)).toEqual(["m9", "m8"]);
    expect(await get(`?around=${sent[6]}&limit=3`)).toEqual(["m7", "m6", "m5"]);
    for (const q of ["?limit=0", "?limit=101", "?before=abc", "?around=-1"]) {
      expect((await api(app, "GET", `/channels/${local.generalId}/messages${q}`, undefined, local.owner.bearer)).status).toBe(400);
    }
  });

  test("the server assigns id, author and time; spoofed fields are refused", async () => {
    const res = await send(member, "hello", {});
    const msg = await json<Msg>(res);
    expect(msg.author.id).toBe(member.user.id);
    expect(Math.abs(Date.parse(msg.timestamp) - Date.now())).toBeLessThan(10_000);
    for (const spoof of [{ id: "1" }, { author: { id: g.owner.user.id } }, { timestamp: "2000-01-01T00:00:00Z" }, { edited_timestamp: "x" }, { seq: 5 }]) {
      expect((await send(member, "spoof", spoof)).status).toBe(400);
    }
  });

  test("a retried nonce returns the original message and creates nothing, even when retries race", async () => {
    const first = await json<Msg>(await send(member, "once", { nonce: "retry-1", enforce_nonce: true }));
    const again = await json<Msg>(await send(member, "once (retry)", { nonce: "retry-1", enforce_nonce: true }));
    expect(again.id).toBe(first.id);
    expect(again.content).toBe("once");
    const racing = await Promise.all(Array.from({ length: 8 }, () => send(member, "raced", { nonce: "race-7" })));
    const idsSeen = new Set(await Promise.all(racing.map(async (r) => (await json<Msg>(r)).id)));
    expect(idsSeen.size).toBe(1);
    // Nonces are per author: the same nonce from someone else is a different message.
    expect((await json<Msg>(await send(g.owner, "mine", { nonce: "retry-1" }))).id).not.toBe(first.id);
  });

  test("bad content is refused with a clear message and nothing is stored", async () => {
    const before = (await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=100`, undefined, member.bearer))).length;
    const cases: [unknown, RegExp][] = [["", /empty/], ["   \n  ", /empty/], ["x".repeat(4001), /4000/], [{ $ne: 1 }, /./], [null, /./], [["a"], /./]];
    for (const [content, message] of cases) {
      const res = await send(member, content);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    expect((await send(member, "ok", { nonce: "x".repeat(26) })).status).toBe(400);
    const malformed = await app.fetch(`/api/v10/channels/${g.generalId}/messages`, { method: "POST", headers: { ...member.bearer, "Content-Type": "application/json" }, body: '{"content": "x"' });
    expect(malformed.status).toBe(400);
    expect((await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=100`, undefined, member.bearer))).length).toBe(before);
  });

  test("exactly 4000 characters fit", async () => {
    expect((await send(member, "é".repeat(4000))).status).toBe(200);
  });
});

describe("permissions", () => {
  test("scenario table: who can read, send, edit and delete", async () => {
    const msg = await json<Msg>(await send(member, "member's words"));
    const cases: [string, TestAccount | null, string, string, number][] = [
      ["outsider reads", outsider, "GET", `/channels/${g.generalId}/messages`, 404],
      ["outsider sends", outsider, "POST", `/channels/${g.generalId}/messages`, 404],
      ["anonymous reads", null, "GET", `/channels/${g.generalId}/messages`, 401],
      ["owner edits member's", g.owner, "PATCH", `/channels/${g.generalId}/messages/${msg.id}`, 403],
      ["member edits own", member, "PATCH", `/channels/${g.generalId}/messages/${msg.id}`, 200],
      ["outsider deletes", outsider, "DELETE", `/channels/${g.generalId}/messages/${msg.id}`, 404],
      ["owner (manager) deletes member's", g.owner, "DELETE", `/channels/${g.generalId}/messages/${msg.id}`, 204],
      ["deleted is gone", member, "GET", `/channels/${g.generalId}/messages/${msg.id}`, 404],
    ];
    for (const [name, who, method, path, status] of cases) {
      const body = method === "GET" || method === "DELETE" ? undefined : { content: "edited words" };
      const res = await api(app, method, path, body, who ? who.bearer : {});
      expect({ name, status: res.status }).toEqual({ name, status });
    }
  });

  test("a member cannot delete someone else's message, and sending needs SEND_MESSAGES", async () => {
    const ownerMsg = await json<Msg>(await send(g.owner, "owner's"));
    expect((await api(app, "DELETE", `/channels/${g.generalId}/messages/${ownerMsg.id}`, undefined, member.bearer)).status).toBe(403);
    const quiet = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "announcements", type: 0 }, g.owner.bearer));
    await api(app, "PUT", `/channels/${quiet.id}/permissions/${g.guildId}`, { type: 0, deny: (1n << 11n).toString() }, g.owner.bearer);
    expect((await send(member, "can I?", {}, quiet.id)).status).toBe(403);
    expect((await api(app, "GET", `/channels/${quiet.id}/messages`, undefined, member.bearer)).status).toBe(200);
    expect((await send(g.owner, "yes I can", {}, quiet.id)).status).toBe(200);
  });

  test("the per-user send limit (10 per 5 s by default, set by the instance) answers 429", async () => {
    await writeSetting(app.server.queue, "message_rate_limit", 3);
    const talker = await createAccount(app);
    await g.join(talker);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(talker, `quick ${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await writeSetting(app.server.queue, "message_rate_limit", 0);
  });

  test("slowmode refuses a second message too soon with 429 and retry_after; managers are exempt", async () => {
    const slow = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "slow", type: 0 }, g.owner.bearer));
    await api(app, "PATCH", `/channels/${slow.id}`, { rate_limit_per_user: 30 }, g.owner.bearer);
    expect((await send(member, "first", {}, slow.id)).status).toBe(200);
    const second = await send(member, "second", {}, slow.id);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(((await second.json()) as { retry_after: number }).retry_after).toBeGreaterThan(0);
    expect((await send(g.owner, "a", {}, slow.id)).status).toBe(200);
    expect((await send(g.owner, "b", {}, slow.id)).status).toBe(200);
  });
});

describe("the live hub", () => {
  async function socket(who: TestAccount, channelId: string) {
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws?channel=${channelId}`, { headers: { Cookie: who.cookie, Origin: app.url } } as never);
    const frames: string[] = [];
    ws.onmessage = (e) => frames.push(String(e.data));
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return { ws, frames };
  }

  test("subscribers of the channel receive the rendered message once per change; others receive nothing", async () => {
    const a = await socket(member, g.generalId);
    const other = await createGuildFixture(app, "Elsewhere");
    const b = await socket(other.owner, other.generalId);
    const msg = await json<Msg>(await send(g.owner, "**live** <script>alert(1)</script>"));
    await api(app, "PATCH", `/channels/${g.generalId}/messages/${msg.id}`, { content: "edited live" }, g.owner.bearer);
    await api(app, "DELETE", `/channels/${g.generalId}/messages/${msg.id}`, undefined, g.owner.bearer);
    await Bun.sleep(100);
    // Tabs also hear presence (the member list, DM partners) and read state: keep the message frames.
    const messageFrames = (frames: string[]) => frames.filter((f) => /^<hx-partial hx-target="#m(essages|-\d+)"/.test(f));
    a.frames.splice(0, a.frames.length, ...messageFrames(a.frames));
    expect(a.frames).toHaveLength(3);
    expect(a.frames[0]).toStartWith('<hx-partial hx-target="#messages" hx-swap="beforeend"><article class="message" id="m-');
    expect(a.frames[0]).toContain("<strong>live</strong>");
    expect(a.frames[0]).not.toContain("<script>");
    expect(a.frames[1]).toContain(`hx-target="#m-${msg.id}" hx-swap="outerHTML"`);
    expect(a.frames[2]).toBe(`<hx-partial hx-target="#m-${msg.id}" hx-swap="delete"></hx-partial>`);
    // The other server's tab may hear its own member list (its owner just came online), never these messages.
    expect(messageFrames(b.frames)).toEqual([]);
    expect(b.frames.join()).not.toContain(msg.id);
    a.ws.close();
    b.ws.close();
  });

  test("losing access closes the tab's socket at once, and nothing more is delivered to it", async () => {
    const room = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "soon private", type: 0 }, g.owner.bearer));
    const tab = await socket(member, room.id);
    const closed = new Promise<number>((resolve) => (tab.ws.onclose = (e) => resolve(e.code)));
    await api(app, "PUT", `/channels/${room.id}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
    expect(await Promise.race([closed, Bun.sleep(2000).then(() => -1)])).toBe(4003);
    await send(g.owner, "after the door closed", {}, room.id);
    await Bun.sleep(50);
    expect(tab.frames.some((f) => f.includes("after the door closed"))).toBe(false);
  });

  test("subscribing to a channel you cannot see is refused", async () => {
    await expect(socket(outsider, g.generalId)).rejects.toBeDefined();
    const res = await app.fetch(`/ws?channel=${g.generalId}`, { headers: { Cookie: outsider.cookie, Origin: app.url, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" } });
    expect(res.status).toBe(404);
  });
});
