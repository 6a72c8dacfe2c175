import { Hono } from "hono";
import { AppShell } from "../../views/shell/app-shell.tsx";
import type { Orm } from "../db/client.ts";
import { instanceName } from "../instance/service.ts";

export function homeRoutes(deps: { readOrm: Orm }) {
  const app = new Hono();
  app.get("/", (c) => c.html(<AppShell instanceName={instanceName(deps.readOrm)} />));
  return app;
}
