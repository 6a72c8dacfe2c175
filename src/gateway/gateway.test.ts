// The JSON gateway, as a Discord bot library would use it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";

let app: TestApp;
let g: GuildFixture;
let bot: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Gateway Land");
  bot = await createAccount(app);
  await g.join(bot);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Frame = { op: number; t?: string | null; s?: number | null; d?: any };

class Client {
  frames: Frame[] = [];
  closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => {
      this.frames.push(JSON.parse(String(e.data)));
      for (const w of this.waiters.splice(0)) w();
    };
    this.closed = new Promise((resolve) => (ws.onclose = (e) => resolve({ code: e.code, reason: e.reason })));
  }
  static async connect(headers: Record<string, string> = {}): Promise<Client> {
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`, { headers } as never);
    const client = new Client(ws);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return client;
  }
  send(payload: unknown) {
    this.ws.send(typeof payload === "string" ? payload : JSON.stringify(payload));
  }
  async next(match: (f: Frame) => boolean, timeout = 2000): Promise<Frame> {
    const started = Date.now();
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() - started > timeout) throw new Error(`no matching frame; got ${JSON.stringify(this.frames.map((f) => f.t ?? f.op))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

const identify = async (token = bot.token) => {
  const c = await Client.connect();
  const hello = await c.next((f) => f.op === 10);
  expect(hello.d.heartbeat_interval).toBeGreaterThan(0);
  c.send({ op: 2, d: { token, intents: 513, properties: { os: "linux", browser: "test", device: "test" } } });
  return c;
};

describe("the JSON gateway", () => {
  test("GET /gateway tells where it is", async () => {
    const res = await api(app, "GET", "/gateway");
    expect(((await res.json()) as { url: string }).url).toBe(`${app.url.replace("http", "ws")}/gateway`);
  });

  test("HELLO, IDENTIFY, READY and GUILD_CREATE, then live dispatches with increasing s", async () => {
    const c = await identify();
    const ready = await c.next((f) => f.t === "READY");
    expect(ready.d.user.id).toBe(bot.user.id);
    expect(ready.d.session_id).toMatch(/^[0-9a-f]{32}$/);
    expect(ready.d.guilds).toContainEqual({ id: g.guildId, unavailable: true });
    const guild = await c.next((f) => f.t === "GUILD_CREATE");
    expect(guild.d.id).toBe(g.guildId);
    expect(guild.d.channels.some((ch: { id: string }) => ch.id === g.generalId)).toBe(true);
    c.send({ op: 1, d: ready.s });
    await c.next((f) => f.op === 11);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "hello bots" }, g.owner.bearer);
    const created = await c.next((f) => f.t === "MESSAGE_CREATE");
    expect(created.d).toMatchObject({ content: "hello bots", channel_id: g.generalId, guild_id: g.guildId });
    expect(created.s!).toBeGreaterThan(guild.s!);
    c.ws.close();
  });

  test("protocol errors close the connection with Discord's codes", async () => {
    const cases: [unknown, number][] = [
      ["{not json", 4002],
      [[1, 2], 4002],
      [{ op: 99 }, 4001],
      [{ op: 2, d: { token: "nope" } }, 4004],
      [{ op: 2, d: { token: `Bot ${bot.token}` } }, 4004],
    ];
    for (const [payload, code] of cases) {
      const c = await Client.connect();
      await c.next((f) => f.op === 10);
      c.send(payload);
      expect((await c.closed).code).toBe(code);
    }
    const twice = await identify();
    await twice.next((f) => f.t === "READY");
    twice.send({ op: 2, d: { token: bot.token } });
    expect((await twice.closed).code).toBe(4005);
  });

  test("a client that reconnects with RESUME gets every missed event in order, then RESUMED", async () => {
    const c = await identify();
    const ready = await c.next((f) => f.t === "READY");
    await c.next((f) => f.t === "GUILD_CREATE");
    const lastSeen = Math.max(...c.frames.map((f) => f.s ?? 0));
    c.ws.close();
    await c.closed;
    for (let i = 0; i < 5; i++) await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `missed ${i}` }, g.owner.bearer);
    const r = await Client.connect();
    await r.next((f) => f.op === 10);
    r.send({ op: 6, d: { token: bot.token, session_id: ready.d.session_id, seq: lastSeen } });
    await r.next((f) => f.t === "RESUMED");
    const replayed = r.frames.filter((f) => f.t === "MESSAGE_CREATE").map((f) => f.d.content);
    expect(replayed).toEqual(["missed 0", "missed 1", "missed 2", "missed 3", "missed 4"]);
    const seqs = r.frames.filter((f) => f.op === 0).map((f) => f.s!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    r.ws.close();
  });

  test("a resume that is too late, unknown or from another user gets INVALID_SESSION", async () => {
    const c = await identify();
    const ready = await c.next((f) => f.t === "READY");
    c.ws.close();
    const other = await createAccount(app);
    for (const d of [
      { token: bot.token, session_id: "nope", seq: ready.s },
      { token: other.token, session_id: ready.d.session_id, seq: ready.s },
      { token: bot.token, session_id: ready.d.session_id, seq: -5 },
    ]) {
      const r = await Client.connect();
      await r.next((f) => f.op === 10);
      r.send({ op: 6, d });
      expect((await r.next((f) => f.op === 9)).d).toBe(false);
      r.ws.close();
    }
  });

  test("logging out closes the gateway connection and the session cannot be resumed", async () => {
    const acct = await createAccount(app);
    await g.join(acct);
    const c = await identify(acct.token);
    const ready = await c.next((f) => f.t === "READY");
    await api(app, "POST", "/auth/logout", undefined, acct.bearer);
    expect((await c.closed).code).toBe(4004);
    const r = await Client.connect();
    await r.next((f) => f.op === 10);
    r.send({ op: 6, d: { token: acct.token, session_id: ready.d.session_id, seq: ready.s } });
    expect((await r.next((f) => f.op === 9)).op).toBe(9);
  });

  test("a client that loses access to a channel stops receiving its events", async () => {
    const room = (await (await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "closing", type: 0 }, g.owner.bearer)).json()) as { id: string };
    const c = await identify();
    await c.next((f) => f.t === "GUILD_CREATE");
    await api(app, "POST", `/channels/${room.id}/messages`, { content: "before" }, g.owner.bearer);
    await c.next((f) => f.t === "MESSAGE_CREATE" && f.d.content === "before");
    await api(app, "PUT", `/channels/${room.id}/permissions/${bot.user.id}`, { type: 1, deny: "1024" }, g.owner.bearer);
    await api(app, "POST", `/channels/${room.id}/messages`, { content: "after" }, g.owner.bearer);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "marker" }, g.owner.bearer);
    await c.next((f) => f.t === "MESSAGE_CREATE" && f.d.content === "marker");
    expect(c.frames.some((f) => f.d?.content === "after")).toBe(false);
    c.ws.close();
  });

  test("a client never sees events of channels it cannot view, and pages from another site cannot connect", async () => {
    const priv = (await (await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "hidden", type: 0 }, g.owner.bearer)).json()) as { id: string };
    await api(app, "PUT", `/channels/${priv.id}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
    const c = await identify();
    await c.next((f) => f.t === "GUILD_CREATE");
    await api(app, "POST", `/channels/${priv.id}/messages`, { content: "secret" }, g.owner.bearer);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "public" }, g.owner.bearer);
    await c.next((f) => f.t === "MESSAGE_CREATE" && f.d.content === "public");
    expect(c.frames.some((f) => f.d?.content === "secret")).toBe(false);
    c.ws.close();
    await expect(Client.connect({ Origin: "https://evil.example" })).rejects.toBeDefined();
  });
});
