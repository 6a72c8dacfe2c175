// /api/v10/admin, operations half: overview, audit log, jobs (backup, export, import, verify),
// backups and their schedule, servers, a user's sessions, appearance, the metrics token.
// Mounted beside adminApi (same guard: an admin, and for a token the admin scope).
import { Hono, type Context } from "hono";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { currentAuth, requireAdmin, requireUser } from "../auth/middleware.ts";
import { listSessions, revokeSession } from "../auth/sessions.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam, text } from "../http/validate.ts";
import { AppError, ErrorCode, notFound } from "../lib/errors.ts";
import { listAdminActions, recordAdminAction } from "../admin/audit.ts";
import { deleteServerAsAdmin, listServers } from "../admin/servers.ts";
import { appearance, instanceLogo, MAX_ANNOUNCEMENT, MAX_CUSTOM_CSS, MAX_DESCRIPTION, setAppearance, setInstanceLogo } from "../instance/appearance.ts";
import { getJob, jobEvent, jobRunner, recentJobs } from "../jobs/runner.ts";
import { backupHours, backupKeep, backupPath, listBackups, setBackupSchedule } from "../backup/service.ts";
import { EXPORT_FORMATS, exportPath, importsDir, listExports } from "../transfer/jobs.ts";
import { findUser } from "../users/service.ts";
import { newMetricsToken } from "./metrics-route.ts";
import { samples, totals } from "./overview.ts";

export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
const id = (raw: string | undefined, what = "Unknown.") => {
  const parsed = snowflakeParam.safeParse(raw);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
};

/** Save an uploaded import (multipart field "file", or the raw body) and queue its job. */
export async function queueImport(core: Core, c: Context<AppEnv>): Promise<ReturnType<typeof jobEvent>> {
  let bytes: Uint8Array;
  let name = "import";
  const type = c.req.header("Content-Type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await c.req.formData();
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) throw new AppError(400, ErrorCode.invalidBody, "Choose an export file to import.", { fields: { file: "Required." } });
    bytes = new Uint8Array(await file.arrayBuffer());
    name = file.name;
  } else {
    bytes = new Uint8Array(await c.req.arrayBuffer());
    name = c.req.query("name") ?? name;
    if (bytes.length === 0) throw new AppError(400, ErrorCode.invalidBody, "The request body is empty: send the export file.");
  }
  mkdirSync(importsDir(core), { recursive: true });
  const upload = `${crypto.randomUUID()}.upload`;
  await Bun.write(join(importsDir(core), upload), bytes);
  const me = currentAuth(c).user.id;
  const job = await jobRunner(core).start("import", { upload, name: name.slice(0, 200), owner_id: me }, me);
  return jobEvent(job);
}

export function opsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser, requireAdmin);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;

  app.get("/overview", (c) => c.json({ totals: totals(core), samples: samples(core) }));
  app.get("/audit-log", (c) => {
    const adminId = c.req.query("admin_id");
    return c.json(listAdminActions(core, { action: c.req.query("action")?.slice(0, 64), adminId: adminId ? id(adminId) : undefined, before: c.req.query("before") ? id(c.req.query("before")) : undefined, limit: Number(c.req.query("limit") ?? 100) || 100 }));
  });

  app.get("/jobs", (c) => c.json(recentJobs(core).map(jobEvent)));
  app.get("/jobs/:id", (c) => {
    const job = getJob(core, id(c.req.param("id")));
    if (!job) throw notFound("Unknown job.");
    return c.json(jobEvent(job));
  });
  app.post("/jobs/:id/cancel", async (c) => {
    const job = await jobRunner(core).cancel(id(c.req.param("id")));
    if (!job) throw notFound("Unknown job.");
    await recordAdminAction(core, me(c), "job.cancel", job.id, { kind: job.kind });
    return c.json(jobEvent(job), 202);
  });

  app.get("/backups", (c) => c.json({ interval_hours: backupHours(core), keep: backupKeep(core), backups: listBackups(core) }));
  app.post("/backups", async (c) => c.json(jobEvent(await jobRunner(core).start("backup", {}, me(c))), 202));
  app.patch("/backups", async (c) => {
    const body = await parseJson(c, z.strictObject({ interval_hours: z.number().int().min(0).max(720).optional(), keep: z.number().int().min(1).max(365).optional() }));
    const before = { interval_hours: backupHours(core), keep: backupKeep(core) };
    await setBackupSchedule(core, { hours: body.interval_hours, keep: body.keep });
    const after = { interval_hours: backupHours(core), keep: backupKeep(core) };
    await recordAdminAction(core, me(c), "backup.schedule", "", { before, after });
    return c.json(after);
  });
  app.post("/backups/:name/verify", async (c) => {
    if (!backupPath(core, c.req.param("name"))) throw notFound("Unknown backup.");
    return c.json(jobEvent(await jobRunner(core).start("verify-backup", { file: c.req.param("name") }, me(c))), 202);
  });
  app.get("/backups/:name", (c) => {
    const path = backupPath(core, c.req.param("name"));
    if (!path) throw notFound("Unknown backup.");
    c.header("Content-Disposition", `attachment; filename="${c.req.param("name")}"`);
    return new Response(Bun.file(path), { headers: { "Content-Type": "application/gzip", "Content-Disposition": `attachment; filename="${c.req.param("name")}"`, "X-Content-Type-Options": "nosniff" } });
  });

  app.post("/exports", async (c) => {
    const body = await parseJson(c, z.strictObject({ guild_id: snowflakeParam, channel_id: snowflakeParam.optional(), format: z.enum(EXPORT_FORMATS) }));
    if (!core.db.reader.query("SELECT 1 FROM guilds WHERE id = ?").get(BigInt(body.guild_id))) throw notFound("Unknown server.");
    if (body.channel_id && !core.db.reader.query("SELECT 1 FROM channels WHERE id = ? AND guild_id = ?").get(BigInt(body.channel_id), BigInt(body.guild_id))) throw notFound("Unknown channel.");
    return c.json(jobEvent(await jobRunner(core).start("export", body, me(c))), 202);
  });
  app.get("/exports", (c) => c.json(listExports(core)));
  app.get("/exports/:name", (c) => {
    const path = exportPath(core, c.req.param("name"));
    if (!path) throw notFound("Unknown export.");
    const type = path.endsWith(".csv") ? "text/csv; charset=utf-8" : "application/zip";
    return new Response(Bun.file(path), { headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${c.req.param("name")}"`, "X-Content-Type-Options": "nosniff" } });
  });
  app.post("/imports", async (c) => c.json(await queueImport(core, c), 202));

  app.get("/guilds", (c) => c.json(listServers(core, c.req.query("q") ?? "")));
  app.delete("/guilds/:id", async (c) => {
    if (!(await deleteServerAsAdmin(core, me(c), id(c.req.param("id"), "Unknown server.")))) throw notFound("Unknown server.");
    return c.body(null, 204);
  });

  app.get("/users/:id/sessions", (c) => {
    const userId = id(c.req.param("id"), "Unknown user.");
    if (!findUser(core, userId)) throw notFound("Unknown user.");
    return c.json(listSessions(core, userId).map((s) => ({ id: s.id, kind: s.kind, device: s.device, ip: s.ip, created_at: s.createdAt, last_seen_at: s.lastSeenAt })));
  });
  app.delete("/users/:id/sessions/:sid", async (c) => {
    const userId = id(c.req.param("id"), "Unknown user.");
    const sessionId = id(c.req.param("sid"), "Unknown session.");
    if (!(await revokeSession(core, userId, sessionId))) throw notFound("Unknown session.");
    await recordAdminAction(core, me(c), "user.session.revoke", userId, { session_id: sessionId });
    return c.body(null, 204);
  });

  app.get("/appearance", (c) => c.json({ ...appearance(core), logo: instanceLogo(core.db.readOrm) ? `/icons/${instanceLogo(core.db.readOrm)}.webp` : null }));
  // The logo: the image as the raw body (PUT) or removed (DELETE).
  app.put("/appearance/logo", async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new AppError(400, ErrorCode.invalidBody, "Send the image as the request body.");
    const change = await setInstanceLogo(core, bytes);
    await recordAdminAction(core, me(c), "instance.logo", "", change);
    return c.json({ logo: `/icons/${change.after}.webp` });
  });
  app.delete("/appearance/logo", async (c) => {
    const change = await setInstanceLogo(core, null);
    await recordAdminAction(core, me(c), "instance.logo", "", change);
    return c.body(null, 204);
  });
  app.patch("/appearance", async (c) => {
    const body = await parseJson(c, z.strictObject({ announcement: text(MAX_ANNOUNCEMENT).optional(), description: text(MAX_DESCRIPTION).optional(), custom_css: z.string().max(MAX_CUSTOM_CSS, `At most ${MAX_CUSTOM_CSS} characters.`).optional() }));
    const change = await setAppearance(core, body);
    if (Object.keys(change.after).length) await recordAdminAction(core, me(c), "instance.appearance", "", change);
    return c.json(appearance(core));
  });

  app.post("/metrics-token", async (c) => {
    const token = await newMetricsToken(core);
    await recordAdminAction(core, me(c), "metrics.token", "", {});
    return c.json({ token }, 201);
  });
  return app;
}
