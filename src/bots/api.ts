// /api/v10/applications and /api/v10/oauth2: a person manages their bots and adds them to
// servers; a bot reads its own application. Who may call what is checked by policy.ts.
import { Hono } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { parseBitfield } from "../permissions/permissions.ts";
import { authorizeBot } from "./authorize.ts";
import { applicationJson, createApplication, findApplication, listApplications, ownedApplication, resetBotToken, unknownApplication, updateApplication } from "./service.ts";
import { partialGuildJson } from "../guilds/json.ts";
import { guildAccess } from "../guilds/access.ts";

export const applicationBody = z.strictObject({ name: z.string().max(200), description: z.string().max(2000).optional() });
export const applicationPatch = z.strictObject({ name: z.string().max(200).optional(), description: z.string().max(2000).optional() });
export const authorizeQuery = z.object({ client_id: snowflakeParam, scope: z.string().max(200), permissions: z.string().max(20).optional() });
export const authorizeBody = z.strictObject({
  guild_id: snowflakeParam,
  permissions: z.union([z.string().max(20), z.number().int().nonnegative()]).optional(),
  authorize: z.literal(true),
});

const appId = (raw: string | undefined) => {
  const parsed = snowflakeParam.safeParse(raw);
  if (!parsed.success) throw unknownApplication();
  return parsed.data;
};

/** The permissions of an invite: a decimal bitfield (string or number), 0 when absent. */
export function invitePermissions(raw: unknown): bigint {
  if (raw === undefined || raw === "") return 0n;
  const bits = parseBitfield(raw);
  if (bits === null) throw new AppError(400, ErrorCode.invalidBody, "Invalid form body.", { fields: { permissions: "A permission bitfield (decimal)." } });
  return bits;
}

export function applicationsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);

  // The bot's own application (bot tokens only): discord.js's client.application.fetch().
  app.get("/@me", (c) => {
    const found = findApplication(core, currentAuth(c).user.id);
    if (!found) throw unknownApplication();
    return c.json(applicationJson(found.app, found.bot));
  });
  app.get("/", (c) => c.json(listApplications(core, currentAuth(c).user.id).map(({ app, bot }) => applicationJson(app, bot))));
  app.post("/", async (c) => {
    const body = await parseJson(c, applicationBody);
    const { app: created, bot, token } = await createApplication(core, currentAuth(c).user, body);
    return c.json({ ...applicationJson(created, bot), bot_token: token }, 201);
  });
  app.get("/:id", (c) => {
    const { app: found, bot } = ownedApplication(core, currentAuth(c).user.id, appId(c.req.param("id")));
    return c.json(applicationJson(found, bot));
  });
  app.patch("/:id", async (c) => {
    const body = await parseJson(c, applicationPatch);
    const { app: found, bot } = await updateApplication(core, currentAuth(c).user.id, appId(c.req.param("id")), body);
    return c.json(applicationJson(found, bot));
  });
  app.post("/:id/bot/reset", async (c) => c.json({ token: await resetBotToken(core, currentAuth(c).user.id, appId(c.req.param("id"))) }));
  return app;
}

export function oauth2Api(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  app.get("/applications/@me", (c) => {
    const found = findApplication(core, currentAuth(c).user.id);
    if (!found) throw unknownApplication();
    return c.json(applicationJson(found.app, found.bot));
  });
  // Discord's authorize endpoint for the bot scope, answered for the signed-in person.
  app.post("/authorize", async (c) => {
    const q = authorizeQuery.safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid query: client_id and scope=bot are required.");
    if (!q.data.scope.split(/[ +]/).includes("bot")) throw keyedError(400, ErrorCode.invalidBody, "bots.scope");
    const body = await parseJson(c, authorizeBody);
    const userId = currentAuth(c).user.id;
    const guild = await authorizeBot(core, userId, q.data.client_id, body.guild_id, invitePermissions(body.permissions ?? q.data.permissions));
    const access = guildAccess(core, userId, guild.id);
    return c.json({ location: `${core.config.publicUrl}/channels/${guild.id}`, guild: access ? partialGuildJson(access) : { id: guild.id, name: guild.name } });
  });
  return app;
}
