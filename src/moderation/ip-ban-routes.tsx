// Admin → IP bans (views/admin/ip-bans.tsx), mounted under /admin by the admin routes (which
// require an admin session). The same services as /api/v10/admin/ip-bans; both write the
// instance audit log.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { IpBansPage } from "../../views/admin/ip-bans.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { notFound, type AppError } from "../lib/errors.ts";
import type { FormErrors } from "../../views/shared/page-ctx.ts";
import { findUser } from "../users/service.ts";
import { banIp, listIpBans, unbanIp } from "./ip-bans.ts";
import { PURGE_CHOICES } from "./members.ts";

export function ipBanPages(core: Core) {
  const app = new Hono<AppEnv>();
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const page = (c: Context<AppEnv>, extra: { notice?: string; errors?: FormErrors } = {}, status: AppError["status"] | 200 = 200) =>
    c.html(<IpBansPage ctx={pageCtx(c, core)} bans={listIpBans(core).map((b) => ({ ...b, by: (b.createdBy ? findUser(core, b.createdBy)?.username : undefined) ?? "—" }))} {...extra} />, status);

  app.get("/ip-bans", (c) => page(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/ip-bans", async (c) => {
    try {
      const form = await parseForm(c, z.object({ ip: z.string().max(64), reason: z.string().max(512).default(""), delete_message_seconds: z.coerce.number().int().refine((s) => (PURGE_CHOICES as readonly number[]).includes(s)).default(0) }));
      await banIp(core, me(c), form.ip, form.reason, form.delete_message_seconds);
      return c.redirect("/admin/ip-bans?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return page(c, { errors }, status);
    }
  });
  app.post("/ip-bans/:id/delete", async (c) => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw notFound("Unknown IP ban.");
    await unbanIp(core, me(c), parsed.data);
    return c.redirect("/admin/ip-bans?saved=1", 303);
  });
  return app;
}
