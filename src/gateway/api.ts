import { Hono } from "hono";
import type { Core } from "../core.ts";

/** GET /api/v10/gateway: where the JSON gateway lives (Discord's shape). */
export function gatewayApi(core: Core) {
  const app = new Hono();
  app.get("/", (c) => c.json({ url: `${core.config.publicUrl.replace(/^http/, "ws")}/gateway` }));
  return app;
}
