import type { MiddlewareHandler } from "hono";
import type { Logger } from "../lib/log.ts";
import type { AppEnv } from "./env.ts";

/** Gives each request a child logger carrying its id, and logs one line when it ends. */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = logger.child({ request_id: c.get("requestId") });
    c.set("log", log);
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const fields = { method: c.req.method, path: c.req.path, status: c.res.status, ms };
    if (c.res.status >= 500) log.error("request failed", fields);
    else if (c.req.path.startsWith("/static/") || c.req.path === "/healthz") log.debug("request", fields);
    else log.info("request", fields);
  };
}
