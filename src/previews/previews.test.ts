// Link previews through the real app: a local web site (allowed for this server only, see
// net/test-allowance.ts) serves OpenGraph pages, images, redirects to internal addresses, huge and
// slow bodies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { allowLoopbackPortForTests } from "../net/test-allowance.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";
import { previewLinks } from "./links.ts";
import { previewFor } from "./service.ts";

let app: TestApp;
let g: GuildFixture;
let reader: TestAccount;
let site: ReturnType<typeof Bun.serve>;
let base = "";
let hits = 0;
const png = makePng(4, 4) as Uint8Array<ArrayBuffer>;
const wide = makePng(800, 500) as Uint8Array<ArrayBuffer>;

const og = (title: string, extra = "") =>
  `<!doctype html><html><head><title>Fallback</title><meta property="og:title" content="${title}"><meta property="og:description" content="A page &amp; its &quot;summary&quot;"><meta property="og:site_name" content="Local Site"><meta property="og:image" content="/pic.png"><meta name="theme-color" content="#336699">${extra}</head><body><svg><title>not this</title></svg></body></html>`;

beforeAll(async () => {
  site = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      hits++;
      const path = new URL(req.url).pathname;
      const html = (body: string) => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
      if (path.startsWith("/article")) return html(og(`Article ${path}`));
      if (path === "/xss") return html(og(`<script>alert(1)</script>`, `<meta property="og:image" content="javascript:alert(1)">`));
      if (path === "/pic.png") return new Response(png, { headers: { "content-type": "image/png" } });
      if (path === "/wide.png") return new Response(wide, { headers: { "content-type": "image/png" } });
      if (path === "/svg") return new Response(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, { headers: { "content-type": "image/png" } });
      if (path === "/to-metadata") return Response.redirect("http://169.254.169.254/latest/meta-data/", 302);
      if (path === "/to-loopback") return Response.redirect("http://127.0.0.1:1/admin", 302);
      if (path === "/huge") return html(`<html><head><meta property="og:title" content="Big page"></head><body>${"x".repeat(4 * 1024 * 1024)}</body></html>`);
      if (path === "/slow")
        return new Response(
          new ReadableStream({
            async start(c) {
              c.enqueue(new TextEncoder().encode("<html><head>"));
              await Bun.sleep(12_000);
              c.close();
            },
          }),
          { headers: { "content-type": "text/html" } },
        );
      return new Response("no", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${site.port}`;
  app = await createTestApp();
  allowLoopbackPortForTests(app.server.core, site.port!);
  g = await createGuildFixture(app, "Previewers");
  reader = await createAccount(app);
  await g.join(reader);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(async () => {
  await app.close();
  site.stop(true);
});

type Embed = { type: string; url: string; title?: string; description?: string; color?: number; provider?: { name: string }; thumbnail?: { url: string; proxy_url: string; width?: number; height?: number }; image?: { url: string; proxy_url: string; width?: number; height?: number } };
type Msg = { id: string; flags: number; embeds: Embed[] };

const send = async (content: string) => json<Msg>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content }, g.owner.bearer));
const read = async (id: string) => json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${id}`, undefined, reader.bearer));
async function until(id: string, ok: (m: Msg) => boolean, ms = 5000): Promise<Msg> {
  const end = Date.now() + ms;
  for (;;) {
    const m = await read(id);
    if (ok(m) || Date.now() > end) return m;
    await Bun.sleep(50);
  }
}

describe("which links are previewed", () => {
  test("the first three distinct links, not <wrapped> ones, not code, without trailing punctuation", () => {
    expect(previewLinks("see https://a.example/x, and <https://b.example/> or `https://c.example` then (https://d.example/wiki/Foo_(bar)) https://a.example/x https://e.example https://f.example")).toEqual([
      "https://a.example/x",
      "https://d.example/wiki/Foo_(bar)",
      "https://e.example",
    ]);
    expect(previewLinks("```\nhttps://code.example\n```")).toEqual([]);
  });
});

describe("link previews", () => {
  test("a link gets its OpenGraph preview after the send, with the image through the signed proxy", async () => {
    const sent = await send(`look ${base}/article-1 please`);
    expect(sent.embeds).toEqual([]); // the send does not wait for the fetch
    const msg = await until(sent.id, (m) => m.embeds.length > 0);
    expect(msg.embeds).toHaveLength(1);
    const e = msg.embeds[0]!;
    expect(e).toMatchObject({ type: "link", url: `${base}/article-1`, title: "Article /article-1", description: 'A page & its "summary"', provider: { name: "Local Site" }, color: 0x336699 });
    expect(e.thumbnail!.url).toBe(`${base}/pic.png`);
    const proxied = await app.fetch(new URL(e.thumbnail!.proxy_url).pathname + new URL(e.thumbnail!.proxy_url).search);
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get("content-type")).toBe("image/png");
    expect(proxied.headers.get("x-content-type-options")).toBe("nosniff");
    expect(proxied.headers.get("content-security-policy")).toContain("sandbox");
    expect(new Uint8Array(await proxied.arrayBuffer())).toEqual(png);
  });

  test("preview images carry their width and height, and the page reserves their space before they load", async () => {
    const article = await until((await send(`${base}/article-sized`)).id, (m) => m.embeds.length > 0);
    expect(article.embeds[0]!.thumbnail).toMatchObject({ url: `${base}/pic.png`, width: 4, height: 4 });
    const sent = await send(`a picture ${base}/wide.png`);
    const msg = await until(sent.id, (m) => m.embeds.length > 0);
    expect(msg.embeds[0]).toMatchObject({ type: "image", image: { url: `${base}/wide.png`, width: 800, height: 500 } });
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: g.owner.cookie } })).text();
    const img = /<img src="[^"]*wide\.png[^"]*"[^>]*>/.exec(page)?.[0] ?? "";
    // 800x500 shown within 400x300: 400x250.
    expect(img).toContain('width="400"');
    expect(img).toContain('height="250"');
    expect(page).toMatch(/<img class="embed-thumbnail"[^>]*width="80" height="80"/);
  });

  test("the proxy refuses a URL it did not sign, and an SVG or HTML body sent as an image", async () => {
    expect((await app.fetch(`/previews/image?url=${encodeURIComponent(`${base}/pic.png`)}&sig=forged`)).status).toBe(404);
    expect((await app.fetch(`/previews/image?url=${encodeURIComponent(`${base}/pic.png`)}`)).status).toBe(404);
    const { proxyPath } = await import("./sign.ts");
    expect((await app.fetch(proxyPath(app.server.core, `${base}/svg`))).status).toBe(502);
    expect((await app.fetch(proxyPath(app.server.core, `${base}/article-1`))).status).toBe(502);
    expect((await app.fetch(proxyPath(app.server.core, "http://169.254.169.254/latest/meta-data/"))).status).toBe(502);
  });

  test("previews are cached by URL: a second message with the same link fetches nothing", async () => {
    const first = await send(`${base}/article-cache`);
    await until(first.id, (m) => m.embeds.length > 0);
    const before = hits;
    const second = await send(`again ${base}/article-cache`);
    const msg = await until(second.id, (m) => m.embeds.length > 0);
    expect(msg.embeds[0]!.title).toBe("Article /article-cache");
    expect(hits).toBe(before);
  });

  test("a link written <like this> gets no preview", async () => {
    const sent = await send(`<${base}/article-wrapped>`);
    await Bun.sleep(400);
    expect((await read(sent.id)).embeds).toEqual([]);
  });

  test("page text is escaped and a javascript: image is dropped", async () => {
    const sent = await send(`${base}/xss`);
    const msg = await until(sent.id, (m) => m.embeds.length > 0);
    expect(msg.embeds[0]!.title).toBe("<script>alert(1)</script>");
    expect(msg.embeds[0]!.thumbnail?.url).toBe(`${base}/pic.png`);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: g.owner.cookie } })).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).not.toContain("javascript:alert");
  });

  test("editing the message to another link replaces the preview; removing the link removes it", async () => {
    const sent = await send(`${base}/article-a`);
    await until(sent.id, (m) => m.embeds.length > 0);
    const path = `/channels/${g.generalId}/messages/${sent.id}`;
    await api(app, "PATCH", path, { content: `${base}/article-b` }, g.owner.bearer);
    expect((await until(sent.id, (m) => m.embeds[0]?.title === "Article /article-b")).embeds.map((e) => e.title)).toEqual(["Article /article-b"]);
    await api(app, "PATCH", path, { content: "no link now" }, g.owner.bearer);
    expect((await until(sent.id, (m) => m.embeds.length === 0)).embeds).toEqual([]);
  });

  test("the author removes previews with the ✕ (SUPPRESS_EMBEDS); another member cannot", async () => {
    const sent = await send(`${base}/article-suppress`);
    await until(sent.id, (m) => m.embeds.length > 0);
    const action = `/channels/${g.generalId}/messages/${sent.id}/suppress-embeds`;
    const post = (cookie: string) => app.fetch(action, { method: "POST", headers: { Origin: app.url, Cookie: cookie, "HX-Request": "true" } });
    expect((await post(reader.cookie)).status).toBe(403);
    expect((await post(g.owner.cookie)).status).toBe(204);
    const msg = await read(sent.id);
    expect(msg.flags).toBe(4);
    expect(msg.embeds).toEqual([]);
  });

  test("redirects to internal addresses, huge pages and slow pages give no preview and no leak", async () => {
    expect(await previewFor(app.server.core, `${base}/to-metadata`)).toBeNull();
    expect(await previewFor(app.server.core, `${base}/to-loopback`)).toBeNull();
    // Only the first 512 KiB are read: the head is there, the rest is never buffered.
    expect((await previewFor(app.server.core, `${base}/huge`))?.title).toBe("Big page");
    const started = Date.now();
    expect(await previewFor(app.server.core, `${base}/slow`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    const reasons = app.logs.filter((l) => l.msg === "link preview failed").map((l) => String(l.reason));
    expect(reasons.some((r) => r.startsWith("blocked_address") && r.includes("169.254.169.254"))).toBe(true);
    expect(reasons.some((r) => r.startsWith("blocked_address") && r.includes("127.0.0.1"))).toBe(true);
    expect(reasons.some((r) => r.startsWith("timeout"))).toBe(true);
  }, 15_000);

  test("links of a member without EMBED_LINKS are not previewed", async () => {
    // @everyone keeps VIEW_CHANNEL, SEND_MESSAGES and READ_MESSAGE_HISTORY, loses EMBED_LINKS.
    const perms = ((1n << 10n) | (1n << 11n) | (1n << 16n)).toString();
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles/${g.guildId}`, { permissions: perms }, g.owner.bearer)).status).toBe(200);
    const sent = await json<Msg>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `${base}/article-no-embed-links` }, reader.bearer));
    await Bun.sleep(400);
    expect((await read(sent.id)).embeds).toEqual([]);
  });

  test("the SSRF payload list of SECURITY.md gets no preview", async () => {
    const payloads = ["http://127.0.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::127.0.0.1]/", "http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://user@127.0.0.1/", `${base}/to-metadata`];
    for (const url of payloads) expect(await previewFor(app.server.core, url)).toBeNull();
    for (const url of ["file:///etc/passwd", "gopher://127.0.0.1:25/", "data:text/html,hi"]) expect(previewLinks(url)).toEqual([]);
  });
});
