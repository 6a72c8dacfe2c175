// What every app-shell page needs besides the page context: the rail's servers.
import type { Context } from "hono";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { currentAuth } from "../auth/middleware.ts";
import { myGuilds } from "./service.ts";

export function shellData(c: Context<AppEnv>, core: Core) {
  return { ctx: pageCtx(c, core), guilds: myGuilds(core, currentAuth(c).user.id) };
}
