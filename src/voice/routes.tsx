// Settings → Voice: the voice connection test page.
import { Hono } from "hono";
import { VoiceTestPage } from "../../views/voice/test-page.tsx";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { requirePageUser } from "../users/routes.tsx";

export function voiceSettingsRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  app.get("/", (c) => c.html(<VoiceTestPage ctx={pageCtx(c, core)} turn={Boolean(core.config.voice?.turnUrl)} />));
  return app;
}
