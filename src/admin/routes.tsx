// /admin: the instance admin's pages (users, instance settings, invites).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { AdminSettingsPage, AdminUsersPage } from "../../views/admin/pages.tsx";
import { currentAuth, requireAdmin } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, password, snowflakeParam, text } from "../http/validate.ts";
import { createInstanceInvite, deleteInstanceInvite, listInstanceInvites } from "../instance/invites.ts";
import { REGISTRATION_MODES, registrationMode } from "../instance/service.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { createUser, displayNameOf, findUser } from "../users/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { SERVER_CREATION, serverCreation } from "../guilds/service.ts";
import { deactivateUser, deleteUser, resetUserPassword, searchUsers, setAdmin, updateInstance } from "./service.ts";
import { recordAdminAction } from "./audit.ts";
import { auditRetentionDays } from "../moderation/audit.ts";
import { ipBanPages } from "../moderation/ip-ban-routes.tsx";
import { fieldError } from "../lib/field-error.ts";

/** The form sends text: a whole number of days, 1 to 3650 (ten years), refused next to its field. */
function retentionDays(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const days = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || days < 1 || days > 3650) throw fieldError({ audit_log_retention_days: "moderation.auditRetentionInvalid" });
  return days;
}

export function adminRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser, requireAdmin);
  app.route("/", ipBanPages(core));

  const id = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw new AppError(404, ErrorCode.unknownUser, "Unknown user.");
    return parsed.data;
  };
  const usersPage = (c: Context<AppEnv>, extra: Partial<Parameters<typeof AdminUsersPage>[0]> = {}, status: AppError["status"] | 200 = 200) => {
    const query = c.req.query("q") ?? "";
    const found = searchUsers(core, query);
    return c.html(<AdminUsersPage ctx={pageCtx(c, core)} users={found.users} total={found.total} query={query} {...extra} />, status);
  };
  const attempt = async (c: Context<AppEnv>, action: () => Promise<unknown>) => {
    try {
      await action();
      return c.redirect(`/admin/users?saved=1`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return usersPage(c, { errors }, status);
    }
  };

  app.get("/", (c) => c.redirect("/admin/overview", 302));
  app.get("/users", (c) => usersPage(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/users", async (c) => {
    const form = await parseForm(c, z.object({ username: text(64), display_name: text(64).optional(), password, admin: z.literal("1").optional() }));
    try {
      const user = await createUser(core, { username: form.username, password: form.password, displayName: form.display_name, isAdmin: form.admin === "1" });
      await recordAdminAction(core, currentAuth(c).user.id, "user.create", user.id, { username: user.username, admin: user.isAdmin });
      return c.redirect("/admin/users?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return usersPage(c, { errors, values: { username: form.username, display_name: form.display_name ?? "" } }, status);
    }
  });
  app.post("/users/:id/admin", async (c) => {
    const form = await parseForm(c, z.object({ admin: z.enum(["0", "1"]) }));
    return attempt(c, () => setAdmin(core, currentAuth(c).user.id, id(c), form.admin === "1"));
  });
  app.post("/users/:id/active", async (c) => {
    const form = await parseForm(c, z.object({ active: z.enum(["0", "1"]) }));
    return attempt(c, () => deactivateUser(core, currentAuth(c).user.id, id(c), form.active === "0"));
  });
  app.post("/users/:id/reset", async (c) => {
    const userId = id(c);
    try {
      const link = await resetUserPassword(core, currentAuth(c).user.id, userId);
      const name = displayNameOf(findUser(core, userId)!);
      const notice = (
        <>
          {c.get("t")("admin.resetLinkShown", { name })} <code class="reset-link">{link}</code>
        </>
      );
      return usersPage(c, { notice });
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return usersPage(c, { errors }, status);
    }
  });
  app.post("/users/:id/delete", async (c) => attempt(c, () => deleteUser(core, currentAuth(c).user.id, id(c), false)));

  const settingsPage = (c: Context<AppEnv>, extra: Partial<Parameters<typeof AdminSettingsPage>[0]> = {}, status: AppError["status"] | 200 = 200) =>
    c.html(
      <AdminSettingsPage ctx={pageCtx(c, core)} mode={registrationMode(core.db.readOrm)} serverCreation={serverCreation(core)} auditRetentionDays={auditRetentionDays(core)} invites={listInstanceInvites(core)} publicUrl={core.config.publicUrl} {...extra} />,
      status,
    );
  app.get("/settings", (c) => settingsPage(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/settings", async (c) => {
    const form = await parseForm(c, z.object({ instance_name: text(200), registration: z.enum(REGISTRATION_MODES), server_creation: z.enum(SERVER_CREATION).optional(), audit_log_retention_days: z.string().max(12).optional() }));
    try {
      await updateInstance(core, currentAuth(c).user.id, { name: form.instance_name, registration: form.registration, serverCreation: form.server_creation, auditRetentionDays: retentionDays(form.audit_log_retention_days) });
      return c.redirect("/admin/settings?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return settingsPage(c, { errors }, status);
    }
  });
  app.post("/invites", async (c) => {
    const form = await parseForm(c, z.object({ max_uses: z.coerce.number().int().min(0).max(100_000).default(0), max_age_days: z.coerce.number().int().min(0).max(3650).default(0) }));
    const invite = await createInstanceInvite(core, currentAuth(c).user.id, { maxUses: form.max_uses || null, maxAgeSeconds: form.max_age_days ? form.max_age_days * 86400 : null });
    await recordAdminAction(core, currentAuth(c).user.id, "invite.create", invite.code, { max_uses: invite.maxUses, expires_at: invite.expiresAt });
    return c.redirect("/admin/settings?saved=1", 303);
  });
  app.post("/invites/:code/delete", async (c) => {
    await deleteInstanceInvite(core, c.req.param("code"));
    await recordAdminAction(core, currentAuth(c).user.id, "invite.delete", c.req.param("code").slice(0, 64), {});
    return c.redirect("/admin/settings?saved=1", 303);
  });
  return app;
}
