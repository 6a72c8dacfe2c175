// POST /api/v10/auth/register | login | logout: the same service as the browser pages, answering
// JSON and handing out bearer tokens instead of cookies.
import { Hono } from "hono";
import { z } from "zod";
import type { Core } from "../core.ts";
import { clientInfo } from "../http/client-info.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, password, text } from "../http/validate.ts";
import { selfUser } from "../users/service.ts";
import { revokeAccessToken } from "./access-tokens.ts";
import { currentAuth, requireUser } from "./middleware.ts";
import { login, register } from "./service.ts";
import { revokeSession } from "./sessions.ts";

const registerBody = z.strictObject({
  username: text(64),
  password,
  global_name: text(64).nullish(),
  invite: text(64).nullish(),
});
const loginBody = z.strictObject({ login: text(64), password, code: text(32).nullish() });

export function authApi(core: Core) {
  const app = new Hono<AppEnv>();
  const client = (c: Parameters<typeof clientInfo>[0]) => clientInfo(c, core.config.trustProxy);

  app.post("/register", async (c) => {
    const body = await parseJson(c, registerBody);
    const { user, token } = await register(core, { username: body.username, password: body.password, displayName: body.global_name, invite: body.invite, locale: c.get("locale") }, client(c), "api");
    return c.json({ token, user: selfUser(user) }, 201);
  });

  app.post("/login", async (c) => {
    const body = await parseJson(c, loginBody);
    const { user, token } = await login(core, body, client(c), "api");
    return c.json({ token, user: selfUser(user) });
  });

  app.post("/logout", requireUser, async (c) => {
    const auth = currentAuth(c);
    if (auth.sessionId) await revokeSession(core, auth.user.id, auth.sessionId);
    if (auth.tokenId) await revokeAccessToken(core, auth.user.id, auth.tokenId);
    return c.body(null, 204);
  });

  return app;
}
