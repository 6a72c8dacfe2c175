import { Hono } from "hono";
import type { Core } from "../core.ts";
import { requireUser } from "../auth/middleware.ts";
import type { AppEnv } from "../http/env.ts";

/** IDENTIFYs a bot may start per day (Discord's default; nothing here needs more). */
const SESSION_STARTS = 1000;

/** GET /api/v10/gateway: where the JSON gateway lives (Discord's shape). */
export function gatewayApi(core: Core) {
  const app = new Hono<AppEnv>();
  const url = () => `${core.config.publicUrl.replace(/^http/, "ws")}/gateway`;
  app.get("/", (c) => c.json({ url: url() }));
  // Bot libraries ask this first and connect to the `url` it returns (bot tokens only, see bots/policy.ts).
  // One process serves every guild, so one shard; starts are not counted.
  app.get("/bot", requireUser, (c) =>
    c.json({ url: url(), shards: 1, session_start_limit: { total: SESSION_STARTS, remaining: SESSION_STARTS, reset_after: 86_400_000, max_concurrency: 1 } }),
  );
  return app;
}
