// /api/v10/applications/{id}/commands (global and per server), PATCH /applications/@me
// (interactions endpoint), and POST /interactions/{id}/{token}/callback.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import { findApplication, unknownApplication } from "../bots/service.ts";
import type { Core } from "../core.ts";
import { guildAccess } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { commandListSchema, commandSchema } from "./command-schema.ts";
import { commandJson, createCommand, deleteCommand, editCommand, findCommand, listCommands, overwriteCommands, unknownCommand } from "./commands.ts";
import { interactionFields, setInteractionsEndpoint } from "./endpoint.ts";
import { callbackBody, interactionMessageJson, respond, unknownInteraction } from "./service.ts";
import { byId } from "./store.ts";

export const endpointBody = z.strictObject({ interactions_endpoint_url: z.string().max(2048).nullable() });

export function commandsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);

  // The bot sets its own interactions endpoint (Discord's Edit Current Application).
  app.patch("/@me", async (c) => {
    const appId = currentAuth(c).user.id;
    if (!findApplication(core, appId)) throw unknownApplication();
    const body = await parseJson(c, endpointBody);
    await setInteractionsEndpoint(core, appId, body.interactions_endpoint_url);
    const found = findApplication(core, appId)!;
    return c.json({ id: found.app.id, name: found.app.name, ...(await interactionFields(core, appId)) });
  });

  /** The application, as its bot or its owner (404 for anyone else), and the server when given. */
  const scope = (c: Context<AppEnv>): { appId: string; guildId: string | null } => {
    const parsed = snowflakeParam.safeParse(c.req.param("app"));
    const user = currentAuth(c).user;
    const found = parsed.success ? findApplication(core, parsed.data) : null;
    if (!found || (found.app.id !== user.id && found.app.ownerId !== user.id)) throw unknownApplication();
    const rawGuild = c.req.param("guild");
    if (rawGuild === undefined) return { appId: found.app.id, guildId: null };
    const guild = snowflakeParam.safeParse(rawGuild);
    // Discord: 50001 Missing Access when the application's bot is not in the server.
    if (!guild.success || !guildAccess(core, found.app.id, guild.data)) throw new AppError(403, 50001, "Missing Access.", { key: "error.forbidden" });
    return { appId: found.app.id, guildId: guild.data };
  };
  const cmdId = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("command"));
    if (!parsed.success) throw unknownCommand();
    return parsed.data;
  };

  for (const base of ["/:app/commands", "/:app/guilds/:guild/commands"]) {
    app.get(base, (c) => {
      const { appId, guildId } = scope(c);
      return c.json(listCommands(core, appId, guildId).map(commandJson));
    });
    app.put(base, async (c) => {
      const { appId, guildId } = scope(c);
      const list = await parseJson(c, commandListSchema);
      return c.json((await overwriteCommands(core, appId, guildId, list)).map(commandJson));
    });
    app.post(base, async (c) => {
      const { appId, guildId } = scope(c);
      const body = await parseJson(c, commandSchema);
      const { command, created } = await createCommand(core, appId, guildId, body);
      return c.json(commandJson(command), created ? 201 : 200);
    });
    app.get(`${base}/:command`, (c) => {
      const { appId, guildId } = scope(c);
      return c.json(commandJson(findCommand(core, appId, guildId, cmdId(c))));
    });
    app.patch(`${base}/:command`, async (c) => {
      const { appId, guildId } = scope(c);
      const id = cmdId(c);
      const current = findCommand(core, appId, guildId, id);
      const patch = await parseJson(c, z.record(z.string(), z.unknown()));
      // The merged command is checked as a whole, so a patch cannot break a rule of the schema.
      const merged = commandSchema.safeParse({ ...current.body, ...patch, type: current.type });
      if (!merged.success) throw new AppError(400, ErrorCode.invalidBody, `Invalid command: ${merged.error.issues[0]?.path.join(".")} ${merged.error.issues[0]?.message}`);
      return c.json(commandJson(await editCommand(core, appId, guildId, id, merged.data)));
    });
    app.delete(`${base}/:command`, async (c) => {
      const { appId, guildId } = scope(c);
      await deleteCommand(core, appId, guildId, cmdId(c));
      return c.body(null, 204);
    });
  }
  return app;
}

export function interactionsApi(core: Core) {
  const app = new Hono<AppEnv>();
  // No Authorization: the token in the path is the permission (libraries send none here).
  app.post("/:id/:token/callback", async (c) => {
    const id = snowflakeParam.safeParse(c.req.param("id"));
    const pending = id.success ? byId(core, id.data, c.req.param("token")) : null;
    if (!pending) throw unknownInteraction();
    const body = await parseJson(c, callbackBody);
    const message = await respond(core, pending, body);
    if (c.req.query("with_response") !== "true") return c.body(null, 204);
    return c.json({ interaction: { id: pending.id, type: pending.type, response_message_id: message?.id, response_message_loading: body.type === 5, response_message_ephemeral: message ? !!pending.ephemeral.get(message.id) : false }, resource: { type: body.type, message: message ? interactionMessageJson(core, pending, message) : undefined } });
  });
  return app;
}
