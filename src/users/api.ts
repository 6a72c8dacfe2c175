// /api/v10/users/@me and its sub-resources: the signed-in user's profile, settings, sessions,
// personal access tokens, data export and account deletion.
import { Hono } from "hono";
import { z } from "zod";
import { createAccessToken, listAccessTokens, publicAccessToken, revokeAccessToken, SCOPES } from "../auth/access-tokens.ts";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import { changePassword } from "../auth/service.ts";
import { listSessions, revokeAllSessions, revokeSession } from "../auth/sessions.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, password, snowflakeParam, text } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { deleteAccount, exportUserData } from "./lifecycle.ts";
import { changeUsername, updatePreferences, updateProfile } from "./profile.ts";
import { selfUser } from "./service.ts";
import { announcePresence } from "../presence/service.ts";

const patchMe = z.strictObject({
  username: text(64).optional(),
  global_name: text(64).nullish(),
  bio: text(1000).optional(),
  pronouns: text(200).optional(),
  status: z.enum(["online", "idle", "dnd", "invisible"]).optional(),
  custom_status: text(500).optional(),
  theme: z.enum(["dark", "light", "system"]).optional(),
  locale: text(8).optional(),
  time_format: z.enum(["12h", "24h"]).optional(),
  accent_color: text(7).optional(),
  message_density: z.enum(["cozy", "compact"]).optional(),
  font_size: z.number().int().optional(),
});

const unknown = (what: string) => new AppError(404, ErrorCode.unknownRoute, `Unknown ${what}.`);

export function usersApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/@me", requireUser);
  app.use("/@me/*", requireUser);

  app.get("/@me", (c) => c.json(selfUser(currentAuth(c).user)));

  app.patch("/@me", async (c) => {
    const body = await parseJson(c, patchMe);
    let user = currentAuth(c).user;
    if (body.username !== undefined && body.username !== user.username) user = await changeUsername(core, user, body.username);
    user = await updateProfile(core, user, { displayName: body.global_name, about: body.bio, pronouns: body.pronouns, status: body.status, customStatus: body.custom_status });
    if (body.status !== undefined || body.custom_status !== undefined) announcePresence(core, user.id);
    user = await updatePreferences(core, user, { theme: body.theme, locale: body.locale, timeFormat: body.time_format, accent: body.accent_color, density: body.message_density, fontSize: body.font_size });
    return c.json(selfUser(user));
  });

  app.post("/@me/password", async (c) => {
    const auth = currentAuth(c);
    const body = await parseJson(c, z.strictObject({ password, new_password: password }));
    await changePassword(core, auth.user, body.password, body.new_password, auth.sessionId);
    return c.body(null, 204);
  });

  app.get("/@me/sessions", (c) => {
    const auth = currentAuth(c);
    return c.json(
      listSessions(core, auth.user.id).map((s) => ({ id: s.id, device: s.device, ip: s.ip, kind: s.kind, created_at: s.createdAt, last_seen_at: s.lastSeenAt, current: s.id === auth.sessionId })),
    );
  });
  app.delete("/@me/sessions", async (c) => {
    const auth = currentAuth(c);
    return c.json({ revoked: await revokeAllSessions(core, auth.user.id, auth.sessionId) });
  });
  app.delete("/@me/sessions/:id", async (c) => {
    const id = snowflakeParam.safeParse(c.req.param("id"));
    if (!id.success || !(await revokeSession(core, currentAuth(c).user.id, id.data))) throw unknown("session");
    return c.body(null, 204);
  });

  app.get("/@me/tokens", (c) => c.json(listAccessTokens(core, currentAuth(c).user.id).map(publicAccessToken)));
  app.post("/@me/tokens", async (c) => {
    const body = await parseJson(c, z.strictObject({ name: text(64), scopes: z.array(z.enum(SCOPES)).min(1).max(3) }));
    const { token, row } = await createAccessToken(core, currentAuth(c).user, body);
    return c.json({ ...publicAccessToken(row), token }, 201);
  });
  app.delete("/@me/tokens/:id", async (c) => {
    const id = snowflakeParam.safeParse(c.req.param("id"));
    if (!id.success || !(await revokeAccessToken(core, currentAuth(c).user.id, id.data))) throw unknown("token");
    return c.body(null, 204);
  });

  app.get("/@me/export", (c) => c.json(exportUserData(core, currentAuth(c).user)));

  app.delete("/@me", async (c) => {
    const body = await parseJson(c, z.strictObject({ password, delete_messages: z.boolean().default(false) }));
    await deleteAccount(core, currentAuth(c).user, { password: body.password, removeMessages: body.delete_messages });
    return c.body(null, 204);
  });

  return app;
}
