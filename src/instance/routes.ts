// GET /instance.css: the admin's custom stylesheet, linked last on every page. Served as text/css
// with nosniff and revalidated by ETag, so an edit shows on the next page load.
import { Hono } from "hono";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { customCss } from "./appearance.ts";

export function instanceCssRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.get("/instance.css", (c) => {
    const css = customCss(core.db.readOrm);
    const etag = `"${new Bun.CryptoHasher("sha256").update(css).digest("hex").slice(0, 32)}"`;
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "no-cache");
    c.header("ETag", etag);
    if (c.req.header("If-None-Match") === etag) return c.body(null, 304);
    return c.body(css);
  });
  return app;
}
