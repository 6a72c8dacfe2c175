import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { PID_FILE, startServer } from "../server.ts";
import { createMemoryLogger } from "../lib/log.ts";
import { CloseCode } from "./hub.ts";

const apps: TestApp[] = [];
const open = async () => {
  const app = await createTestApp();
  apps.push(app);
  return app;
};
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function connect(app: TestApp, origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws`, origin === undefined ? undefined : ({ headers: { Origin: origin } } as never));
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

  test("the hub closes one user's or one session's sockets and leaves the others", async () => {
    const app = await open();
    const [a, b] = [await connect(app, app.url), await connect(app, app.url)];
    await Bun.sleep(10);
    // Sockets are anonymous until the accounts layer tags them; tag them here as it will.
    const hub = app.server.hub as unknown as { sockets: Set<{ data: { userId: string | null; sessionId: string | null } }> };
    const [first, second] = [...hub.sockets];
    first!.data.userId = "1";
    first!.data.sessionId = "s1";
    second!.data.userId = "2";
    second!.data.sessionId = "s2";
    const closing = Promise.race([closed(a), closed(b)]);
    expect(app.server.hub.disconnectSession("s1")).toBe(1);
    expect((await closing).code).toBe(CloseCode.sessionRevoked);
    expect(app.server.hub.connectionCount).toBe(1);
    expect(app.server.hub.disconnectUser("2")).toBe(1);
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
