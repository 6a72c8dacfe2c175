// The developer pages: Settings → Developer (a person's bots) and the bot invite page
// /oauth2/authorize, which is where an invite link of Discord's shape lands.
import { deleteApplication } from "./delete.ts";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { AuthorizePage } from "../../views/bots/authorize.tsx";
import { DeveloperSettings } from "../../views/bots/developer.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { checkboxes, parseForm, snowflakeParam, text } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { fromNames, Permission, type PermissionName } from "../permissions/permissions.ts";
import { AVATAR_MAX_BYTES, setAvatar } from "../users/avatar.ts";
import { requirePageUser } from "../users/routes.tsx";
import { invitePermissions } from "./api.ts";
import { authorizeBot, guildsForBots } from "./authorize.ts";
import { createApplication, findApplication, listApplications, ownedApplication, resetBotToken, unknownApplication, updateApplication } from "./service.ts";

const appForm = z.object({ name: text(200), description: text(2000).default("") });
const PERMISSION_NAMES = Object.keys(Permission) as [PermissionName, ...PermissionName[]];

export function developerRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  const page = (c: Context<AppEnv>, extra: { token?: { appId: string; value: string }; errors?: Parameters<typeof DeveloperSettings>[0]["errors"]; notice?: string } = {}) =>
    c.html(<DeveloperSettings ctx={pageCtx(c, core)} apps={listApplications(core, currentAuth(c).user.id)} publicUrl={core.config.publicUrl} {...extra} />);
  const id = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw unknownApplication();
    return ownedApplication(core, currentAuth(c).user.id, parsed.data).app.id;
  };

  app.get("/", (c) => page(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/", async (c) => {
    const form = await parseForm(c, appForm);
    try {
      const created = await createApplication(core, currentAuth(c).user, form);
      c.status(201);
      return page(c, { token: { appId: created.app.id, value: created.token } });
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      c.status(status);
      return page(c, { errors });
    }
  });
  app.post("/:id", async (c) => {
    const form = await parseForm(c, appForm);
    try {
      await updateApplication(core, currentAuth(c).user.id, id(c), form);
      return c.redirect("/settings/developer?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      c.status(status);
      return page(c, { errors });
    }
  });
  app.post("/:id/avatar", async (c) => {
    const appId = id(c);
    const body = await c.req.parseBody();
    const file = body.avatar;
    try {
      if (!(file instanceof File)) throw new AppError(400, ErrorCode.invalidBody, "No file.", { key: "profile.avatarInvalid" });
      if (file.size > AVATAR_MAX_BYTES) throw new AppError(413, ErrorCode.tooLarge, "Too large.", { key: "profile.avatarTooLarge" });
      await setAvatar(core, ownedApplication(core, currentAuth(c).user.id, appId).bot, new Uint8Array(await file.arrayBuffer()));
      return c.redirect("/settings/developer?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      c.status(status);
      return page(c, { errors });
    }
  });
  app.post("/:id/delete", async (c) => {
    await deleteApplication(core, currentAuth(c).user.id, id(c));
    return c.redirect("/settings/developer?saved=1", 303);
  });
  app.post("/:id/reset", async (c) => {
    const appId = id(c);
    return page(c, { token: { appId, value: await resetBotToken(core, currentAuth(c).user.id, appId) } });
  });
  return app;
}

const authorizeForm = z.object({ guild_id: snowflakeParam, permissions: checkboxes(PERMISSION_NAMES) });

export function authorizePages(core: Core) {
  const app = new Hono<AppEnv>();
  // Like requirePageUser, but the way back keeps the invite link's query (client_id, permissions).
  app.use("*", async (c, next) => {
    if (!c.get("auth")) return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search)}`, 303);
    await next();
  });
  const target = (c: Context<AppEnv>) => {
    const q = z.object({ client_id: snowflakeParam, scope: text(200).default("bot") }).safeParse(c.req.query());
    const found = q.success && q.data.scope.split(/[ +]/).includes("bot") ? findApplication(core, q.data.client_id) : null;
    if (!found) throw new AppError(404, ErrorCode.unknownRoute, "Unknown application.", { key: "error.notFound" });
    return found;
  };
  app.get("/authorize", (c) => {
    const { app: application, bot } = target(c);
    const permissions = invitePermissions(c.req.query("permissions"));
    return c.html(<AuthorizePage ctx={pageCtx(c, core)} app={application} bot={bot} guilds={guildsForBots(core, currentAuth(c).user.id)} permissions={permissions} />);
  });
  app.post("/authorize", async (c) => {
    const { app: application, bot } = target(c);
    const form = await parseForm(c, authorizeForm);
    const userId = currentAuth(c).user.id;
    const permissions = fromNames(form.permissions);
    try {
      const guild = await authorizeBot(core, userId, application.id, form.guild_id, permissions);
      return c.html(<AuthorizePage ctx={pageCtx(c, core)} app={application} bot={bot} guilds={[]} permissions={permissions} done={guild} />);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      c.status(status);
      return c.html(<AuthorizePage ctx={pageCtx(c, core)} app={application} bot={bot} guilds={guildsForBots(core, userId)} permissions={permissions} errors={errors} />);
    }
  });
  return app;
}
