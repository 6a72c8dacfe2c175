// Bad input on the sockets (../shared/SECURITY.md): upgrades from other sites, junk and oversized
// frames from a browser tab, and the JSON gateway's protocol abuse (malformed JSON, unknown and
// forged ops, junk IDENTIFY/RESUME/PRESENCE payloads, spoofed sequence numbers, event floods).
// Each closes with the code hub.ts / gateway.ts define, and never disturbs anyone else.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";
import { findUser } from "../users/service.ts";
import { CloseCode, WS_MAX_PAYLOAD } from "./hub.ts";
import { GatewayClose, Op } from "./gateway.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bob: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Frames");
  alice = await createAccount(app);
  bob = await createAccount(app);
  await g.join(alice);
  await g.join(bob);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  // Token clients also get Discord's per-route buckets (bots/rate-limit.ts): this sweep sends far more than a bot would.
  await writeSetting(app.server.queue, "api_rate_limit", { max: 0, windowMs: 5000 });
});
afterAll(() => app.close());

const wsUrl = (path: string) => `${app.url.replace("http", "ws")}${path}`;
const UPGRADE = { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" };
const countIn = (channelId: string): number => Number(app.server.db.reader.query<{ n: number | bigint }, [bigint]>("SELECT count(*) AS n FROM messages WHERE channel_id = ?").get(BigInt(channelId))!.n);
const say = async (content: string) => expect((await api(app, "POST", `/channels/${g.generalId}/messages`, { content }, g.owner.bearer)).status).toBe(200);
const healthy = async () => expect((await app.fetch("/healthz")).status).toBe(200);

interface Socket {
  ws: WebSocket;
  frames: string[];
  closed: Promise<{ code: number; reason: string }>;
  /** Wait for a frame that matches (frames already received count). */
  next(match: (frame: string) => boolean, timeout?: number): Promise<string>;
}

async function open(path: string, headers: Record<string, string>): Promise<Socket> {
  const ws = new WebSocket(wsUrl(path), { headers } as never);
  ws.binaryType = "arraybuffer";
  const frames: string[] = [];
  const waiters: (() => void)[] = [];
  ws.onmessage = (e) => {
    frames.push(typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data as ArrayBuffer));
    for (const w of waiters.splice(0)) w();
  };
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`refused: ${path}`));
  });
  return {
    ws,
    frames,
    closed,
    async next(match, timeout = 3000) {
      const started = Date.now();
      for (;;) {
        const found = frames.find(match);
        if (found !== undefined) return found;
        if (Date.now() - started > timeout) throw new Error(`no matching frame; got ${frames.map((f) => f.slice(0, 60)).join(" | ")}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

/** A browser tab showing the general channel. */
const tab = (who: TestAccount) => open(`/ws?channel=${g.generalId}`, { Cookie: who.cookie, Origin: app.url });
/** A JSON gateway connection that has had its HELLO. */
async function gateway(): Promise<Socket> {
  const s = await open("/gateway?v=10&encoding=json", {});
  await s.next((f) => JSON.parse(f).op === Op.hello);
  return s;
}
async function identified(who: TestAccount = bob): Promise<Socket> {
  const s = await gateway();
  s.ws.send(JSON.stringify({ op: Op.identify, d: { token: who.token, intents: 513, properties: { os: "linux", browser: "test", device: "test" } } }));
  await s.next((f) => JSON.parse(f).t === "READY");
  return s;
}
const parsed = (s: Socket) => s.frames.map((f) => JSON.parse(f) as { op: number; t?: string | null; s?: number | null; d?: any });
/** Resolves with the close code, or -1 when the socket is still open after the wait. */
const closeCode = (s: Socket, ms = 3000) => Promise.race([s.closed.then((c) => c.code), Bun.sleep(ms).then(() => -1)]);

describe("upgrades from other sites", () => {
  test("/ws and /gateway refuse other origins, the null origin and look-alike hosts with 403", async () => {
    const origins = ["https://evil.example", "null", `${app.url}.evil.com`, "http://127.0.0.1.evil.com", app.url.replace("127.0.0.1", "localhost"), app.url.replace("http:", "https:"), `${app.url}/`, app.url.toUpperCase(), `http://evil.example#${app.url}`];
    for (const path of [`/ws?channel=${g.generalId}`, "/ws", "/gateway?v=10&encoding=json"]) {
      for (const origin of origins) {
        const res = await app.fetch(path, { headers: { ...UPGRADE, Origin: origin, Cookie: alice.cookie } });
        expect({ path, origin, status: res.status }).toEqual({ path, origin, status: 403 });
      }
    }
    // A real client sending the forged Origin does not get a socket either.
    await expect(open(`/ws?channel=${g.generalId}`, { Cookie: alice.cookie, Origin: "null" })).rejects.toThrow();
    await expect(open("/gateway", { Origin: "https://evil.example" })).rejects.toThrow();
    expect(app.server.hub.connectionCount).toBe(0);
  });

  test("a browser socket needs a valid session and a channel it can see", async () => {
    for (const cookie of ["", "pokynano_session=", "pokynano_session=null", `pokynano_session=${alice.token}x`, `pokynano_session=${"A".repeat(4000)}`]) {
      const res = await app.fetch(`/ws?channel=${g.generalId}`, { headers: { ...UPGRADE, Origin: app.url, Cookie: cookie } });
      expect({ cookie: cookie.slice(0, 40), status: res.status }).toEqual({ cookie: cookie.slice(0, 40), status: 401 });
    }
    for (const channel of ["abc", "-1", "..%2f1", "%00", "9".repeat(20), "1".repeat(21), "1"]) {
      const res = await app.fetch(`/ws?channel=${channel}`, { headers: { ...UPGRADE, Origin: app.url, Cookie: alice.cookie } });
      expect({ channel, status: res.status }).toEqual({ channel, status: 404 });
    }
    await healthy();
  });
});

describe("a browser tab's frames", () => {
  test("junk frames (text, binary, markup, spoofed presence) are ignored: nothing is relayed, the tab stays open and others keep receiving", async () => {
    const a = await tab(alice);
    const b = await tab(bob);
    const before = countIn(g.generalId);
    const junk: (string | Uint8Array<ArrayBuffer>)[] = [
      "hello",
      "{not json",
      "null",
      "[]",
      "",
      '{"presence":{"$ne":1}}',
      `{"presence":"idle","user_id":"${alice.user.id}"}`,
      '<hx-partial hx-target="#messages" hx-swap="innerHTML"><img src=x onerror=pwn()></hx-partial>',
      JSON.stringify({ op: 2, d: { token: bob.token } }),
      JSON.stringify({ content: "forged message", channel_id: g.generalId, author: { id: alice.user.id } }),
      "x".repeat(60 * 1024),
      new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x80]),
      crypto.getRandomValues(new Uint8Array(4096)),
    ];
    for (const frame of junk) b.ws.send(frame);
    await say("after the junk");
    await a.next((f) => f.includes("after the junk"));
    await b.next((f) => f.includes("after the junk"));
    // Nothing bob sent reached alice, and nothing was stored.
    expect(a.frames.some((f) => f.includes("pwn") || f.includes("forged message") || f.includes("hello"))).toBe(false);
    expect(countIn(g.generalId)).toBe(before + 1);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    // Bob's tab cannot mark alice idle.
    expect(app.server.hub.isIdle(alice.user.id)).toBe(false);
    a.ws.close();
    b.ws.close();
    await healthy();
  });

  test("a frame over 64 KiB, text or binary, closes only that tab with 1009", async () => {
    for (const big of ["x".repeat(WS_MAX_PAYLOAD + 1), new Uint8Array(WS_MAX_PAYLOAD + 1024)]) {
      const a = await tab(alice);
      const b = await tab(bob);
      b.ws.send(big);
      expect(await closeCode(b)).toBe(1009);
      const marker = `still here ${typeof big}`;
      await say(marker);
      await a.next((f) => f.includes(marker));
      expect(a.ws.readyState).toBe(WebSocket.OPEN);
      a.ws.close();
    }
    await healthy();
  });

  test("a tab that floods frames is closed with 1008 (policy) while other tabs, even of the same user, are unaffected", async () => {
    const a = await tab(alice);
    const bOther = await tab(bob);
    const b = await tab(bob);
    for (let i = 0; i < 40; i++) b.ws.send(i % 2 ? '{"presence":"idle"}' : '{"presence":"active"}');
    expect(await closeCode(b)).toBe(CloseCode.policy);
    await say("after the flood");
    await a.next((f) => f.includes("after the flood"));
    await bOther.next((f) => f.includes("after the flood"));
    expect(bOther.ws.readyState).toBe(WebSocket.OPEN);
    a.ws.close();
    bOther.ws.close();
    await healthy();
  });
});

describe("the JSON gateway's frames", () => {
  test("malformed frames close with 4002 (decode error)", async () => {
    const cases: (string | Uint8Array<ArrayBuffer>)[] = ["{not json", "", "null", "42", '"op"', "true", "[1,2]", "[]", "{\"op\":1,}", "[".repeat(30_000) + "]".repeat(30_000), '{"op":' + "[".repeat(30_000), new Uint8Array([0xff, 0xfe, 0x00, 0x7b])];
    for (const frame of cases) {
      const c = await gateway();
      c.ws.send(frame);
      const code = await closeCode(c);
      expect({ frame: String(frame).slice(0, 30), code }).toEqual({ frame: String(frame).slice(0, 30), code: GatewayClose.decodeError });
    }
    await healthy();
  });

  test("unknown ops, op 8 with junk, and a client-forged dispatch close with 4001 (or 4002) and deliver nothing to anyone", async () => {
    const watcher = await identified(alice);
    const before = countIn(g.generalId);
    const unknown: unknown[] = [{ op: 99 }, { op: -1 }, { op: 1.5 }, { op: "2" }, { op: null }, {}, { d: { token: bob.token } }, { op: Op.reconnect }, { op: Op.invalidSession, d: true }, { op: Op.hello }, { op: Op.heartbeatAck }];
    const forged = { op: Op.dispatch, t: "MESSAGE_CREATE", s: 1, d: { id: "1", content: "forged dispatch", channel_id: g.generalId, author: { id: g.owner.user.id } } };
    for (const payload of [...unknown, forged]) {
      for (const after of [false, true]) {
        const c = after ? await identified() : await gateway();
        c.ws.send(JSON.stringify(payload));
        const code = await closeCode(c);
        expect({ payload, after, code }).toEqual({ payload, after, code: GatewayClose.unknownOpcode });
      }
    }
    // op 4 VOICE_STATE_UPDATE exists (src/voice/gateway.ts): before IDENTIFY 4003, malformed 4002.
    for (const after of [false, true]) {
      const c = after ? await identified() : await gateway();
      c.ws.send(JSON.stringify({ op: 4, d: { guild_id: g.guildId, channel_id: g.generalId } }));
      expect(await closeCode(c)).toBe(after ? GatewayClose.decodeError : GatewayClose.notAuthenticated);
    }
    const huge = await gateway();
    huge.ws.send('{"op":1e400}');
    expect(await closeCode(huge)).toBe(GatewayClose.unknownOpcode);
    // op 8 (request guild members) with junk: refused whether or not it is ever implemented.
    for (const d of [null, "x", [], { guild_id: { $ne: 1 } }, { guild_id: "../1", query: "<script>", limit: 1e9 }, { guild_id: g.guildId, user_ids: Array(10_000).fill("1") }]) {
      const c = await identified();
      c.ws.send(JSON.stringify({ op: 8, d }));
      const code = await closeCode(c);
      expect({ d: JSON.stringify(d).slice(0, 40), code: ([GatewayClose.unknownOpcode, GatewayClose.decodeError] as number[]).includes(code) }).toEqual({ d: JSON.stringify(d).slice(0, 40), code: true });
    }
    await say("real message");
    await watcher.next((f) => f.includes("real message"));
    expect(watcher.frames.some((f) => f.includes("forged dispatch"))).toBe(false);
    expect(countIn(g.generalId)).toBe(before + 1);
    watcher.ws.close();
    await healthy();
  });

  test("a gateway frame over 64 KiB closes with 1009", async () => {
    const c = await identified();
    c.ws.send(JSON.stringify({ op: Op.heartbeat, d: "x".repeat(WS_MAX_PAYLOAD) }));
    expect(await closeCode(c)).toBe(1009);
    const before = await gateway();
    before.ws.send(new Uint8Array(WS_MAX_PAYLOAD + 1));
    expect(await closeCode(before)).toBe(1009);
    await healthy();
  });

  test("IDENTIFY with junk tokens or payloads closes with 4004 (authentication failed)", async () => {
    const tokens: unknown[] = [null, 42, true, {}, [], { token: bob.token }, [bob.token], "", " ", "null", "undefined", `Bot ${bob.token}`, "Bearer ", `${bob.user.id}-`, `${bob.token}x`, `${bob.token}\u0000`, ` ${bob.token}`, "pks.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0.", "a".repeat(60_000), "../../etc/passwd"];
    for (const token of tokens) {
      const c = await gateway();
      c.ws.send(JSON.stringify({ op: Op.identify, d: { token, intents: 513, properties: {} } }));
      const code = await closeCode(c);
      expect({ token: JSON.stringify(token)?.slice(0, 40), code }).toEqual({ token: JSON.stringify(token)?.slice(0, 40), code: GatewayClose.authenticationFailed });
    }
    for (const d of [undefined, null, "token", 7, [bob.token]]) {
      const c = await gateway();
      c.ws.send(JSON.stringify({ op: Op.identify, d }));
      expect({ d, code: await closeCode(c) }).toEqual({ d, code: GatewayClose.authenticationFailed });
    }
    // None of them became anyone's session: a real one still works.
    const ok = await identified();
    expect(parsed(ok).find((f) => f.t === "READY")!.d.user.id).toBe(bob.user.id);
    ok.ws.close();
  });

  test("op 3 before IDENTIFY closes with 4003; junk presence payloads close with 4002 and change nothing", async () => {
    const early = await gateway();
    early.ws.send(JSON.stringify({ op: Op.presenceUpdate, d: { status: "dnd", since: null, activities: [], afk: false } }));
    expect(await closeCode(early)).toBe(GatewayClose.notAuthenticated);
    const before = findUser(app.server.core, bob.user.id)!;
    const junk: unknown[] = [
      null,
      "online",
      [],
      {},
      { status: "hacker" },
      { status: "<script>pwn()</script>" },
      { status: ["dnd"] },
      { status: "dnd", since: -1 },
      { status: "dnd", since: "yesterday" },
      { status: "dnd", afk: "yes" },
      { status: "dnd", activities: "playing" },
      { status: "dnd", activities: [{ type: 99, name: "x" }] },
      { status: "dnd", activities: [{ type: 4, name: "Custom Status", state: { $ne: 1 } }] },
      { status: "dnd", activities: [{ type: 4, name: "Custom Status", state: "x".repeat(10_000) }] },
      { status: "dnd", activities: Array.from({ length: 6 }, () => ({ type: 0, name: "x" })) },
      { status: "dnd", activities: [{ type: 0, name: "n".repeat(129) }] },
    ];
    for (const d of junk) {
      const c = await identified();
      c.ws.send(JSON.stringify({ op: Op.presenceUpdate, d }));
      const code = await closeCode(c);
      expect({ d: JSON.stringify(d)?.slice(0, 50), code }).toEqual({ d: JSON.stringify(d)?.slice(0, 50), code: GatewayClose.decodeError });
    }
    await Bun.sleep(50);
    const after = findUser(app.server.core, bob.user.id)!;
    expect({ status: after.status, customStatus: after.customStatus }).toEqual({ status: before.status, customStatus: before.customStatus });
  });

  test("RESUME with junk or someone else's session gets INVALID_SESSION and never their events", async () => {
    const owner = await identified(alice);
    const ready = parsed(owner).find((f) => f.t === "READY")!;
    const sessionId = ready.d.session_id as string;
    owner.ws.close();
    await owner.closed;
    await say("for alice only");
    const attempts: unknown[] = [
      null,
      "resume",
      [],
      {},
      { token: bob.token, session_id: sessionId, seq: ready.s },
      { token: { $ne: 1 }, session_id: sessionId, seq: ready.s },
      { token: alice.token, session_id: { $ne: 1 }, seq: ready.s },
      { token: alice.token, session_id: `../${sessionId}`, seq: ready.s },
      { token: alice.token, session_id: sessionId, seq: "1" },
      { token: alice.token, session_id: sessionId, seq: 1e308 },
      { token: alice.token, session_id: sessionId, seq: -1 },
      { token: alice.token, session_id: sessionId, seq: null },
    ];
    for (const d of attempts) {
      const c = await gateway();
      c.ws.send(JSON.stringify({ op: Op.resume, d }));
      const invalid = JSON.parse(await c.next((f) => JSON.parse(f).op === Op.invalidSession));
      expect(invalid.d).toBe(false);
      expect(c.frames.some((f) => f.includes("for alice only"))).toBe(false);
      c.ws.close();
    }
    await healthy();
  });

  test("heartbeats with spoofed sequence numbers are acknowledged and never move the server's sequence", async () => {
    const c = await identified();
    const lastBefore = app.server.hub.gateway!.lastSeq;
    for (const d of [1e15, -5, "99999", { s: 1e9 }, [1], null, Number.MAX_SAFE_INTEGER]) c.ws.send(JSON.stringify({ op: Op.heartbeat, d, s: 1e12 }));
    await Bun.sleep(100);
    expect(parsed(c).filter((f) => f.op === Op.heartbeatAck).length).toBe(7);
    await say("numbered by the server");
    const created = JSON.parse(await c.next((f) => f.includes("numbered by the server")));
    expect(created.s).toBeGreaterThan(lastBefore);
    expect(created.s).toBeLessThan(lastBefore + 100);
    expect(app.server.hub.gateway!.lastSeq).toBe(created.s);
    c.ws.close();
  });

  test("more than 120 events in 60 s closes with 4008 (rate limited), identified or not, and other clients are unaffected", async () => {
    const watcher = await identified(alice);
    for (const who of ["anonymous", "identified"] as const) {
      const c = who === "identified" ? await identified() : await gateway();
      for (let i = 0; i < 130; i++) c.ws.send(JSON.stringify({ op: Op.heartbeat, d: i }));
      expect({ who, code: await closeCode(c) }).toEqual({ who, code: GatewayClose.rateLimited });
      // IDENTIFY counts as one of the 120 events.
      const acks = parsed(c).filter((f) => f.op === Op.heartbeatAck).length;
      expect(acks).toBe(who === "identified" ? 119 : 120);
    }
    await say("after the gateway flood");
    await watcher.next((f) => f.includes("after the gateway flood"));
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    watcher.ws.close();
    await healthy();
  });
});

describe("the server after all of this", () => {
  test("serves pages, the API and new sockets, with no unhandled errors logged", async () => {
    const t = await tab(alice);
    await say("the end");
    await t.next((f) => f.includes("the end"));
    t.ws.close();
    expect((await json<unknown[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, bob.bearer))).length).toBe(1);
    expect(app.logs.filter((l) => l.msg === "unhandled error" || l.msg === "server error")).toEqual([]);
  });
});

describe("ids the database cannot hold", () => {
  // Last: until this passes it logs a server error, which the check above must not count.
  test("a socket for a channel id above 2^63 - 1 is a 404, not a server error", async () => {
    const errors = app.logs.filter((l) => l.msg === "server error").length;
    for (const channel of ["9223372036854775808", "9999999999999999999"]) {
      const res = await app.fetch(`/ws?channel=${channel}`, { headers: { ...UPGRADE, Origin: app.url, Cookie: alice.cookie } });
      expect({ channel, status: res.status }).toEqual({ channel, status: 404 });
    }
    expect(app.logs.filter((l) => l.msg === "server error").length).toBe(errors);
  });
});
