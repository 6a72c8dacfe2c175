// /api/v10/users/@me/...: my servers (list, leave), my conversations (open a DM or a group), blocks.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { guildAccess } from "../guilds/access.ts";
import { partialGuildJson } from "../guilds/json.ts";
import { leaveGuild, myGuilds } from "../guilds/service.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam, text } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { createGroupDm, dmJson, dmView, listDms, openDm, setBlocked, setDmPrivacy } from "./service.ts";

const snowflake = z.string().regex(/^\d{1,20}$/, "Not an id.");

export function meApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const param = (c: Context<AppEnv>, name: string) => {
    const parsed = snowflakeParam.safeParse(c.req.param(name));
    if (!parsed.success) throw new AppError(404, ErrorCode.unknownRoute, "Not found.");
    return parsed.data;
  };

  app.get("/guilds", (c) => c.json(myGuilds(core, me(c)).map((g) => partialGuildJson(guildAccess(core, me(c), g.id)!))));
  app.delete("/guilds/:guild", async (c) => {
    await leaveGuild(core, me(c), param(c, "guild"));
    return c.body(null, 204);
  });

  app.get("/channels", (c) => c.json(listDms(core, me(c)).map(dmJson)));
  app.post("/channels", async (c) => {
    const body = await parseJson(c, z.union([z.strictObject({ recipient_id: snowflake }), z.strictObject({ recipients: z.array(snowflake).min(1).max(9), name: text(100).optional() })]));
    const channel = "recipient_id" in body ? await openDm(core, me(c), body.recipient_id) : await createGroupDm(core, me(c), body.recipients, body.name);
    return c.json(dmJson(dmView(core, me(c), channel)));
  });

  app.put("/blocks/:user", async (c) => {
    await setBlocked(core, me(c), param(c, "user"), true);
    return c.body(null, 204);
  });
  app.delete("/blocks/:user", async (c) => {
    await setBlocked(core, me(c), param(c, "user"), false);
    return c.body(null, 204);
  });
  app.put("/settings/dm-privacy", async (c) => {
    const body = await parseJson(c, z.strictObject({ allow_member_dms: z.boolean() }));
    await setDmPrivacy(core, me(c), body.allow_member_dms);
    return c.json({ allow_member_dms: body.allow_member_dms });
  });
  return app;
}
