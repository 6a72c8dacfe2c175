// Discord's search endpoints: GET /guilds/{id}/messages/search (one server) and
// GET /users/@me/messages/search (the caller's DMs and group DMs; Discord has no single endpoint
// for that, this one has the same query and answer).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownGuild } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { isSnowflake } from "../messages/history.ts";
import { messageJson, renderMessages } from "../messages/render.ts";
import { HAS_KINDS, MAX_QUERY, parseQuery, type HasKind } from "./query.ts";
import { dmScope, guildScope, type SearchScope } from "./scope.ts";
import { checkSearchRate, MAX_LIMIT, MAX_OFFSET, searchMessages, type SortOrder } from "./service.ts";

const id = z.string().refine(isSnowflake, "Not an id.");
const many = <T extends z.ZodType>(item: T) => z.array(item).max(25).default([]);
// Discord calls audio "sound".
const hasValue = z.enum([...HAS_KINDS, "sound"]).transform((v): HasKind => (v === "sound" ? "audio" : v));
const searchQuery = z.object({
  content: z.string().max(MAX_QUERY).optional(),
  author_id: many(id),
  mentions: many(id),
  channel_id: many(id),
  has: many(hasValue),
  pinned: z.enum(["true", "false"]).optional(),
  min_id: id.optional(),
  max_id: id.optional(),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(25),
  sort_by: z.enum(["timestamp", "relevance"]).default("timestamp"),
  sort_order: z.enum(["desc", "asc"]).default("desc"),
});

function readQuery(c: Context<AppEnv>) {
  const raw: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) raw[key] = ["author_id", "mentions", "channel_id", "has"].includes(key) ? values : values.at(-1)!;
  const parsed = searchQuery.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "query")] ??= issue.message;
    throw new AppError(400, ErrorCode.invalidBody, "Invalid search query.", { fields });
  }
  return parsed.data;
}

function answer(c: Context<AppEnv>, core: Core, scopes: SearchScope[]) {
  const q = readQuery(c);
  checkSearchRate(core, currentAuth(c).user);
  const me = currentAuth(c).user.id;
  // `content` is free text only (Discord's filters are separate parameters): quotes and prefix* work.
  const text = parseQuery((q.content ?? "").replace(/\b[a-z]+:/gi, (m) => `${m.slice(0, -1)} `)).text;
  const sort: SortOrder = q.sort_by === "relevance" ? "relevance" : q.sort_order === "asc" ? "oldest" : "newest";
  const result = searchMessages(core, scopes, {
    text,
    authorIds: q.author_id,
    mentionIds: q.mentions,
    channelIds: q.channel_id,
    has: q.has,
    pinned: q.pinned === undefined ? undefined : q.pinned === "true",
    // Discord's min_id and max_id are exclusive.
    minId: q.min_id ? BigInt(q.min_id) + (BigInt(q.min_id) < 0x7fffffffffffffffn ? 1n : 0n) : undefined,
    maxId: q.max_id ? BigInt(q.max_id) : undefined,
    sort,
    offset: q.offset,
    limit: q.limit,
  });
  // Rendered in one batch per server (nicknames are per server), then put back in result order.
  const guildOf = (h: (typeof result.hits)[number]) => (h.scope.kind === "guild" ? h.scope.access.guild.id : null);
  const json = new Map<string, ReturnType<typeof messageJson>>();
  for (const guildId of new Set(result.hits.map(guildOf))) {
    const batch = result.hits.filter((h) => guildOf(h) === guildId).map((h) => h.message);
    for (const r of renderMessages(core, guildId, batch, { html: false })) json.set(r.message.id, messageJson(r, me));
  }
  const messages = result.hits.map((h) => [{ ...json.get(h.message.id)!, guild_id: guildOf(h) ?? undefined, hit: true }]);
  return c.json({ total_results: result.total, messages, threads: [], members: [], doing_deep_historical_index: false });
}

export function searchApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/guilds/:guild/messages/search", requireUser);
  app.use("/users/@me/messages/search", requireUser);
  app.get("/guilds/:guild/messages/search", (c) => {
    const guildId = snowflakeParam.safeParse(c.req.param("guild"));
    if (!guildId.success || !isSnowflake(guildId.data)) throw unknownGuild();
    const scope = guildScope(core, currentAuth(c).user.id, guildId.data);
    if (!scope) throw unknownGuild();
    return answer(c, core, [scope]);
  });
  app.get("/users/@me/messages/search", (c) => answer(c, core, [dmScope(core, currentAuth(c).user.id)]));
  return app;
}
