// Browser side of presence and typing: the status menu's form and the composer's typing ping.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { safeNext } from "../http/page.ts";
import { parseForm, snowflakeParam, text } from "../http/validate.ts";
import { requirePageUser } from "../users/routes.tsx";
import { setPresence } from "./service.ts";
import { CHOSEN_STATUSES } from "./status.ts";
import { startTyping } from "./typing.ts";

// The text limit here only stops absurd bodies; the service counts characters after cleaning.
const presenceForm = z.object({ status: z.enum(CHOSEN_STATUSES), custom_status: text(500).optional() });

export function presencePages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/presence", requirePageUser);
  app.use("/channels/:channel/typing", requirePageUser);
  // The menu is a plain form: after choosing, the reader goes back to the page they were on.
  app.post("/presence", async (c: Context<AppEnv>) => {
    const form = await parseForm(c, presenceForm);
    await setPresence(core, currentAuth(c).user.id, { status: form.status, customStatus: form.custom_status ?? "" });
    const referer = c.req.header("Referer");
    return c.redirect(safeNext(referer && URL.canParse(referer) ? new URL(referer).pathname : "/"), 303);
  });
  app.post("/channels/:channel/typing", async (c) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    await startTyping(core, currentAuth(c).user, parsed.data);
    return c.body(null, 204);
  });
  return app;
}
