// /api/v10/invites/{code}: look at an invite, join through it, revoke it.
import { Hono } from "hono";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { guildJson } from "../guilds/json.ts";
import type { AppEnv } from "../http/env.ts";
import { invalidInvite, inviteJson, joinByInvite, resolveInvite, revokeInvite } from "./service.ts";

export function invitesApi(core: Core) {
  const app = new Hono<AppEnv>();
  // Anyone with the link may look at it, signed in or not (the invite page shows the same).
  app.get("/:code", (c) => {
    const view = resolveInvite(core, c.req.param("code"));
    if (!view) throw invalidInvite();
    return c.json(inviteJson(view));
  });
  app.post("/:code", requireUser, async (c) => c.json(guildJson(core, await joinByInvite(core, currentAuth(c).user.id, c.req.param("code")))));
  app.delete("/:code", requireUser, async (c) => {
    await revokeInvite(core, currentAuth(c).user.id, c.req.param("code"));
    return c.body(null, 204);
  });
  return app;
}
