// Browser pages for visitors: first-run setup, log in (+ 2FA step), register, log out, password
// reset, language choice. Plain HTML forms posting back, re-rendered with messages on error.
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { z } from "zod";
import { LoginPage, MfaPage, RegisterPage, ResetPage, SetupPage } from "../../views/auth/pages.tsx";
import type { Core } from "../core.ts";
import { clientInfo } from "../http/client-info.ts";
import type { AppEnv } from "../http/env.ts";
import { LANG_COOKIE } from "../http/locale.ts";
import { formErrors, pageCtx, safeNext } from "../http/page.ts";
import { parseForm, password, text } from "../http/validate.ts";
import { isLocale } from "../i18n/index.ts";
import { REGISTRATION_MODES, registrationMode } from "../instance/service.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { clearSessionCookie, setSessionCookie } from "./middleware.ts";
import { checkPassword, completePasswordReset, issueMfaTicket, needsSetup, redeemMfaTicket, register, resetTarget, setupInstance } from "./service.ts";
import { createSession, revokeSession } from "./sessions.ts";
import { parseToken } from "./tokens.ts";

const setupForm = z.object({
  instance_name: text(64),
  username: text(64),
  password,
  registration: z.enum(REGISTRATION_MODES).default("invite"),
});
const loginForm = z.object({ login: text(64), password, next: text(512).optional() });
const mfaForm = z.object({ ticket: text(64), code: text(32), next: text(512).optional() });
const registerForm = z.object({ username: text(64), password, display_name: text(64).optional(), invite: text(64).optional() });
const resetForm = z.object({ new_password: password });

export function authRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  const client = (c: Parameters<typeof clientInfo>[0]) => clientInfo(c, core.config.trustProxy);

  app.get("/setup", (c) => {
    if (!needsSetup(core)) throw notFound();
    return c.html(<SetupPage ctx={pageCtx(c, core)} />);
  });

  app.post("/setup", async (c) => {
    if (!needsSetup(core)) throw notFound();
    const form = await parseForm(c, setupForm);
    try {
      const { token } = await setupInstance(core, { instanceName: form.instance_name, username: form.username, password: form.password, registration: form.registration, locale: c.get("locale") }, client(c));
      setSessionCookie(c, core, token);
      return c.redirect("/", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<SetupPage ctx={pageCtx(c, core)} errors={errors} values={{ ...form, password: "" }} />, status);
    }
  });

  app.get("/login", (c) => {
    if (needsSetup(core)) return c.redirect("/setup", 303);
    if (c.get("auth")) return c.redirect("/", 303);
    return c.html(<LoginPage ctx={pageCtx(c, core)} next={safeNext(c.req.query("next"))} canRegister={registrationMode(core.db.readOrm) !== "closed"} />);
  });

  app.post("/login", async (c) => {
    const form = await parseForm(c, loginForm);
    const next = safeNext(form.next);
    try {
      const user = await checkPassword(core, form, client(c));
      if (user.totpSecret) return c.html(<MfaPage ctx={pageCtx(c, core)} ticket={issueMfaTicket(user.id)} next={next} />);
      const { token } = await createSession(core, user.id, "browser", client(c));
      setSessionCookie(c, core, token);
      return c.redirect(next, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<LoginPage ctx={pageCtx(c, core)} errors={errors} login={form.login} next={next} canRegister={registrationMode(core.db.readOrm) !== "closed"} />, status);
    }
  });

  app.post("/login/2fa", async (c) => {
    const form = await parseForm(c, mfaForm);
    const next = safeNext(form.next);
    try {
      const { token } = await redeemMfaTicket(core, form.ticket, form.code, client(c));
      setSessionCookie(c, core, token);
      return c.redirect(next, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      if (err instanceof AppError && err.key === "login.mfaExpired") {
        return c.html(<LoginPage ctx={pageCtx(c, core)} errors={errors} next={next} canRegister={registrationMode(core.db.readOrm) !== "closed"} />, status);
      }
      return c.html(<MfaPage ctx={pageCtx(c, core)} ticket={form.ticket} next={next} error={errors.general} />, status);
    }
  });

  app.get("/register", (c) => {
    if (needsSetup(core)) return c.redirect("/setup", 303);
    const invite = c.req.query("invite");
    return c.html(<RegisterPage ctx={pageCtx(c, core)} mode={registrationMode(core.db.readOrm)} values={invite ? { invite: invite.slice(0, 64) } : undefined} />);
  });

  app.post("/register", async (c) => {
    const form = await parseForm(c, registerForm);
    try {
      const { token } = await register(core, { username: form.username, password: form.password, displayName: form.display_name, invite: form.invite, locale: c.get("locale") }, client(c), "browser");
      setSessionCookie(c, core, token);
      return c.redirect("/", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<RegisterPage ctx={pageCtx(c, core)} mode={registrationMode(core.db.readOrm)} errors={errors} values={{ ...form, password: "" }} />, status);
    }
  });

  app.post("/logout", async (c) => {
    const auth = c.get("auth");
    if (auth?.sessionId) await revokeSession(core, auth.user.id, auth.sessionId);
    clearSessionCookie(c, core);
    return c.redirect("/login", 303);
  });

  app.get("/reset/:token", (c) => {
    const token = c.req.param("token");
    const user = resetTarget(core, parseToken(token));
    return c.html(<ResetPage ctx={pageCtx(c, core)} token={user ? token : ""} valid={Boolean(user)} username={user?.username} />, user ? 200 : 404);
  });

  app.post("/reset/:token", async (c) => {
    const raw = c.req.param("token");
    const token = parseToken(raw);
    const form = await parseForm(c, resetForm);
    if (!token) return c.html(<ResetPage ctx={pageCtx(c, core)} token="" valid={false} />, 404);
    try {
      await completePasswordReset(core, token, form.new_password, client(c));
      return c.redirect("/login", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      const user = resetTarget(core, token);
      return c.html(<ResetPage ctx={pageCtx(c, core)} token={user ? raw : ""} valid={Boolean(user)} username={user?.username} errors={errors} />, status);
    }
  });

  // Anonymous visitors choose a language with a cookie; signed-in users in their settings.
  app.post("/language", async (c) => {
    const form = await parseForm(c, z.object({ locale: text(8) }));
    if (isLocale(form.locale)) setCookie(c, LANG_COOKIE, form.locale, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600 });
    const back = c.req.header("Referer");
    const path = back && URL.canParse(back) ? new URL(back).pathname : "/login";
    return c.redirect(safeNext(path), 303);
  });

  return app;
}
