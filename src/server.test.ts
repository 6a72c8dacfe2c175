import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createTestApp, type TestApp } from "./testing/app.ts";
import { createAccount } from "./testing/accounts.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("the HTTP server", () => {
  test("GET /healthz answers ok once the database is open and migrated", async () => {
    const res = await app.fetch("/healthz");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    const applied = app.server.db.reader.query<{ n: bigint }, []>("SELECT count(*) AS n FROM schema_migrations").get();
    expect(Number(applied!.n)).toBeGreaterThan(0);
  });

  test("every response carries the security headers", async () => {
    for (const path of ["/", "/healthz", "/api/v10/nothing", "/static/css/app.css"]) {
      const res = await app.fetch(path);
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy")).toBe("same-origin");
      expect(res.headers.get("Permissions-Policy")).toContain("microphone=(self)");
      expect(res.headers.get("X-Request-Id")).toMatch(/^[\w-]+$/);
    }
  });

  test("the app shell has its four regions", async () => {
    const { cookie } = await createAccount(app);
    const res = await app.fetch("/", { headers: { Cookie: cookie } });
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    for (const label of ['aria-label="Servers"', 'aria-label="Channels"', 'id="main"', 'aria-label="Members"']) expect(html).toContain(label);
  });

  test("unknown API routes answer JSON {code, message}; unknown pages answer an HTML page", async () => {
    const api = await app.fetch("/api/v10/nope");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ code: 10000, message: "Unknown route." });
    const page = await app.fetch("/nope");
    expect(page.status).toBe(404);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(await page.text()).toContain("There is nothing at this address.");
  });

  test("a request id is returned, logged, and a safe one from the client is kept", async () => {
    const res = await app.fetch("/nope", { headers: { "X-Request-Id": "trace-123" } });
    expect(res.headers.get("X-Request-Id")).toBe("trace-123");
    expect(app.logs.some((l) => l.request_id === "trace-123" && l.path === "/nope" && l.status === 404)).toBe(true);
    const hostile = await app.fetch("/nope", { headers: { "X-Request-Id": "<script>" } });
    expect(hostile.headers.get("X-Request-Id")).not.toContain("<");
  });

  test("a body over the limit is refused with 413 and a message", async () => {
    const res = await app.fetch("/api/v10/anything", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ content: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { code: number; message: string };
    expect(body.message).toMatch(/larger than the 1024 KiB limit/);
  });

  test("oversized headers are refused with 431", async () => {
    const res = await app.fetch("/healthz", { headers: { "X-Big": "a".repeat(64 * 1024) } });
    expect(res.status).toBe(431);
  });

  test("a form posted from another site is refused; one from our own origin is not", async () => {
    const foreign = await app.fetch("/api/v10/anything", {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { message: string }).message).toMatch(/another site/);
    const crossSite = await app.fetch("/api/v10/anything", { method: "DELETE", headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    const own = await app.fetch("/api/v10/anything", { method: "POST", headers: { Origin: app.url }, body: "a=1" });
    expect(own.status).toBe(404); // passed the guard, reached routing
  });

  test("static assets are cached forever by content hash and revalidated by ETag otherwise", async () => {
    const page = await (await app.fetch("/login")).text();
    const href = /href="(\/static\/css\/app\.css\?v=[0-9a-f]+)"/.exec(page)![1]!;
    const hashed = await app.fetch(href);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(hashed.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    const etag = hashed.headers.get("ETag")!;
    const plain = await app.fetch("/static/css/app.css");
    expect(plain.headers.get("Cache-Control")).toBe("no-cache");
    const again = await app.fetch("/static/css/app.css", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    const htmx = await app.fetch("/static/vendor/htmx.min.js");
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain("htmx");
  });

  test("text assets go out gzipped to browsers that accept it, as their own representation", async () => {
    const zipped = await app.fetch("/static/vendor/htmx.min.js", { headers: { "Accept-Encoding": "gzip, br" }, decompress: false } as RequestInit);
    expect(zipped.headers.get("Content-Encoding")).toBe("gzip");
    expect(zipped.headers.get("Vary")).toBe("Accept-Encoding");
    const packed = new Uint8Array(await zipped.arrayBuffer());
    const identity = await app.fetch("/static/vendor/htmx.min.js", { headers: { "Accept-Encoding": "identity" }, decompress: false } as RequestInit);
    expect(identity.headers.get("Content-Encoding")).toBeNull();
    const plain = new Uint8Array(await identity.arrayBuffer());
    expect(packed.byteLength).toBeLessThan(plain.byteLength / 2);
    expect(new TextDecoder().decode(Bun.gunzipSync(packed))).toBe(new TextDecoder().decode(plain));
    expect(zipped.headers.get("ETag")).not.toBe(identity.headers.get("ETag"));
  });

  test("paths that try to leave the static folder find nothing", async () => {
    for (const path of ["/static/../package.json", "/static/..%2fpackage.json", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/css/..\\..\\x", "/static/css/app.css%00.png"]) {
      const res = await app.fetch(path);
      expect(res.status).toBe(404);
    }
  });
});

describe("errors", () => {
  test("an unexpected error is logged with its cause and answered without it", async () => {
    const { onError, onNotFound } = await import("./http/errors.tsx");
    const { createMemoryLogger } = await import("./lib/log.ts");
    const log = createMemoryLogger();
    const probe = new Hono<import("./http/env.ts").AppEnv>();
    probe.use(async (c, next) => {
      c.set("requestId", "req-1");
      c.set("log", log);
      await next();
    });
    probe.get("/api/boom", () => {
      throw new Error("secret database detail");
    });
    probe.get("/boom", () => {
      throw new Error("secret database detail");
    });
    probe.notFound(onNotFound);
    probe.onError(onError);
    const api = await probe.request("/api/boom");
    expect(api.status).toBe(500);
    const body = (await api.json()) as { message: string };
    expect(body.message).toContain("req-1");
    expect(JSON.stringify(body)).not.toContain("secret");
    const page = await probe.request("/boom");
    expect(page.status).toBe(500);
    expect(await page.text()).not.toContain("secret");
    expect(log.lines.some((l) => JSON.stringify(l).includes("secret database detail"))).toBe(true);
  });
});
