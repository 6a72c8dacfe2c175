import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { PID_FILE, startServer } from "../server.ts";
import { createMemoryLogger } from "../lib/log.ts";
import { CloseCode } from "./hub.ts";
import { createAccount } from "../testing/accounts.ts";

const apps: TestApp[] = [];
const open = async () => {
  const app = await createTestApp();
  apps.push(app);
  return app;
};
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function connect(app: TestApp, origin?: string, cookie?: string): Promise<WebSocket> {
  cookie ??= (await createAccount(app)).cookie;
  const headers: Record<string, string> = { Cookie: cookie };
  if (origin !== undefined) headers.Origin = origin;
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws`, { headers } as never);
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("refused"));
  });
}
const closed = (ws: WebSocket) => new Promise<CloseEvent>((resolve) => (ws.onclose = resolve));

describe("WebSocket upgrades", () => {
  test("an upgrade from our own origin is accepted and counted", async () => {
    const app = await open();
    const ws = await connect(app, app.url);
    await Bun.sleep(10);
    expect(app.server.hub.connectionCount).toBe(1);
    ws.close();
  });

  test("an upgrade from another origin is refused with 403", async () => {
    const app = await open();
    for (const origin of ["https://evil.example", "null", `${app.url}.evil.com`, "http://127.0.0.1.evil.com"]) {
      const res = await app.fetch("/ws", { headers: { Origin: origin, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" } });
      expect(res.status).toBe(403);
    }
    await expect(connect(app, "https://evil.example")).rejects.toThrow();
  });

  test("a frame over 64 KiB closes the connection", async () => {
    const app = await open();
    const ws = await connect(app, app.url);
    const done = closed(ws);
    ws.send("x".repeat(65 * 1024));
    expect((await done).code).toBe(1009);
  });

  test("an upgrade without a signed-in session is refused with 401", async () => {
    const app = await open();
    const res = await app.fetch("/ws", { headers: { Origin: app.url, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" } });
    expect(res.status).toBe(401);
    await expect(connect(app, app.url, "pokynano_session=pks.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).rejects.toThrow();
  });

  test("the hub closes one user's or one session's sockets and leaves the others", async () => {
    const app = await open();
    const alice = await createAccount(app);
    const bob = await createAccount(app);
    const a = await connect(app, app.url, alice.cookie);
    const b = await connect(app, app.url, bob.cookie);
    await Bun.sleep(10);
    const aliceSession = alice.token.split(".")[1]!;
    const closingA = closed(a);
    expect(app.server.hub.disconnectSession(aliceSession)).toBe(1);
    expect((await closingA).code).toBe(CloseCode.sessionRevoked);
    expect(app.server.hub.connectionCount).toBe(1);
    const closingB = closed(b);
    expect(app.server.hub.disconnectUser(bob.user.id)).toBe(1);
    expect((await closingB).code).toBe(CloseCode.sessionRevoked);
    expect(app.server.hub.connectionCount).toBe(0);
  });
});

describe("graceful shutdown", () => {
  test("stop closes sockets with 1001, finishes queued commits, closes the database and frees the data dir", async () => {
    const app = await open();
    const ws = await connect(app, app.url);
    const wsClosed = closed(ws);
    app.server.db.writer.run("CREATE TABLE IF NOT EXISTS probe (v TEXT) STRICT");
    const write = app.server.queue.write(({ sqlite }) => sqlite.query("INSERT INTO probe VALUES ('kept')").run().changes);
    await app.server.stop();
    expect((await wsClosed).code).toBe(1001);
    expect(await write).toBe(1);
    expect(existsSync(join(app.dataDir, PID_FILE))).toBe(false);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    // The write survived: a new server on the same data dir sees it.
    const again = await startServer({ ...app.config, port: 0 }, createMemoryLogger());
    expect(again.db.reader.query<{ v: string }, []>("SELECT v FROM probe").all()).toEqual([{ v: "kept" }]);
    await again.stop();
  });

  test("a second server on the same data dir is refused while the first runs", async () => {
    const app = await open();
    await expect(startServer({ ...app.config, port: 0 }, createMemoryLogger())).rejects.toThrow(/already using/);
    expect((await app.fetch("/healthz")).status).toBe(200);
  });
});
