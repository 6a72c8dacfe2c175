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
import { applicationJson, cleanAppDescription, cleanAppName, createApplication, findApplication, listApplications, ownedApplication, resetBotToken, unknownApplication, updateApplication } from "./service.ts";
import { deleteApplication } from "./delete.ts";
import type { Application } from "./table.ts";
import type { User } from "../auth/table.ts";
import { interactionFields, setInteractionsEndpoint } from "../interactions/endpoint.ts";
import { partialGuildJson } from "../guilds/json.ts";
import { guildAccess } from "../guilds/access.ts";

export const applicationBody = z.strictObject({ name: z.string().max(200), description: z.string().max(2000).optional() });
export const applicationPatch = z.strictObject({ name: z.string().max(200).optional(), description: z.string().max(2000).optional(), interactions_endpoint_url: z.string().max(2048).nullable().optional() });
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
  // With the interaction fields (verify_key, interactions_endpoint_url), as Discord's object has them.
  const full = async (found: Application, bot: User) => ({ ...applicationJson(found, bot), ...(await interactionFields(core, found.id)) });
  app.get("/@me", async (c) => {
    const found = findApplication(core, currentAuth(c).user.id);
    if (!found) throw unknownApplication();
    return c.json(await full(found.app, found.bot));
  });
  app.get("/", async (c) => c.json(await Promise.all(listApplications(core, currentAuth(c).user.id).map(({ app, bot }) => full(app, bot)))));
  app.post("/", async (c) => {
    const body = await parseJson(c, applicationBody);
    const { app: created, bot, token } = await createApplication(core, currentAuth(c).user, body);
    return c.json({ ...(await full(created, bot)), bot_token: token }, 201);
  });
  app.get("/:id", async (c) => {
    const { app: found, bot } = ownedApplication(core, currentAuth(c).user.id, appId(c.req.param("id")));
    return c.json(await full(found, bot));
  });
  app.patch("/:id", async (c) => {
    const body = await parseJson(c, applicationPatch);
    const id = appId(c.req.param("id"));
    const userId = currentAuth(c).user.id;
    ownedApplication(core, userId, id);
    if (body.name !== undefined) cleanAppName(body.name);
    if (body.description !== undefined) cleanAppDescription(body.description);
    // The endpoint first: it is checked with a signed PING, and a refusal leaves the name alone too.
    if (body.interactions_endpoint_url !== undefined) await setInteractionsEndpoint(core, id, body.interactions_endpoint_url);
    const { app: found, bot } = await updateApplication(core, userId, id, { name: body.name, description: body.description });
    return c.json(await full(found, bot));
  });
  app.delete("/:id", async (c) => {
    await deleteApplication(core, currentAuth(c).user.id, appId(c.req.param("id")));
    return c.body(null, 204);
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
