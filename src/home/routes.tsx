import { Hono } from "hono";
import { DmSidebar } from "../../views/dms/sidebar.tsx";
import { AppShell } from "../../views/shell/app-shell.tsx";
import { needsSetup } from "../auth/service.ts";
import type { Core } from "../core.ts";
import { listDms } from "../dms/service.ts";
import { shellData } from "../guilds/shell.ts";
import type { AppEnv } from "../http/env.ts";
import { currentAuth } from "../auth/middleware.ts";

export function homeRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    // A new instance greets its first visitor with setup; everyone else must log in first.
    if (needsSetup(core)) return c.redirect("/setup", 303);
    if (!c.get("auth")) return c.redirect("/login", 303);
    const { ctx, dmStates, shell } = shellData(c, core);
    const { t } = ctx;
    return c.html(
      <AppShell
        {...shell}
        activeGuildId={null}
        title={ctx.instanceName}
        sidebarTitle={<h2>{t("dm.title")}</h2>}
        sidebar={<DmSidebar ctx={ctx} dms={listDms(core, currentAuth(c).user.id)} states={dmStates} />}
        mainTitle={t("shell.home")}
        main={
          <section class="pane-body empty-state" aria-label={t("shell.conversation")}>
            <h2>{t("shell.welcome", { name: ctx.instanceName })}</h2>
            <p class="muted">{t("shell.welcomeHint")}</p>
            <p>
              <a class="button" href="/guilds/new">
                {t("guild.create")}
              </a>
            </p>
          </section>
        }
      />,
    );
  });
  return app;
}
