// Cross-site request forgery guard. A browser request that changes something must come from our
// own origin: we check Origin (or, when a browser omits it, Sec-Fetch-Site). API clients (bots,
// scripts) send neither header and authenticate with a bearer token, which a foreign page cannot
// attach, so they pass. Hono's csrf() only looks at form content types; this covers every
// unsafe method.
import type { MiddlewareHandler } from "hono";
import { forbidden } from "../lib/errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function sameOriginWrites(allowedOrigins: (requestOrigin: string) => readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      const origin = c.req.header("Origin");
      const site = c.req.header("Sec-Fetch-Site");
      if (origin !== undefined) {
        if (!allowedOrigins(new URL(c.req.url).origin).includes(origin)) throw forbidden("This request came from another site and was refused.");
      } else if (site !== undefined && site !== "same-origin" && site !== "none") {
        throw forbidden("This request came from another site and was refused.");
      }
    }
    await next();
  };
}
