// /api/v10 thread endpoints, in Discord's shapes: start a thread (from a message or not), list a
// channel's archived and a server's active threads, join/leave/list members; GET, PATCH and DELETE
// of /channels/{thread_id} are answered here and fall through to channels/api.ts for other channels.
import { Hono, type Context, type Next } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireGuild, unknownChannel, unknownGuild } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { unknownMessage } from "../messages/service.ts";
import { threadJson, threadMemberJson } from "./json.ts";
import { joinThread, leaveThread, listThreadMembers, threadMember } from "./members.ts";
import { activeGuildThreads, listThreads, requireThread, threadView, type ThreadView } from "./queries.ts";
import { threadRow } from "./table.ts";
import { deleteThread, startThread, startThreadFromMessage, updateThread } from "./service.ts";

// Lengths are checked by the service (with a message in the reader's language); the schema only bounds the input.
const startBody = z.strictObject({
  name: z.string().max(1000),
  auto_archive_duration: z.number().int().optional(),
  rate_limit_per_user: z.number().int().nullish(),
});
const patchBody = z.strictObject({
  name: z.string().max(1000).optional(),
  archived: z.boolean().optional(),
  locked: z.boolean().optional(),
  auto_archive_duration: z.number().int().optional(),
  rate_limit_per_user: z.number().int().nullish(),
});

export function threadsApi(core: Core) {
  const app = new Hono<AppEnv>();
  // Mounted at /api/v10: only its own paths need a user (auth/login must not).
  app.use("/channels/*", requireUser);
  app.use("/guilds/*", requireUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const param = (c: Context<AppEnv>, name: string, notFound: () => AppError = unknownChannel) => {
    const parsed = snowflakeParam.safeParse(c.req.param(name));
    if (!parsed.success) throw notFound();
    return parsed.data;
  };
  const mine = (c: Context<AppEnv>, v: ThreadView) => threadJson(v, threadMember(core, me(c), v.channel.id, me(c))?.row);
  const created = (c: Context<AppEnv>, threadId: string) => c.json(mine(c, threadView(core, requireThread(core, me(c), threadId).channel)), 201);
  /** Threads are channels: /channels/{id} is answered here when the id is a thread (visible or not: then a 404 from here). */
  const isThread = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    return parsed.success && threadRow(core.db, parsed.data) !== undefined;
  };

  app.post("/channels/:channel/messages/:message/threads", async (c) => {
    const body = await parseJson(c, startBody);
    const thread = await startThreadFromMessage(core, me(c), param(c, "channel"), param(c, "message", unknownMessage), { name: body.name, autoArchiveDuration: body.auto_archive_duration, rateLimitPerUser: body.rate_limit_per_user ?? undefined });
    return created(c, thread.id);
  });
  app.post("/channels/:channel/threads", async (c) => {
    const body = await parseJson(c, startBody.extend({ type: z.number().int().optional(), invitable: z.boolean().optional() }));
    const thread = await startThread(core, me(c), param(c, "channel"), { name: body.name, type: body.type, autoArchiveDuration: body.auto_archive_duration, rateLimitPerUser: body.rate_limit_per_user ?? undefined });
    return created(c, thread.id);
  });
  app.get("/channels/:channel/threads/archived/public", (c) => {
    const q = z.object({ before: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }).safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid query: before is an ISO 8601 timestamp and limit is 1-100.");
    const before = q.data.before ? new Date(q.data.before).toISOString() : undefined;
    const { threads, hasMore } = listThreads(core, me(c), param(c, "channel"), { archived: true, before, limit: q.data.limit });
    return c.json({ threads: threads.map((v) => threadJson(v)), members: threads.flatMap((v) => threadMember(core, me(c), v.channel.id, me(c))?.row ?? []).map(threadMemberJson), has_more: hasMore });
  });
  app.get("/guilds/:guild/threads/active", (c) => {
    const access = requireGuild(core, me(c), param(c, "guild", unknownGuild));
    const threads = activeGuildThreads(core, access);
    return c.json({ threads: threads.map((v) => threadJson(v)), members: threads.flatMap((v) => threadMember(core, me(c), v.channel.id, me(c))?.row ?? []).map(threadMemberJson) });
  });

  app.put("/channels/:channel/thread-members/@me", async (c) => {
    await joinThread(core, me(c), param(c, "channel"));
    return c.body(null, 204);
  });
  app.delete("/channels/:channel/thread-members/@me", async (c) => {
    await leaveThread(core, me(c), param(c, "channel"));
    return c.body(null, 204);
  });
  app.get("/channels/:channel/thread-members", (c) => c.json(listThreadMembers(core, me(c), param(c, "channel")).map((m) => threadMemberJson(m.row))));
  app.get("/channels/:channel/thread-members/:user", (c) => {
    const member = threadMember(core, me(c), param(c, "channel"), param(c, "user", () => new AppError(404, ErrorCode.unknownRoute, "Unknown member.", { key: "error.notFound" })));
    if (!member) throw new AppError(404, ErrorCode.unknownRoute, "Unknown member.", { key: "error.notFound" });
    return c.json(threadMemberJson(member.row));
  });

  app.get("/channels/:channel", (c: Context<AppEnv>, next: Next) => (isThread(c) ? c.json(mine(c, threadView(core, requireThread(core, me(c), param(c, "channel")).channel))) : next()));
  app.patch("/channels/:channel", async (c: Context<AppEnv>, next: Next) => {
    if (!isThread(c)) return next();
    const body = await parseJson(c, patchBody);
    const thread = await updateThread(core, me(c), param(c, "channel"), { name: body.name, archived: body.archived, locked: body.locked, autoArchiveDuration: body.auto_archive_duration, rateLimitPerUser: body.rate_limit_per_user ?? undefined });
    return c.json(mine(c, threadView(core, thread)));
  });
  app.delete("/channels/:channel", async (c: Context<AppEnv>, next: Next) => {
    if (!isThread(c)) return next();
    const thread = await deleteThread(core, me(c), param(c, "channel"));
    return c.json({ id: thread.id, type: thread.type, guild_id: thread.guildId, parent_id: thread.parentId, name: thread.name });
  });
  return app;
}
