// /api/v10 moderation routes in Discord's shapes where Discord has them: kick, audit log, AutoMod
// rules; and Pokynano's own for reports, server rules (screening), channel lock, "delete the last
// N", moving a message to a thread and instance IP bans. Bans and timeouts are in guilds/api.ts
// (PUT /guilds/{id}/bans/{user}, PATCH /guilds/{id}/members/{user}), bulk delete in
// messages/bulk-delete.ts; all three call this feature's services.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireAdmin, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireGuild, unknownChannel, unknownGuild } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam, text } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { unknownMessage } from "../messages/service.ts";
import { Permission } from "../permissions/permissions.ts";
import { findUser, publicUser } from "../users/service.ts";
import { AUDIT_ACTION_NAMES, AuditAction, auditJson, listAudit } from "./audit.ts";
import { createRule, deleteRule, findRule, listRules, ruleJson, updateRule } from "./automod/rules.ts";
import { ruleCreate, ruleUpdate } from "./automod/schema.ts";
import { lockChannel, moveToThread } from "./channels.ts";
import { banIp, listIpBans, unbanIp } from "./ip-bans.ts";
import { kickMember } from "./members.ts";
import { deleteLast } from "./purge.ts";
import { listReports, reportJson, reportMessage, reportUser, resolveReport, type ReportAction } from "./reports.ts";
import { acceptRules, serverRules, setServerRules } from "./screening.ts";

const purgeSeconds = z.number().int().min(0).max(604_800).default(0);
export const resolveBody = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("dismiss") }),
  z.strictObject({ action: z.literal("delete_message") }),
  z.strictObject({ action: z.literal("timeout"), duration_seconds: z.number().int().min(1).max(2_419_200) }),
  z.strictObject({ action: z.literal("kick") }),
  z.strictObject({ action: z.literal("ban"), delete_message_seconds: purgeSeconds }),
]);
export function toReportAction(b: z.infer<typeof resolveBody>): ReportAction {
  if (b.action === "timeout") return { type: "timeout", seconds: b.duration_seconds };
  if (b.action === "ban") return { type: "ban", deleteMessageSeconds: b.delete_message_seconds };
  return { type: b.action };
}

export function moderationApi(core: Core) {
  const app = new Hono<AppEnv>();
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const param = (c: Context<AppEnv>, name: string, notFound: () => Error) => {
    const parsed = snowflakeParam.safeParse(c.req.param(name));
    if (!parsed.success) throw notFound();
    return parsed.data;
  };
  const gid = (c: Context<AppEnv>) => param(c, "guild", unknownGuild);
  const cid = (c: Context<AppEnv>) => param(c, "channel", unknownChannel);
  const mid = (c: Context<AppEnv>) => param(c, "message", unknownMessage);

  app.delete("/guilds/:guild/members/:user", requireUser, async (c) => {
    await kickMember(core, me(c), gid(c), param(c, "user", unknownGuild));
    return c.body(null, 204);
  });

  app.get("/guilds/:guild/audit-logs", requireUser, (c) => {
    const guildId = gid(c);
    requireGuild(core, me(c), guildId, Permission.VIEW_AUDIT_LOG);
    const q = z
      .object({ user_id: snowflakeParam.optional(), action_type: z.coerce.number().int().min(0).max(10_000).optional(), before: snowflakeParam.optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
      .safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid query: user_id, action_type, before (ids) and limit (1-100).");
    const entries = listAudit(core, guildId, { userId: q.data.user_id, actionType: q.data.action_type, before: q.data.before, limit: q.data.limit });
    const userIds = new Set(entries.flatMap((e) => [e.userId, e.targetId]).filter((id): id is string => id !== null));
    const people = [...userIds].map((id) => findUser(core, id)).filter((u) => u !== undefined);
    return c.json({ audit_log_entries: entries.map(auditJson), users: people.map(publicUser), auto_moderation_rules: [], integrations: [], threads: [], webhooks: [], application_commands: [] });
  });
  app.get("/audit-log-action-types", (c) => c.json(Object.fromEntries(AUDIT_ACTION_NAMES.map((n) => [n, AuditAction[n]]))));

  app.get("/guilds/:guild/auto-moderation/rules", requireUser, (c) => c.json(listRules(core, me(c), gid(c)).map(ruleJson)));
  app.post("/guilds/:guild/auto-moderation/rules", requireUser, async (c) => c.json(ruleJson(await createRule(core, me(c), gid(c), await parseJson(c, ruleCreate))), 200));
  app.get("/guilds/:guild/auto-moderation/rules/:rule", requireUser, (c) => c.json(ruleJson(findRule(core, me(c), gid(c), param(c, "rule", unknownGuild)))));
  app.patch("/guilds/:guild/auto-moderation/rules/:rule", requireUser, async (c) => c.json(ruleJson(await updateRule(core, me(c), gid(c), param(c, "rule", unknownGuild), await parseJson(c, ruleUpdate)))));
  app.delete("/guilds/:guild/auto-moderation/rules/:rule", requireUser, async (c) => {
    await deleteRule(core, me(c), gid(c), param(c, "rule", unknownGuild));
    return c.body(null, 204);
  });

  app.get("/guilds/:guild/reports", requireUser, (c) => {
    const status = z.enum(["open", "actioned", "dismissed", "all"]).catch("open").parse(c.req.query("status"));
    return c.json(listReports(core, me(c), gid(c), status).map(reportJson));
  });
  app.post("/guilds/:guild/reports", requireUser, async (c) => {
    const body = await parseJson(c, z.strictObject({ user_id: snowflakeParam, reason: text(1000) }));
    return c.json(reportJson(await reportUser(core, me(c), gid(c), body.user_id, body.reason)), 201);
  });
  app.post("/channels/:channel/messages/:message/reports", requireUser, async (c) => {
    const body = await parseJson(c, z.strictObject({ reason: text(1000) }));
    return c.json(reportJson(await reportMessage(core, me(c), cid(c), mid(c), body.reason)), 201);
  });
  app.post("/guilds/:guild/reports/:report/resolve", requireUser, async (c) => {
    const body = await parseJson(c, resolveBody);
    return c.json(reportJson(await resolveReport(core, me(c), gid(c), param(c, "report", unknownGuild), toReportAction(body))));
  });

  app.get("/guilds/:guild/rules", requireUser, (c) => {
    requireGuild(core, me(c), gid(c));
    return c.json(serverRules(core.db.readOrm, gid(c)));
  });
  app.put("/guilds/:guild/rules", requireUser, async (c) => {
    const body = await parseJson(c, z.strictObject({ rules: z.string().max(6000), screening: z.boolean() }));
    return c.json(await setServerRules(core, me(c), gid(c), body));
  });
  app.post("/guilds/:guild/rules/accept", requireUser, async (c) => {
    await acceptRules(core, me(c), gid(c));
    return c.body(null, 204);
  });

  app.put("/channels/:channel/lock", requireUser, async (c) => {
    await lockChannel(core, me(c), cid(c), true);
    return c.body(null, 204);
  });
  app.delete("/channels/:channel/lock", requireUser, async (c) => {
    await lockChannel(core, me(c), cid(c), false);
    return c.body(null, 204);
  });
  app.post("/channels/:channel/messages/purge", requireUser, async (c) => {
    const body = await parseJson(c, z.strictObject({ limit: z.number().int().min(1).max(100) }));
    return c.json({ deleted: await deleteLast(core, me(c), cid(c), body.limit) });
  });
  app.post("/channels/:channel/messages/:message/move", requireUser, async (c) => {
    const body = await parseJson(c, z.strictObject({ thread_id: snowflakeParam.optional(), name: text(100).optional() }));
    const moved = await moveToThread(core, me(c), cid(c), mid(c), { threadId: body.thread_id, name: body.name });
    return c.json({ thread_id: moved.threadId, message_id: moved.message.id });
  });

  const admin = new Hono<AppEnv>();
  admin.use("*", requireAdmin);
  const ipJson = (b: ReturnType<typeof listIpBans>[number]) => ({ id: b.id, ip: b.cidr, reason: b.reason, created_by: b.createdBy, created_at: b.createdAt });
  admin.get("/", (c) => c.json(listIpBans(core).map(ipJson)));
  admin.post("/", async (c) => {
    const body = await parseJson(c, z.strictObject({ ip: z.string().max(64), reason: text(512).default(""), delete_message_seconds: purgeSeconds }));
    const done = await banIp(core, me(c), body.ip, body.reason, body.delete_message_seconds);
    return c.json({ ...ipJson(done.ban), users_signed_out: done.users.length, messages_deleted: done.purged }, 201);
  });
  admin.delete("/:id", async (c) => {
    await unbanIp(core, me(c), param(c, "id", unknownGuild));
    return c.body(null, 204);
  });
  app.route("/admin/ip-bans", admin);
  return app;
}
