import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { checkAddress } from "./address.ts";
import { safeFetch, SafeFetchError, type SafeFetchFailure } from "./safe-fetch.ts";
import { allowLoopbackPortForTests } from "./test-allowance.ts";

// A stand-in for a running server: the test allows its own loopback web server for this context only.
const context = {};
let site: ReturnType<typeof Bun.serve>;
let base = "";

beforeAll(() => {
  site = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/page") return new Response("<title>ok</title>", { headers: { "content-type": "text/html; charset=utf-8" } });
      if (path === "/to-metadata") return Response.redirect("http://169.254.169.254/latest/meta-data/", 302);
      if (path === "/to-loopback-other-port") return Response.redirect("http://127.0.0.1:1/", 302);
      if (path === "/to-hex") return new Response(null, { status: 302, headers: { location: "http://0x7f.1/" } });
      if (path === "/to-file") return new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } });
      if (path === "/loop") return Response.redirect(`${base}/loop`, 302);
      if (path === "/hop1") return Response.redirect(`${base}/hop2`, 301);
      if (path === "/hop2") return Response.redirect(`/page`, 302);
      if (path === "/huge") return new Response("x".repeat(3 * 1024 * 1024), { headers: { "content-type": "text/html" } });
      if (path === "/huge-chunked")
        return new Response(
          new ReadableStream({
            async pull(c) {
              c.enqueue(new Uint8Array(64 * 1024).fill(65));
              await Bun.sleep(1);
            },
          }),
          { headers: { "content-type": "text/html" } },
        );
      if (path === "/slow")
        return new Response(
          new ReadableStream({
            async start(c) {
              c.enqueue(new TextEncoder().encode("<html>"));
              await Bun.sleep(3000);
              c.close();
            },
          }),
          { headers: { "content-type": "text/html" } },
        );
      if (path === "/json") return Response.json({ a: 1 });
      if (path === "/echo") return new Response(`${req.method} ${await req.text()}`, { headers: { "content-type": "text/plain" } });
      return new Response("not found", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${site.port}`;
  allowLoopbackPortForTests(context, site.port!);
});
afterAll(() => site.stop(true));

async function failure(url: string, opts: Parameters<typeof safeFetch>[1] = {}): Promise<SafeFetchError> {
  try {
    await safeFetch(url, { context, ...opts });
  } catch (err) {
    if (err instanceof SafeFetchError) return err;
    throw err;
  }
  throw new Error(`${url} was fetched`);
}

describe("the SSRF guard", () => {
  // The payload list of shared/SECURITY.md, each refused before any connection is made.
  const payloads: [string, SafeFetchFailure][] = [
    ["http://127.0.0.1/", "blocked_address"],
    ["http://0.0.0.0/", "blocked_address"],
    ["http://[::1]/", "blocked_address"],
    ["http://[::ffff:127.0.0.1]/", "blocked_address"],
    ["http://[::127.0.0.1]/", "blocked_address"],
    ["http://169.254.169.254/latest/meta-data/", "blocked_address"],
    ["http://[fd00:ec2::254]/", "blocked_address"],
    ["http://[64:ff9b::a9fe:a9fe]/", "blocked_address"],
    ["http://2130706433/", "bad_url"],
    ["http://0177.0.0.1/", "bad_url"],
    ["http://0x7f.1/", "bad_url"],
    ["http://user@127.0.0.1/", "bad_url"],
    ["http://user:pass@example.com/", "bad_url"],
    ["file:///etc/passwd", "bad_url"],
    ["gopher://127.0.0.1:25/", "bad_url"],
    ["data:text/html,<b>x</b>", "bad_url"],
    ["ftp://example.com/", "bad_url"],
    ["http://localhost/", "blocked_address"],
    ["http://metadata.google.internal/", "blocked_address"],
    ["http://10.0.0.1/", "blocked_address"],
    ["http://100.64.0.1/", "blocked_address"],
    ["http://[fe80::1]/", "blocked_address"],
    ["http://224.0.0.1/", "blocked_address"],
    ["http://[2002:7f00:1::]/", "blocked_address"],
    ["http://[2001:0:4136:e378::1]/", "blocked_address"],
  ];
  for (const [url, kind] of payloads)
    test(`refuses ${url} (${kind})`, async () => {
      expect((await failure(url)).kind).toBe(kind);
    });

  test("refuses the test server's loopback port when the context did not allow it", async () => {
    expect((await failure(`${base}/page`, { context: {} })).kind).toBe("blocked_address");
    expect((await failure(`${base}/page`, { context: undefined })).kind).toBe("blocked_address");
  });

  test("re-checks every redirect hop: to a metadata address, another loopback port, a hex literal, a file URL", async () => {
    expect((await failure(`${base}/to-metadata`)).kind).toBe("blocked_address");
    expect((await failure(`${base}/to-loopback-other-port`)).kind).toBe("blocked_address");
    expect((await failure(`${base}/to-hex`)).kind).toBe("bad_url");
    expect((await failure(`${base}/to-file`)).kind).toBe("bad_url");
  });

  test("follows up to three redirects and stops a loop", async () => {
    const res = await safeFetch(`${base}/hop1`, { context });
    expect(res.url).toBe(`${base}/page`);
    expect(new TextDecoder().decode(res.body)).toBe("<title>ok</title>");
    expect((await failure(`${base}/loop`)).kind).toBe("too_many_redirects");
    expect((await failure(`${base}/hop1`, { maxRedirects: 0 })).kind).toBe("too_many_redirects");
  });

  test("caps the body: an error by default, the first bytes when asked to truncate", async () => {
    expect((await failure(`${base}/huge`, { maxBytes: 100_000 })).kind).toBe("too_large");
    expect((await failure(`${base}/huge-chunked`, { maxBytes: 100_000 })).kind).toBe("too_large");
    const cut = await safeFetch(`${base}/huge-chunked`, { context, maxBytes: 100_000, oversize: "truncate" });
    expect(cut.body.length).toBe(100_000);
    expect(cut.truncated).toBe(true);
  });

  test("gives up on a body that trickles past the deadline", async () => {
    const started = Date.now();
    expect((await failure(`${base}/slow`, { timeoutMs: 500 })).kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("refuses a content type it was not asked for before reading the body", async () => {
    expect((await failure(`${base}/json`, { accept: ["text/html"] })).kind).toBe("content_type");
    const ok = await safeFetch(`${base}/page`, { context, accept: ["text/html"] });
    expect(ok.contentType).toBe("text/html");
  });

  test("sends a POST body for webhooks", async () => {
    const res = await safeFetch(`${base}/echo`, { context, method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
    expect(new TextDecoder().decode(res.body)).toBe('POST {"a":1}');
  });
});

describe("address classification", () => {
  test("only global unicast addresses pass", () => {
    for (const ok of ["8.8.8.8", "2606:4700:4700::1111", "93.184.216.34"]) expect(checkAddress(ok).ok).toBe(true);
    for (const bad of ["127.0.0.1", "::7f00:1", "::ffff:7f00:1", "64:ff9b:1::a9fe:a9fe", "168.63.129.16", "192.168.1.1", "172.16.0.1", "fc00::1", "ff02::1", "255.255.255.255", "192.0.2.1", "0177.0.0.1", "2130706433"])
      expect(checkAddress(bad).ok).toBe(false);
  });
});
