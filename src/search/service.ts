// Running a search: one FTS5 query for the count and one for the page, in one read transaction,
// per part of the search (a server, or the reader's DMs; "everywhere" is several parts merged).
// Permissions are part of the MATCH expression (scope.ts, fts.ts): nothing is filtered after a
// LIMIT, and a hidden channel's messages are not in the count.
import type { Statement } from "bun:sqlite";
import { sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { readBatch } from "../db/client.ts";
import { idList } from "../db/columns.ts";
import { messages, type Message } from "../messages/table.ts";
import { rateLimited } from "../lib/errors.ts";
import { readSetting, writeSetting } from "../instance/service.ts";
import { matchExpression, type ScopeFilters } from "./fts.ts";
import type { HasKind, TextPart } from "./query.ts";
import type { SearchScope } from "./scope.ts";

export const MAX_LIMIT = 25;
/** Discord's ceiling for offset: deeper pages are better reached with a narrower search. */
export const MAX_OFFSET = 9975;
/**
 * Counting stops here: no page beyond it can be shown (offset + limit), and an exact count of a
 * common word over a million messages walked the whole index (6-9 ms, the p99 of free text).
 */
export const COUNT_CAP = MAX_OFFSET + MAX_LIMIT;
export type SortOrder = "newest" | "oldest" | "relevance";
const MAX_ID = 0x7fffffffffffffffn;

export interface SearchRequest {
  text: TextPart[];
  authorIds: string[];
  mentionIds: string[];
  channelIds: string[];
  has: HasKind[];
  pinned?: boolean;
  /** minId <= id < maxId */
  minId?: bigint;
  maxId?: bigint;
  sort: SortOrder;
  offset: number;
  limit: number;
}

/** Searches per user per 10 s: a person reading results makes a few; a script could make a busy server busier. */
export const SEARCH_RATE = 30;

/**
 * The per-user search limit (429 past it): the instance setting `search_rate_limit` (per 10 s,
 * 0 = off), SEARCH_RATE by default. Instance admins are trusted and exempt (benchmarks, tooling).
 */
export function checkSearchRate(core: Core, user: { id: string; isAdmin: boolean }): void {
  if (user.isAdmin) return;
  const max = searchRateLimit(core);
  if (max === 0) return;
  const decision = core.limiter.hit(`search:${user.id}`, { max, windowMs: 10_000 });
  if (!decision.ok) throw rateLimited(decision.retryAfter);
}

export function searchRateLimit(core: Core): number {
  const setting = readSetting<number>(core.db.readOrm, "search_rate_limit");
  return typeof setting === "number" && Number.isInteger(setting) && setting >= 0 ? setting : SEARCH_RATE;
}

export function setSearchRateLimit(core: Core, perTenSeconds: number): Promise<void> {
  return writeSetting(core.queue, "search_rate_limit", perTenSeconds);
}

export interface SearchHit {
  message: Message;
  scope: SearchScope;
}

export interface SearchResult {
  /** At most COUNT_CAP. */
  total: number;
  /** The count stopped at COUNT_CAP: there are more. */
  capped: boolean;
  hits: SearchHit[];
}

// A handful of statement shapes (sort x embed filter): prepared once per connection.
const cache = new WeakMap<object, Map<string, Statement>>();
function statement(core: Core, key: string, text: string): Statement {
  let map = cache.get(core.db.reader);
  if (!map) cache.set(core.db.reader, (map = new Map()));
  let st = map.get(key);
  if (!st) map.set(key, (st = core.db.reader.prepare(text)));
  return st;
}

const ORDER: Record<SortOrder, string> = { newest: "rowid DESC", oldest: "rowid ASC", relevance: "rank, rowid DESC" };

function where(embed: boolean): string {
  // has:embed is checked against the embeds table row by row (the embeds come later than the
  // message, from another feature); every other filter is in the MATCH expression.
  return `message_search MATCH $match AND rowid >= $min AND rowid < $max${embed ? " AND EXISTS (SELECT 1 FROM embeds e WHERE e.message_id = message_search.rowid)" : ""}`;
}

interface Row {
  id: bigint;
  rank: number;
}

/** A part's count and its first `take` rows (after `skip`) in the requested order. */
function runPart(core: Core, match: string, req: SearchRequest, skip: number, take: number): { total: number; rows: Row[] } {
  const embed = req.has.includes("embed");
  const params = { match, min: req.minId ?? 0n, max: req.maxId ?? MAX_ID };
  const count = statement(core, `count:${embed}`, `SELECT count(*) AS n FROM (SELECT 1 FROM message_search WHERE ${where(embed)} LIMIT ${COUNT_CAP})`);
  const page = statement(core, `page:${req.sort}:${embed}`, `SELECT rowid AS id, ${req.sort === "relevance" ? "rank" : "0"} AS rank FROM message_search WHERE ${where(embed)} ORDER BY ${ORDER[req.sort]} LIMIT $take OFFSET $skip`);
  const total = Number((count.get(params) as { n: bigint }).n);
  const rows = take > 0 && skip < total ? (page.all({ ...params, take, skip }) as Row[]) : [];
  return { total, rows };
}

function filtersFor(scope: SearchScope, req: SearchRequest): ScopeFilters | null {
  const v = scope.visibility;
  if ("channels" in v && v.channels.length === 0) return null;
  // in: names only channels this part can read; none left means nothing to find here.
  const channelIds = req.channelIds.filter((id) => scope.readable.has(id));
  if (req.channelIds.length && channelIds.length === 0) return null;
  return { visibility: v, authorIds: req.authorIds, mentionIds: req.mentionIds, channelIds, has: req.has, pinned: req.pinned };
}

const compare = (sort: SortOrder) => (a: Row, b: Row) => {
  if (sort === "relevance" && a.rank !== b.rank) return a.rank - b.rank;
  if (sort === "oldest") return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
};

/** Search one or several parts (a server, the DMs). */
export function searchMessages(core: Core, scopes: SearchScope[], req: SearchRequest): SearchResult {
  const limit = Math.max(1, Math.min(MAX_LIMIT, req.limit));
  const offset = Math.max(0, Math.min(MAX_OFFSET, req.offset));
  return readBatch(core.db, () => {
    const parts = scopes.flatMap((scope) => {
      const f = filtersFor(scope, req);
      return f ? [{ scope, match: matchExpression(req.text, f) }] : [];
    });
    let total = 0;
    const found: { row: Row; scope: SearchScope }[] = [];
    for (const part of parts) {
      // One part pages in SQL; several parts each give their first offset+limit rows, merged here.
      const single = parts.length === 1;
      const { total: n, rows } = runPart(core, part.match, req, single ? offset : 0, single ? limit : offset + limit);
      total += n;
      for (const row of rows) found.push({ row, scope: part.scope });
    }
    const sorted = parts.length === 1 ? found : found.sort((a, b) => compare(req.sort)(a.row, b.row)).slice(offset, offset + limit);
    const byId = loadMessages(core, sorted.map((f) => f.row.id));
    const hits = sorted.flatMap((f) => {
      const message = byId.get(String(f.row.id));
      return message ? [{ message, scope: f.scope }] : [];
    });
    // Several parts may each reach the cap: the sum is capped too, and says it was.
    return { total: Math.min(total, COUNT_CAP), capped: total >= COUNT_CAP, hits };
  });
}

function loadMessages(core: Core, ids: bigint[]): Map<string, Message> {
  if (ids.length === 0) return new Map();
  const rows = core.db.readOrm
    .select()
    .from(messages)
    .where(sql`${messages.id} in (select value from json_each(${idList(ids.map(String))}))`)
    .all();
  return new Map(rows.map((m) => [m.id, m]));
}
