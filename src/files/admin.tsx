// The instance admin's file limits, on the admin settings page (loaded there as a fragment, so the
// page needs only one line for it) and in PATCH /api/v10/admin/instance.
import { Hono } from "hono";
import { z } from "zod";
import { currentAuth, requireAdmin } from "../auth/middleware.ts";
import { recordAdminAction } from "../admin/audit.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { parseForm } from "../http/validate.ts";
import { requirePageUser } from "../users/routes.tsx";
import { FileLimitsForm } from "../../views/files/admin.tsx";
import { MAX_FILE_MB_CEILING, MAX_QUOTA_MB, maxFileMb, quotaMb, setFileLimits } from "./limits.ts";

export const fileLimitFields = {
  max_file_size_mb: z.coerce.number().int().min(1).max(MAX_FILE_MB_CEILING),
  storage_quota_mb: z.coerce.number().int().min(0).max(MAX_QUOTA_MB),
};

export function fileAdminRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/files", requirePageUser, requireAdmin);
  app.get("/files", (c) => c.html(<FileLimitsForm ctx={pageCtx(c, core)} maxFileMb={maxFileMb(core)} quotaMb={quotaMb(core)} />));
  app.post("/files", async (c) => {
    const form = await parseForm(c, z.object(fileLimitFields));
    const before = { max_file_size_mb: maxFileMb(core), storage_quota_mb: quotaMb(core) };
    await setFileLimits(core, { maxFileMb: form.max_file_size_mb, quotaMb: form.storage_quota_mb });
    const after = { max_file_size_mb: maxFileMb(core), storage_quota_mb: quotaMb(core) };
    // The instance audit log (src/admin/audit.ts) records every admin change.
    if (JSON.stringify(before) !== JSON.stringify(after)) await recordAdminAction(core, currentAuth(c).user.id, "instance.limits", "", { before, after });
    return c.redirect("/admin/settings?saved=1", 303);
  });
  return app;
}
