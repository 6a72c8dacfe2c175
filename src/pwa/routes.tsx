// The installable app: the web app manifest, the service worker (at the site's root so that it
// controls every page) and the offline screen it caches.
import { Hono } from "hono";
import { OfflinePage } from "../../views/pwa/offline.tsx";
import { assetUrl, getAsset } from "../assets/registry.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { instanceName } from "../instance/service.ts";

/**
 * What the worker fetches when it installs: what the offline screen needs (its page, the styles,
 * the scripts every page loads; its logo is inlined). The other static files are kept the first time a page
 * uses them, so installing never competes with the first page's own loads for more than a few files.
 */
const OFFLINE_ASSETS = ["css/app.css", "vendor/htmx.min.js", "js/offline.js", "js/pwa.js", "js/notifications.js", "js/drafts.js"];

export function pwaRoutes(core: Core) {
  const app = new Hono<AppEnv>();

  app.get("/manifest.webmanifest", (c) => {
    const name = instanceName(core.db.readOrm);
    const manifest = {
      id: "/",
      name,
      short_name: name.slice(0, 12),
      description: "Pokynano",
      start_url: "/",
      scope: "/",
      display: "standalone",
      background_color: "#1e1f22",
      theme_color: "#5865f2",
      icons: [
        { src: assetUrl("icons/icon-192.png"), sizes: "192x192", type: "image/png", purpose: "any" },
        { src: assetUrl("icons/icon-512.png"), sizes: "512x512", type: "image/png", purpose: "any" },
        { src: assetUrl("icons/maskable-512.png"), sizes: "512x512", type: "image/png", purpose: "maskable" },
        { src: assetUrl("icons/logo.svg"), sizes: "any", type: "image/svg+xml", purpose: "any" },
      ],
    };
    return c.body(JSON.stringify(manifest), 200, { "Content-Type": "application/manifest+json", "Cache-Control": "no-cache" });
  });

  app.get("/sw.js", (c) => {
    const source = new TextDecoder().decode(getAsset("js/sw.js")!.body);
    const urls = [...OFFLINE_ASSETS.map(assetUrl), "/offline"];
    // The version follows the precached files' hashes and the worker's own, so a change installs a
    // new worker (which drops the old cache, static files kept on use included).
    const version = new Bun.CryptoHasher("sha256").update(urls.join("\n")).update(getAsset("js/sw.js")!.hash).digest("hex").slice(0, 16);
    const body = `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(urls)};\n${source}`;
    return c.body(body, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache", "Service-Worker-Allowed": "/" });
  });

  // The same for everyone (no user, no session): cached once by the worker.
  app.get("/offline", (c) => {
    const ctx = { ...pageCtx(c, core), user: null };
    // The logo as a data: URL (the CSP's img-src allows it): the screen needs nothing the worker lacks.
    const logo = `data:image/svg+xml;base64,${Buffer.from(getAsset("icons/logo.svg")!.body).toString("base64")}`;
    return c.html(<OfflinePage ctx={ctx} logo={logo} />);
  });
  return app;
}
