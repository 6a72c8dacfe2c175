// The browser's channel tools (views/moderation/channel-tools.tsx): lock and unlock, "delete the
// last N" (form posts that come back to the channel) and deleting the messages picked in selection
// mode (js/moderation-select.js posts them and reads a JSON answer or error). The services check
// the permissions; deleted messages leave every open tab live.
import type { Context, Hono } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { requirePageUser } from "../users/routes.tsx";
import { lockChannel } from "./channels.ts";
import { deleteLast, deleteSelected } from "./purge.ts";

export function channelToolRoutes(app: Hono<AppEnv>, core: Core): void {
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const back = (c: Context<AppEnv>) => {
    const { channel } = requireChannel(core, me(c), c.req.param("channel")!);
    return c.redirect(`/channels/${channel.guildId}/${channel.id}`, 303);
  };
  app.post("/channels/:channel/moderation/lock", requirePageUser, async (c) => {
    await lockChannel(core, me(c), c.req.param("channel")!, true);
    return back(c);
  });
  app.post("/channels/:channel/moderation/unlock", requirePageUser, async (c) => {
    await lockChannel(core, me(c), c.req.param("channel")!, false);
    return back(c);
  });
  app.post("/channels/:channel/moderation/purge", requirePageUser, async (c) => {
    const form = await parseForm(c, z.object({ limit: z.coerce.number().int().min(1).max(100) }));
    await deleteLast(core, me(c), c.req.param("channel")!, form.limit);
    return back(c);
  });
  app.post("/channels/:channel/moderation/bulk-delete", requirePageUser, async (c) => {
    const form = await parseForm(c, z.object({ messages: z.union([snowflakeParam, z.array(snowflakeParam).max(100)]) }));
    const ids = Array.isArray(form.messages) ? form.messages : [form.messages];
    return c.json({ deleted: await deleteSelected(core, me(c), c.req.param("channel")!, ids) });
  });
}
