// The installable app: the manifest, the service worker at the root with the headers browsers
// require, and the offline screen it caches.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("PWA", () => {
  test("every page links the manifest, which names the instance and lists icons that exist (192, 512 and maskable)", async () => {
    const user = await createAccount(app);
    const page = await (await app.fetch("/", { headers: { Cookie: user.cookie } })).text();
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
    expect(page).toMatch(/<script src="\/static\/js\/pwa\.js\?v=\w+" defer=""><\/script>/);
    const res = await app.fetch("/manifest.webmanifest");
    expect(res.headers.get("content-type")).toBe("application/manifest+json");
    const manifest = (await res.json()) as { name: string; start_url: string; scope: string; display: string; icons: { src: string; sizes: string; purpose: string; type: string }[] };
    expect(manifest).toMatchObject({ start_url: "/", scope: "/", display: "standalone" });
    expect(manifest.name.length).toBeGreaterThan(0);
    const sizes = manifest.icons.map((i) => `${i.sizes}/${i.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(["192x192/any", "512x512/any", "512x512/maskable"]));
    for (const icon of manifest.icons) {
      const file = await app.fetch(icon.src);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe(icon.type);
      if (icon.type === "image/png") {
        const bytes = new Uint8Array(await file.arrayBuffer());
        // PNG signature, then IHDR's width and height match the declared size.
        expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
        const view = new DataView(bytes.buffer);
        expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(icon.sizes);
      }
    }
  });

  test("the service worker is served from the root, never cached stale, allowed by the CSP, and precaches the versioned static files and the offline screen", async () => {
    const res = await app.fetch("/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("service-worker-allowed")).toBe("/");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-security-policy")).toContain("worker-src 'self'");
    const source = await res.text();
    const precache = JSON.parse(/const PRECACHE = (\[.*\]);/.exec(source)![1]!) as string[];
    expect(precache).toContain("/offline");
    expect(precache.some((u) => /^\/static\/css\/app\.css\?v=\w+$/.test(u))).toBe(true);
    expect(precache.some((u) => u.startsWith("/static/vendor/htmx.min.js?v="))).toBe(true);
    expect(precache.some((u) => u.startsWith("/static/js/sw.js"))).toBe(false);
    for (const url of precache) expect((await app.fetch(url)).status).toBe(200);
    // The same bytes twice: the version changes only when a file does.
    expect(await (await app.fetch("/sw.js")).text()).toBe(source);
  });

  test("the offline screen needs no session and offers to try again", async () => {
    const res = await app.fetch("/offline", { headers: { "Accept-Language": "fr" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Vous êtes hors ligne");
    expect(html).toContain('id="offline-retry"');
    expect(html).toMatch(/js\/offline\.js\?v=\w+/);
  });

  test("the notification sound is a small WAV of our own", async () => {
    const res = await app.fetch("/static/sounds/notify.wav");
    expect(res.headers.get("content-type")).toBe("audio/wav");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe("RIFF");
    expect(bytes.length).toBeLessThan(32 * 1024);
  });
});
