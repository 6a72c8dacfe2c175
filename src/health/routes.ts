import { Hono } from "hono";
import type { DatabaseHandle } from "../db/client.ts";

/** `GET /healthz`: 200 "ok" while the database answers; 503 while shutting down or when it does not. */
export function healthRoutes(deps: { db: DatabaseHandle; isShuttingDown: () => boolean }) {
  const app = new Hono();
  app.get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    if (deps.isShuttingDown()) return c.text("shutting down", 503);
    try {
      deps.db.reader.query("SELECT 1").get();
    } catch {
      return c.text("database unavailable", 503);
    }
    return c.text("ok");
  });
  return app;
}
