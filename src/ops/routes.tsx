// /admin console pages of operations: overview (+ its JSON for the charts), servers, appearance,
// backups/exports/imports/jobs (+ the live job feed), audit log, a user's sessions.
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { currentAuth, requireAdmin } from "../auth/middleware.ts";
import { listSessions, revokeSession } from "../auth/sessions.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam, text } from "../http/validate.ts";
import { AppError, notFound } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { ErrorCode } from "../lib/errors.ts";
import { listAdminActions, recordAdminAction } from "../admin/audit.ts";
import { deleteServerAsAdmin, listServers } from "../admin/servers.ts";
import { appearance, instanceLogo, MAX_ANNOUNCEMENT, MAX_CUSTOM_CSS, MAX_DESCRIPTION, setAppearance, setInstanceLogo } from "../instance/appearance.ts";
import { jobEvent, jobRunner, recentJobs, type JobEvent } from "../jobs/runner.ts";
import { backupHours, backupKeep, backupPath, listBackups, setBackupSchedule } from "../backup/service.ts";
import { EXPORT_FORMATS } from "../transfer/jobs.ts";
import { displayNameOf, findUser } from "../users/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { AppearancePage, AuditPage, OperationsPage, OverviewPage, ServersPage, SessionsPage } from "../../views/admin/ops.tsx";
import { newMetricsToken } from "./metrics-route.ts";
import { queueImport } from "./api.ts";
import { samples, totals } from "./overview.ts";

export function opsRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  for (const path of ["/overview", "/overview.json", "/servers", "/servers/*", "/appearance", "/operations", "/backups", "/backups/*", "/exports", "/imports", "/jobs/*", "/metrics-token", "/audit", "/users/:id/sessions", "/users/:id/sessions/*"]) app.use(path, requirePageUser, requireAdmin);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const id = (raw: string | undefined) => {
    const parsed = snowflakeParam.safeParse(raw);
    if (!parsed.success) throw notFound();
    return parsed.data;
  };

  app.get("/overview", (c) => c.html(<OverviewPage ctx={pageCtx(c, core)} totals={totals(core)} />));
  app.get("/overview.json", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ totals: totals(core), samples: samples(core) });
  });

  const operationsPage = (c: Context<AppEnv>, extra: { notice?: Parameters<typeof OperationsPage>[0]["notice"]; error?: string } = {}, status: 200 | 400 | 404 = 200) =>
    c.html(<OperationsPage ctx={pageCtx(c, core)} jobs={recentJobs(core).map(jobEvent)} backups={listBackups(core)} hours={backupHours(core)} keep={backupKeep(core)} servers={listServers(core)} {...extra} />, status);
  app.get("/operations", (c) => operationsPage(c));
  app.post("/backups", async (c) => {
    await jobRunner(core).start("backup", {}, me(c));
    return c.redirect("/admin/operations", 303);
  });
  app.post("/backups/schedule", async (c) => {
    const form = await parseForm(c, z.object({ interval_hours: z.coerce.number().int().min(0).max(720), keep: z.coerce.number().int().min(1).max(365) }));
    const before = { interval_hours: backupHours(core), keep: backupKeep(core) };
    await setBackupSchedule(core, { hours: form.interval_hours, keep: form.keep });
    await recordAdminAction(core, me(c), "backup.schedule", "", { before, after: { interval_hours: form.interval_hours, keep: form.keep } });
    return c.redirect("/admin/operations", 303);
  });
  app.post("/backups/:name/verify", async (c) => {
    if (!backupPath(core, c.req.param("name"))) throw notFound();
    await jobRunner(core).start("verify-backup", { file: c.req.param("name") }, me(c));
    return c.redirect("/admin/operations", 303);
  });
  app.post("/exports", async (c) => {
    const form = await parseForm(c, z.object({ guild_id: snowflakeParam, channel_id: z.union([snowflakeParam, z.literal("")]).optional(), format: z.enum(EXPORT_FORMATS) }));
    if (form.channel_id && !core.db.reader.query("SELECT 1 FROM channels WHERE id = ? AND guild_id = ?").get(BigInt(form.channel_id), BigInt(form.guild_id))) {
      return operationsPage(c, { error: c.get("t")("error.notFound") }, 404);
    }
    await jobRunner(core).start("export", { guild_id: form.guild_id, channel_id: form.channel_id || undefined, format: form.format }, me(c));
    return c.redirect("/admin/operations", 303);
  });
  app.post("/imports", async (c) => {
    try {
      await queueImport(core, c);
      return c.redirect("/admin/operations", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return operationsPage(c, { error: errors.general ?? Object.values(errors.fields ?? {})[0] }, status as 400);
    }
  });
  app.post("/jobs/:id/cancel", async (c) => {
    const job = await jobRunner(core).cancel(id(c.req.param("id")));
    if (!job) throw notFound();
    await recordAdminAction(core, me(c), "job.cancel", job.id, { kind: job.kind });
    return c.redirect("/admin/operations", 303);
  });
  // Progress of every job, live (Server-Sent Events: one-way, reconnects by itself, no socket protocol).
  app.get("/jobs/events", (c) =>
    streamSSE(c, async (stream) => {
      const runner = jobRunner(core);
      const queue: JobEvent[] = [];
      let wake: (() => void) | null = null;
      const listen = (e: JobEvent) => {
        queue.push(e);
        wake?.();
      };
      runner.listeners.add(listen);
      // A job may have moved between the page's render and this stream opening: start with the
      // current state of the jobs the page lists, so none stays shown as running.
      for (const job of recentJobs(core).reverse()) queue.push(jobEvent(job));
      stream.onAbort(() => {
        runner.listeners.delete(listen);
        wake?.();
      });
      while (!stream.aborted && !stream.closed) {
        const next = queue.shift();
        if (next) await stream.writeSSE({ event: "job", data: JSON.stringify({ ...next, label: c.get("t")(`ops.status.${next.status}`) }) });
        else await Promise.race([new Promise<void>((resolve) => (wake = resolve)), Bun.sleep(15_000).then(() => stream.writeSSE({ event: "ping", data: "" }))]);
      }
      runner.listeners.delete(listen);
    }),
  );
  app.post("/metrics-token", async (c) => {
    const token = await newMetricsToken(core);
    await recordAdminAction(core, me(c), "metrics.token", "", {});
    return operationsPage(c, {
      notice: (
        <>
          {c.get("t")("ops.metricsTokenShown")} <code class="metrics-token">{token}</code>
        </>
      ),
    });
  });

  app.get("/servers", (c) => c.html(<ServersPage ctx={pageCtx(c, core)} servers={listServers(core, c.req.query("q") ?? "")} query={c.req.query("q") ?? ""} notice={c.req.query("saved") ? c.get("t")("common.saved") : undefined} />));
  app.post("/servers/:id/delete", async (c) => {
    const guildId = id(c.req.param("id"));
    const form = await parseForm(c, z.object({ confirm: text(200) }));
    const row = listServers(core).find((s) => s.id === guildId);
    if (!row) throw notFound();
    if (form.confirm.trim() !== row.name) throw keyedError(400, ErrorCode.invalidBody, "guild.confirmName");
    await deleteServerAsAdmin(core, me(c), guildId);
    return c.redirect("/admin/servers?saved=1", 303);
  });

  const appearancePage = (c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 400 | 413 = 200) =>
    c.html(<AppearancePage ctx={pageCtx(c, core)} values={appearance(core)} logo={instanceLogo(core.db.readOrm)} {...extra} />, status);
  app.get("/appearance", (c) => appearancePage(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/appearance/logo", async (c) => {
    const body = await c.req.parseBody();
    try {
      const file = body.logo;
      const remove = body.remove === "1";
      if (!remove && !(file instanceof File && file.size > 0)) throw new AppError(400, ErrorCode.invalidBody, "Choose an image.", { key: "profile.avatarInvalid" });
      const change = await setInstanceLogo(core, remove ? null : new Uint8Array(await (file as File).arrayBuffer()));
      await recordAdminAction(core, me(c), "instance.logo", "", change);
      return c.redirect("/admin/appearance?saved=1", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return appearancePage(c, { error: errors.general }, status as 400);
    }
  });
  app.post("/appearance", async (c) => {
    const form = await parseForm(c, z.object({ announcement: text(MAX_ANNOUNCEMENT).default(""), description: text(MAX_DESCRIPTION).default(""), custom_css: z.string().max(MAX_CUSTOM_CSS).default("") }));
    const change = await setAppearance(core, form);
    if (Object.keys(change.after).length) await recordAdminAction(core, me(c), "instance.appearance", "", change);
    return c.redirect("/admin/appearance?saved=1", 303);
  });

  app.get("/audit", (c) => {
    const action = (c.req.query("action") ?? "").slice(0, 64);
    return c.html(<AuditPage ctx={pageCtx(c, core)} entries={listAdminActions(core, { action: action || undefined })} action={action} />);
  });

  app.get("/users/:id/sessions", (c) => {
    const user = findUser(core, id(c.req.param("id")));
    if (!user) throw notFound();
    return c.html(<SessionsPage ctx={pageCtx(c, core)} userId={user.id} name={displayNameOf(user)} sessions={listSessions(core, user.id)} />);
  });
  app.post("/users/:id/sessions/:sid/revoke", async (c) => {
    const userId = id(c.req.param("id"));
    const sessionId = id(c.req.param("sid"));
    if (await revokeSession(core, userId, sessionId)) await recordAdminAction(core, me(c), "user.session.revoke", userId, { session_id: sessionId });
    return c.redirect(`/admin/users/${userId}/sessions`, 303);
  });
  return app;
}
