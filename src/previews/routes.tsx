// The preview image proxy and the ✕ that hides a message's embeds.
//
// GET /previews/image?url=&sig= shows an outside image (from a link preview or a bot's embed)
// through the SSRF guard (image.ts): only URLs the server signed, only PNG/JPEG/GIF/WebP checked
// by their bytes (never SVG or HTML), at most 8 MiB, served with nosniff and a sandbox CSP so that even a
// mislabelled file cannot run. Browsers never contact the outside site, which so never learns who
// looked at a message.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { changeEmbeds } from "../embeds/edit.ts";
import { unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { safeNext } from "../http/page.ts";
import { snowflakeParam } from "../http/validate.ts";
import { unknownMessage } from "../messages/service.ts";
import { fetchImage } from "./image.ts";
import { requirePageUser } from "../users/routes.tsx";
import { verifyUrl } from "./sign.ts";

const imageHeaders = (type: string) => ({
  "Content-Type": type,
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Content-Disposition": "inline",
  "Cache-Control": "public, max-age=86400",
  "Cross-Origin-Resource-Policy": "same-origin",
});

export function previewRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.get("/previews/image", async (c) => {
    const q = z.object({ url: z.string().min(1).max(2048), sig: z.string().min(1).max(64) }).safeParse(c.req.query());
    if (!q.success || !verifyUrl(core, q.data.url, q.data.sig)) return c.text("Unknown image.", 404);
    const url = q.data.url;
    let hit;
    try {
      hit = await fetchImage(core, url);
    } catch (err) {
      core.logger.debug("preview image refused", { url, err: String(err) });
      return c.text("The image could not be fetched.", 502);
    }
    if (!hit) return c.text("Not an image.", 502);
    return new Response(hit.body as Uint8Array<ArrayBuffer>, { headers: imageHeaders(hit.type) });
  });

  const id = (c: Context<AppEnv>, name: "channel" | "message") => {
    const parsed = snowflakeParam.safeParse(c.req.param(name));
    if (!parsed.success) throw name === "channel" ? unknownChannel() : unknownMessage();
    return parsed.data;
  };
  app.use("/channels/*", requirePageUser);
  app.post("/channels/:channel/messages/:message/suppress-embeds", async (c) => {
    await changeEmbeds(core, currentAuth(c).user.id, id(c, "channel"), id(c, "message"), { suppress: true });
    const referer = c.req.header("Referer");
    return c.req.header("HX-Request") ? c.body(null, 204) : c.redirect(safeNext(referer && URL.canParse(referer) ? new URL(referer).pathname : "/"), 303);
  });
  return app;
}
