// Settings → Voice: the voice connection test page; /calls/{dm}/decline for a DM call's ring.
import { Hono } from "hono";
import { VoiceTestPage } from "../../views/voice/test-page.tsx";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { requirePageUser } from "../users/routes.tsx";
import { currentAuth } from "../auth/middleware.ts";
import { isSnowflake } from "../db/snowflake.ts";
import { channelAccess, unknownChannel } from "../guilds/access.ts";
import { decline } from "./ring.tsx";
import { voiceOf } from "./service.ts";

export function voiceSettingsRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  app.get("/", (c) => c.html(<VoiceTestPage ctx={pageCtx(c, core)} turn={Boolean(core.config.voice?.turnUrl)} />));
  return app;
}

export function voiceCallRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  app.post("/:channel/decline", (c) => {
    const channelId = c.req.param("channel");
    const access = isSnowflake(channelId) ? channelAccess(core, currentAuth(c).user.id, channelId) : null;
    if (!access || access.guild) throw unknownChannel();
    decline(voiceOf(core), channelId, currentAuth(c).user.id);
    // Back where they were (a form post from any page); the banner is already gone.
    const back = c.req.header("Referer");
    return c.redirect(back && back.startsWith(core.config.publicUrl) ? back : "/", 303);
  });
  return app;
}
