// /api/v10/admin: instance administration for admins (tokens need the admin scope).
import { Hono } from "hono";
import { searchRateLimit, setSearchRateLimit } from "../search/service.ts";
import { apiRateLimitBody, apiRateLimitJson, setApiRateLimit } from "../bots/rate-limit.ts";
import { z } from "zod";
import { currentAuth, requireAdmin, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, password, snowflakeParam, text } from "../http/validate.ts";
import { createInstanceInvite, listInstanceInvites } from "../instance/invites.ts";
import { instanceName, readSetting, REGISTRATION_MODES, registrationMode } from "../instance/service.ts";
import { auditRetentionDays } from "../moderation/audit.ts";
import { DEFAULT_SEND_LIMIT } from "../messages/service.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { createUser, findUser, selfUser } from "../users/service.ts";
import { SERVER_CREATION, serverCreation } from "../guilds/service.ts";
import { deactivateUser, deleteUser, resetUserPassword, searchUsers, setAdmin, updateInstance } from "./service.ts";
import { maxFileMb, quotaMb, setFileLimits } from "../files/limits.ts";
import { fileLimitFields } from "../files/admin.tsx";
import { recordAdminAction } from "./audit.ts";

const adminView = (u: NonNullable<ReturnType<typeof findUser>>) => ({ ...selfUser(u), deactivated: u.deactivatedAt !== null, deleted: u.deletedAt !== null });

export function adminApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser, requireAdmin);
  const userId = (raw: string) => {
    const parsed = snowflakeParam.safeParse(raw);
    if (!parsed.success) throw new AppError(404, ErrorCode.unknownUser, "Unknown user.");
    return parsed.data;
  };

  app.get("/users", (c) => {
    const offset = Math.max(0, Math.min(1_000_000, Number(c.req.query("offset") ?? 0) || 0));
    const found = searchUsers(core, c.req.query("q") ?? "", offset);
    return c.json({ total: found.total, users: found.users.map(adminView) });
  });
  app.post("/users", async (c) => {
    const body = await parseJson(c, z.strictObject({ username: text(64), password, global_name: text(64).nullish(), admin: z.boolean().default(false) }));
    const user = await createUser(core, { username: body.username, password: body.password, displayName: body.global_name, isAdmin: body.admin });
    await recordAdminAction(core, currentAuth(c).user.id, "user.create", user.id, { username: user.username, admin: user.isAdmin });
    return c.json(adminView(user), 201);
  });
  app.patch("/users/:id", async (c) => {
    const id = userId(c.req.param("id"));
    const body = await parseJson(c, z.strictObject({ admin: z.boolean().optional(), deactivated: z.boolean().optional() }));
    const me = currentAuth(c).user.id;
    if (body.admin !== undefined) await setAdmin(core, me, id, body.admin);
    if (body.deactivated !== undefined) await deactivateUser(core, me, id, body.deactivated);
    return c.json(adminView(findUser(core, id)!));
  });
  app.post("/users/:id/password-reset", async (c) => c.json({ url: await resetUserPassword(core, currentAuth(c).user.id, userId(c.req.param("id"))) }));
  app.delete("/users/:id", async (c) => {
    await deleteUser(core, currentAuth(c).user.id, userId(c.req.param("id")), c.req.query("delete_messages") === "true");
    return c.body(null, 204);
  });

  const instance = () => ({ name: instanceName(core.db.readOrm), registration: registrationMode(core.db.readOrm), server_creation: serverCreation(core), message_rate_limit: readSetting<number>(core.db.readOrm, "message_rate_limit") ?? DEFAULT_SEND_LIMIT, max_file_size_mb: maxFileMb(core), storage_quota_mb: quotaMb(core), api_rate_limit: apiRateLimitJson(core), search_rate_limit: searchRateLimit(core), audit_log_retention_days: auditRetentionDays(core) });
  app.get("/instance", (c) => c.json(instance()));
  app.patch("/instance", async (c) => {
    const body = await parseJson(c, z.strictObject({ name: text(200).optional(), registration: z.enum(REGISTRATION_MODES).optional(), server_creation: z.enum(SERVER_CREATION).optional(), message_rate_limit: z.number().int().min(0).max(10_000).optional(), max_file_size_mb: fileLimitFields.max_file_size_mb.optional(), storage_quota_mb: fileLimitFields.storage_quota_mb.optional(), api_rate_limit: apiRateLimitBody.optional(), search_rate_limit: z.number().int().min(0).max(10_000).optional(), audit_log_retention_days: z.number().int().min(1).max(3650).optional() }));
    const before = instance();
    if (body.search_rate_limit !== undefined) await setSearchRateLimit(core, body.search_rate_limit);
    if (body.api_rate_limit) await setApiRateLimit(core, body.api_rate_limit);
    await setFileLimits(core, { maxFileMb: body.max_file_size_mb, quotaMb: body.storage_quota_mb });
    await updateInstance(core, currentAuth(c).user.id, { name: body.name, registration: body.registration, serverCreation: body.server_creation, messageRateLimit: body.message_rate_limit, auditRetentionDays: body.audit_log_retention_days });
    // Limits set by other features (files, API and search rate limits); updateInstance records its own settings.
    const after = instance();
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => !["name", "registration", "server_creation", "message_rate_limit", "audit_log_retention_days"].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length) await recordAdminAction(core, currentAuth(c).user.id, "instance.limits", "", { before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, after[k]])) });
    return c.json(after);
  });
  app.get("/invites", (c) => c.json(listInstanceInvites(core)));
  app.post("/invites", async (c) => {
    const body = await parseJson(c, z.strictObject({ max_uses: z.number().int().min(0).max(100_000).nullish(), max_age: z.number().int().min(0).max(315_360_000).nullish() }));
    const invite = await createInstanceInvite(core, currentAuth(c).user.id, { maxUses: body.max_uses || null, maxAgeSeconds: body.max_age || null });
    await recordAdminAction(core, currentAuth(c).user.id, "invite.create", invite.code, { max_uses: invite.maxUses, expires_at: invite.expiresAt });
    return c.json({ code: invite.code, url: `${core.config.publicUrl}/register?invite=${invite.code}`, max_uses: invite.maxUses, expires_at: invite.expiresAt, uses: invite.uses }, 201);
  });
  return app;
}
