import { Hono } from "hono";
import { AppShell } from "../../views/shell/app-shell.tsx";
import { needsSetup } from "../auth/service.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";

export function homeRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    // A new instance greets its first visitor with setup; everyone else must log in first.
    if (needsSetup(core)) return c.redirect("/setup", 303);
    if (!c.get("auth")) return c.redirect("/login", 303);
    return c.html(<AppShell ctx={pageCtx(c, core)} />);
  });
  return app;
}
