// GET /metrics (Prometheus text format) and the middleware that times every request.
// Who may scrape: a request from this machine that did not come through a proxy (socket peer on
// loopback and no forwarding header), the bearer metrics token an admin generated in the console,
// or a signed-in admin. Everyone else gets 404, so the endpoint does not advertise itself.
import { Hono, type MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { readSetting, writeSetting } from "../instance/service.ts";
import { metricsFor, observeRequest } from "./metrics.ts";
import { sessionFromCookieHeader } from "../auth/middleware.ts";
import { findUser } from "../users/service.ts";

const TOKEN_SETTING = "metrics_token_sha256";
const sha256 = (s: string) => createHash("sha256").update(s).digest();

export function requestMetrics(core: Core): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // The route pattern, never the raw path: ids in paths would explode the label count.
      const route = c.req.routePath === "/*" || !c.req.routePath ? "unmatched" : c.req.routePath;
      observeRequest(core, c.req.method, route, c.res.status, performance.now() - started);
    }
  };
}

function fromLoopback(c: Parameters<MiddlewareHandler<AppEnv>>[0]): boolean {
  if (c.req.header("X-Forwarded-For") || c.req.header("Forwarded") || c.req.header("X-Real-IP")) return false;
  try {
    const address = getConnInfo(c).remote.address ?? "";
    return address === "::1" || /^(::ffff:)?127\./.test(address);
  } catch {
    return false;
  }
}

function tokenMatches(core: Core, header: string | undefined): boolean {
  const stored = readSetting<string>(core.db.readOrm, TOKEN_SETTING);
  const m = /^Bearer (pkm\.[A-Za-z0-9_-]{20,100})$/.exec(header ?? "");
  if (!stored || !m) return false;
  return timingSafeEqual(sha256(m[1]!), Buffer.from(stored, "hex"));
}

/** A new scrape token (shown once; only its hash is kept). Replaces the previous one. */
export async function newMetricsToken(core: Core): Promise<string> {
  const token = `pkm.${randomBytes(24).toString("base64url")}`;
  await writeSetting(core.queue, TOKEN_SETTING, sha256(token).toString("hex"));
  return token;
}

export const hasMetricsToken = (core: Core) => Boolean(readSetting<string>(core.db.readOrm, TOKEN_SETTING));

export function metricsRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.get("/metrics", async (c) => {
    // Mounted before authenticate (a scrape token is not a session token): an admin's browser session is checked here.
    const session = sessionFromCookieHeader(core, c.req.header("Cookie") ?? null);
    const admin = session !== null && findUser(core, session.userId)?.isAdmin === true;
    if (!admin && !fromLoopback(c) && !tokenMatches(core, c.req.header("Authorization"))) return c.notFound();
    const registry = metricsFor(core).registry;
    c.header("Content-Type", registry.contentType);
    c.header("Cache-Control", "no-store");
    return c.body(await registry.metrics());
  });
  return app;
}
