// Discord's REST rate-limit protocol for token clients (bots, scripts): every answer says how many
// requests are left in the route's bucket, and a refusal is a 429 whose `retry_after` the client
// waits out. Bot libraries (discord.js, discord.py) read these headers and queue requests before
// they are refused, so a well-behaved bot never sees a 429 at all.
//
// A bucket is a route shape (method and path with ids blanked) per top-level resource (the
// channel or server: Discord's "major parameter") per user. Windows are fixed, in memory: one
// process serves the instance.
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { z } from "zod";
import { readSetting, writeSetting } from "../instance/service.ts";

export interface ApiRateLimit {
  /** Requests per bucket and window; 0 turns the limit off. */
  max: number;
  windowMs: number;
}
/** Instance setting `api_rate_limit`: `{max, windowMs}`. */
export const DEFAULT_API_RATE_LIMIT: ApiRateLimit = { max: 50, windowMs: 5000 };

/** PATCH /admin/instance {api_rate_limit: {max, window_ms}}. */
export const apiRateLimitBody = z.strictObject({ max: z.number().int().min(0).max(10_000), window_ms: z.number().int().min(100).max(3_600_000) });
export const apiRateLimitJson = (core: Core) => {
  const limit = readSetting<ApiRateLimit>(core.db.readOrm, "api_rate_limit") ?? DEFAULT_API_RATE_LIMIT;
  return { max: limit.max, window_ms: limit.windowMs };
};
export const setApiRateLimit = (core: Core, body: z.infer<typeof apiRateLimitBody>) => writeSetting(core.queue, "api_rate_limit", { max: body.max, windowMs: body.window_ms } satisfies ApiRateLimit);

const MAJOR = /^\/api\/v10\/(channels|guilds|webhooks)\/(\d+)/;

/** Route shape: ids blanked except the major parameter, which keeps its own bucket. */
export function bucketOf(method: string, path: string): { route: string; major: string } {
  const major = MAJOR.exec(path);
  const rest = major ? path.slice(major[0].length) : path;
  // Reactions share one bucket per message, whatever the emoji (as on Discord).
  const shape = rest.replace(/\/reactions\/.*/, "/reactions/:emoji").replace(/\/\d+/g, "/:id");
  return { route: `${method} ${major ? `/${major[1]}/:major` : ""}${shape}`, major: major?.[2] ?? "" };
}

const bucketHash = (route: string) => createHash("sha256").update(route).digest("hex").slice(0, 16);

export function apiRateLimits(core: Core): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = 0;
  return async (c, next) => {
    const auth = c.get("auth");
    // Bots and scripts (personal access tokens) get Discord's protocol; people's own clients
    // (cookie or session token) keep the per-feature limits (login, messages, typing).
    if (!auth || (auth.via !== "bot-token" && auth.via !== "access-token") || !c.req.path.startsWith("/api/v10/")) return next();
    const limit = readSetting<ApiRateLimit>(core.db.readOrm, "api_rate_limit") ?? DEFAULT_API_RATE_LIMIT;
    if (limit.max <= 0) return next();
    const now = Date.now();
    if (now - lastSweep > 60_000) {
      lastSweep = now;
      for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
    }
    const { route, major } = bucketOf(c.req.method, c.req.path);
    const key = `${auth.user.id}:${major}:${route}`;
    let w = windows.get(key);
    if (!w || w.resetAt <= now) windows.set(key, (w = { count: 0, resetAt: now + limit.windowMs }));
    w.count++;
    const resetAfter = Math.max(0, w.resetAt - now) / 1000;
    const headers: Record<string, string> = {
      "X-RateLimit-Limit": String(limit.max),
      "X-RateLimit-Remaining": String(Math.max(0, limit.max - w.count)),
      "X-RateLimit-Reset": (w.resetAt / 1000).toFixed(3),
      "X-RateLimit-Reset-After": resetAfter.toFixed(3),
      "X-RateLimit-Bucket": bucketHash(route),
    };
    if (w.count > limit.max) {
      return c.json(
        { message: "You are being rate limited.", code: 20028, retry_after: Number(resetAfter.toFixed(3)), global: false },
        429,
        { ...headers, "Retry-After": String(Math.max(1, Math.ceil(resetAfter))), "X-RateLimit-Scope": "user" },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
