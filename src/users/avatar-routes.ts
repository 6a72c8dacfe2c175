import { Hono } from "hono";
import { join } from "node:path";
import type { Core } from "../core.ts";
import { AVATAR_NAME } from "./avatar.ts";

/**
 * GET /<folder>/<sha256>.webp (avatars, server icons): content-addressed, so cached forever; only
 * names we generate are served.
 */
export function imageRoutes(dir: (core: Core) => string, core: Core) {
  const app = new Hono();
  app.get("/:name", async (c) => {
    const name = c.req.param("name");
    if (!AVATAR_NAME.test(name)) return c.notFound();
    const file = Bun.file(join(dir(core), name));
    if (!(await file.exists())) return c.notFound();
    return c.body(await file.arrayBuffer(), 200, {
      "Content-Type": "image/webp",
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Content-Disposition": "inline",
    });
  });
  return app;
}
