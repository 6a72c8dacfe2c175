// /api/v10/channels/{id}/typing: Discord's "trigger typing indicator" (204, no body).
import { Hono } from "hono";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { snowflakeParam } from "../http/validate.ts";
import { startTyping } from "./typing.ts";

export function typingApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/:channel/typing", requireUser);
  app.post("/:channel/typing", async (c) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    await startTyping(core, currentAuth(c).user, parsed.data);
    return c.body(null, 204);
  });
  return app;
}
