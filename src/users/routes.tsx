// The user settings pages: profile, appearance, security (password, 2FA), sessions, tokens,
// account (username, export, delete). Each action posts a form and comes back to its page.
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { AccountSettings, TokensSettings } from "../../views/settings/account.tsx";
import { AppearanceSettings, ProfileSettings } from "../../views/settings/profile.tsx";
import { SecuritySettings, SessionsSettings, type SecurityState } from "../../views/settings/security.tsx";
import { createAccessToken, listAccessTokens, revokeAccessToken } from "../auth/access-tokens.ts";
import { clearSessionCookie, currentAuth } from "../auth/middleware.ts";
import { confirmEnrolment, disableMfa, enrolmentFor, recoveryCodesLeft, startEnrolment } from "../auth/mfa.ts";
import { changePassword } from "../auth/service.ts";
import { listSessions, revokeAllSessions, revokeSession } from "../auth/sessions.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { checkboxes, parseForm, password, snowflakeParam, text } from "../http/validate.ts";
import { instanceName } from "../instance/service.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { setAvatar, removeAvatar, AVATAR_MAX_BYTES } from "./avatar.ts";
import { deleteAccount, exportUserData } from "./lifecycle.ts";
import { changeUsername, updatePreferences, updateProfile } from "./profile.ts";
import { findUser } from "./service.ts";
import type { User } from "../auth/table.ts";
import { announcePresence } from "../presence/service.ts";

/** Settings pages need a signed-in user; anyone else is sent to log in and brought back. */
export const requirePageUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("auth")) return c.redirect(`/login?next=${encodeURIComponent(c.req.method === "GET" ? c.req.path : "/settings/profile")}`, 303);
  await next();
};

const profileForm = z.object({
  display_name: text(64).default(""),
  pronouns: text(200).default(""),
  about: text(1000).default(""),
  status: z.enum(["online", "idle", "dnd", "invisible"]).optional(),
  custom_status: text(500).default(""),
});
const appearanceForm = z.object({
  theme: z.enum(["dark", "light", "system"]).optional(),
  locale: text(8).optional(),
  time_format: z.enum(["12h", "24h"]).optional(),
  accent: text(7).optional(),
  // The colour input always sends a colour; this box says "keep the theme's accent".
  accent_default: z.literal("1").optional(),
  density: z.enum(["cozy", "compact"]).optional(),
  font_size: z.coerce.number().int().optional(),
});

export function settingsRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  const saved = (c: Context<AppEnv>) => (c.req.query("saved") ? c.get("t")("common.saved") : undefined);
  const ctx = (c: Context<AppEnv>) => pageCtx(c, core);
  // A page re-rendered after a change must show the user as they are now.
  const fresh = (c: Context<AppEnv>, user: User) => {
    c.set("auth", { ...currentAuth(c), user });
  };

  app.get("/", (c) => c.redirect("/settings/profile", 302));
  app.get("/profile", (c) => c.html(<ProfileSettings ctx={ctx(c)} notice={saved(c)} />));
  app.post("/profile", async (c) => {
    const form = await parseForm(c, profileForm);
    try {
      await updateProfile(core, currentAuth(c).user, { displayName: form.display_name, pronouns: form.pronouns, about: form.about, status: form.status, customStatus: form.custom_status });
      // Whoever sees this person (member lists, DMs, their other tabs) learns the new status now.
      announcePresence(core, currentAuth(c).user.id);
      return c.redirect("/settings/profile?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<ProfileSettings ctx={ctx(c)} errors={errors} />, status);
    }
  });

  app.post("/avatar", async (c) => {
    const body = await c.req.parseBody();
    const file = body.avatar;
    try {
      if (!(file instanceof File)) throw new AppError(400, ErrorCode.invalidBody, "No file.", { key: "profile.avatarInvalid", fields: { avatar: "No file." }, fieldKeys: { avatar: "profile.avatarInvalid" } });
      if (file.size > AVATAR_MAX_BYTES) throw new AppError(413, ErrorCode.tooLarge, "Too large.", { fields: { avatar: "Too large." }, fieldKeys: { avatar: "profile.avatarTooLarge" } });
      await setAvatar(core, currentAuth(c).user, new Uint8Array(await file.arrayBuffer()));
      return c.redirect("/settings/profile?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      const fields = errors.fields && Object.keys(errors.fields).length ? errors.fields : { avatar: errors.general ?? "" };
      return c.html(<ProfileSettings ctx={ctx(c)} errors={{ fields }} />, status);
    }
  });
  app.post("/avatar/remove", async (c) => {
    await removeAvatar(core, currentAuth(c).user);
    return c.redirect("/settings/profile?saved=1", 303);
  });

  app.get("/appearance", (c) => c.html(<AppearanceSettings ctx={ctx(c)} notice={saved(c)} />));
  app.post("/appearance", async (c) => {
    const form = await parseForm(c, appearanceForm);
    await updatePreferences(core, currentAuth(c).user, {
      theme: form.theme,
      locale: form.locale,
      timeFormat: form.time_format,
      accent: form.accent_default ? "" : form.accent,
      density: form.density,
      fontSize: form.font_size,
    });
    return c.redirect("/settings/appearance?saved=1", 303);
  });

  const securityState = (userId: string, extra: Partial<SecurityState> = {}): SecurityState => ({ recoveryLeft: recoveryCodesLeft(core, userId), ...extra });
  app.get("/security", async (c) => {
    const user = currentAuth(c).user;
    // An enrolment that was started and not confirmed is shown again rather than restarted.
    const enrolment = !user.totpSecret && user.totpPendingSecret ? await enrolmentFor(user.totpPendingSecret, user, instanceName(core.db.readOrm)) : undefined;
    const notice = c.req.query("changed") ? c.get("t")("security.passwordChanged") : saved(c);
    return c.html(<SecuritySettings ctx={ctx(c)} state={securityState(user.id, { enrolment })} notice={notice} />);
  });
  app.post("/password", async (c) => {
    const auth = currentAuth(c);
    const form = await parseForm(c, z.object({ current_password: password, new_password: password }));
    try {
      await changePassword(core, auth.user, form.current_password, form.new_password, auth.sessionId);
      return c.redirect("/settings/security?changed=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      if (errors.general && err instanceof AppError && err.key === "password.wrong") errors.fields = { current_password: errors.general };
      return c.html(<SecuritySettings ctx={ctx(c)} state={securityState(auth.user.id)} errors={errors.fields && Object.keys(errors.fields).length ? { fields: errors.fields } : errors} />, status);
    }
  });
  app.post("/2fa/start", async (c) => {
    const user = currentAuth(c).user;
    if (!user.totpSecret) await startEnrolment(core, user, instanceName(core.db.readOrm));
    return c.redirect("/settings/security", 303);
  });
  app.post("/2fa/confirm", async (c) => {
    const user = currentAuth(c).user;
    const form = await parseForm(c, z.object({ code: text(32) }));
    try {
      const codes = await confirmEnrolment(core, user, form.code);
      fresh(c, findUser(core, user.id)!);
      return c.html(<SecuritySettings ctx={ctx(c)} state={securityState(user.id, { recoveryCodes: codes })} notice={c.get("t")("security.mfaOn")} />);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      const enrolment = user.totpPendingSecret ? await enrolmentFor(user.totpPendingSecret, user, instanceName(core.db.readOrm)) : undefined;
      return c.html(<SecuritySettings ctx={ctx(c)} state={securityState(user.id, { enrolment })} mfaError={errors.general} />, status);
    }
  });
  app.post("/2fa/disable", async (c) => {
    const user = currentAuth(c).user;
    const form = await parseForm(c, z.object({ password }));
    try {
      await disableMfa(core, user, form.password);
      return c.redirect("/settings/security?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<SecuritySettings ctx={ctx(c)} state={securityState(user.id)} mfaError={errors.general} />, status);
    }
  });

  app.get("/sessions", (c) => {
    const auth = currentAuth(c);
    return c.html(<SessionsSettings ctx={ctx(c)} sessions={listSessions(core, auth.user.id)} currentId={auth.sessionId} notice={saved(c)} />);
  });
  app.post("/sessions/revoke-others", async (c) => {
    const auth = currentAuth(c);
    await revokeAllSessions(core, auth.user.id, auth.sessionId);
    return c.redirect("/settings/sessions?saved=1", 303);
  });
  app.post("/sessions/:id/revoke", async (c) => {
    const auth = currentAuth(c);
    const id = snowflakeParam.safeParse(c.req.param("id"));
    if (!id.success || !(await revokeSession(core, auth.user.id, id.data))) throw new AppError(404, ErrorCode.unknownSession, "Unknown session.", { key: "error.notFound" });
    if (id.data === auth.sessionId) {
      clearSessionCookie(c, core);
      return c.redirect("/login", 303);
    }
    return c.redirect("/settings/sessions?saved=1", 303);
  });

  app.get("/tokens", (c) => c.html(<TokensSettings ctx={ctx(c)} tokens={listAccessTokens(core, currentAuth(c).user.id)} notice={saved(c)} />));
  app.post("/tokens", async (c) => {
    const user = currentAuth(c).user;
    const form = await parseForm(c, z.object({ name: text(64), scopes: checkboxes(["read", "write", "admin"]) }));
    try {
      const { token } = await createAccessToken(core, user, { name: form.name, scopes: form.scopes });
      return c.html(<TokensSettings ctx={ctx(c)} tokens={listAccessTokens(core, user.id)} created={token} />, 201);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<TokensSettings ctx={ctx(c)} tokens={listAccessTokens(core, user.id)} errors={errors} />, status);
    }
  });
  app.post("/tokens/:id/revoke", async (c) => {
    const id = snowflakeParam.safeParse(c.req.param("id"));
    if (!id.success || !(await revokeAccessToken(core, currentAuth(c).user.id, id.data))) throw new AppError(404, ErrorCode.unknownRoute, "Unknown token.", { key: "error.notFound" });
    return c.redirect("/settings/tokens?saved=1", 303);
  });

  app.get("/account", (c) => c.html(<AccountSettings ctx={ctx(c)} notice={saved(c)} />));
  app.post("/username", async (c) => {
    const form = await parseForm(c, z.object({ username: text(64) }));
    try {
      await changeUsername(core, currentAuth(c).user, form.username);
      return c.redirect("/settings/account?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<AccountSettings ctx={ctx(c)} errors={errors} />, status);
    }
  });
  app.get("/export", (c) => {
    const user = currentAuth(c).user;
    c.header("Content-Disposition", `attachment; filename="pokynano-${user.username}-export.json"`);
    c.header("Cache-Control", "no-store");
    return c.json(exportUserData(core, user));
  });
  app.post("/delete", async (c) => {
    const form = await parseForm(c, z.object({ password, messages: z.enum(["keep", "remove"]).default("keep") }));
    try {
      await deleteAccount(core, currentAuth(c).user, { password: form.password, removeMessages: form.messages === "remove" });
      clearSessionCookie(c, core);
      return c.redirect("/login", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<AccountSettings ctx={ctx(c)} errors={{ fields: { password: errors.general ?? "" } }} />, status);
    }
  });

  return app;
}
