import { Hono } from "hono";
import type { Core } from "../core.ts";
import { openapiDocument } from "./document.ts";

/** GET /api/v10/openapi.json: the REST API described for tools (no sign-in needed). */
export function openapiApi(core: Core) {
  const app = new Hono();
  let cached: { url: string; body: string } | null = null;
  app.get("/openapi.json", (c) => {
    if (cached?.url !== core.config.publicUrl) cached = { url: core.config.publicUrl, body: JSON.stringify(openapiDocument(core.config.publicUrl)) };
    return c.body(cached.body, 200, { "Content-Type": "application/json; charset=utf-8" });
  });
  return app;
}
