// /invite/{code}: the invite page (server name, member count) with join, log in or register.
import { Hono } from "hono";
import { InviteLanding } from "../../views/guilds/forms.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { registrationMode } from "../instance/service.ts";
import { joinByInvite, resolveInvite, revokeInvite } from "./service.ts";

export function invitePages(core: Core) {
  const app = new Hono<AppEnv>();
  const canRegister = () => registrationMode(core.db.readOrm) !== "closed";

  // Expired, used-up and revoked invites get a clear page (404), not an error dump.
  app.get("/:code", (c) => {
    const view = resolveInvite(core, c.req.param("code"));
    return c.html(<InviteLanding ctx={pageCtx(c, core)} view={view} canRegister={canRegister()} />, view ? 200 : 404);
  });
  app.post("/:code", async (c) => {
    if (!c.get("auth")) return c.redirect(`/login?next=${encodeURIComponent(`/invite/${c.req.param("code")}`)}`, 303);
    try {
      const guild = await joinByInvite(core, currentAuth(c).user.id, c.req.param("code"));
      return c.redirect(`/channels/${guild.id}`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<InviteLanding ctx={pageCtx(c, core)} view={resolveInvite(core, c.req.param("code"))} canRegister={canRegister()} error={errors.general} />, status);
    }
  });
  app.post("/:code/revoke", async (c) => {
    if (!c.get("auth")) return c.redirect("/login", 303);
    const view = resolveInvite(core, c.req.param("code"));
    await revokeInvite(core, currentAuth(c).user.id, c.req.param("code"));
    return c.redirect(view ? `/guilds/${view.guild.id}/settings/invites?saved=1` : "/", 303);
  });
  return app;
}
