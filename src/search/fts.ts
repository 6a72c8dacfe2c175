// Turning a search into an FTS5 MATCH expression. User text only ever appears inside FTS5 string
// literals ("..." with quotes doubled), so `NEAR(`, `OR`, `*`, `col:` and stray quotes are words,
// never syntax. Everything else in the expression is a token written here from ids
// (see migrations/0010_search.sql for what the scope column holds).
import type { HasKind, TextPart } from "./query.ts";

const literal = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function textExpression(parts: TextPart[]): string | null {
  if (parts.length === 0) return null;
  const terms = parts.map((p) => (p.kind === "prefix" ? `${literal(p.value)} *` : literal(p.value)));
  return `content : (${terms.join(" AND ")})`;
}

const token = (prefix: string, id: string) => {
  // Ids come from the database or a validated snowflake; refuse anything else rather than quote it.
  if (!/^\d{1,19}$/.test(id)) throw new Error(`not an id: ${id}`);
  return `${prefix}${id}`;
};
const anyOf = (tokens: string[]) => (tokens.length === 1 ? tokens[0]! : `(${tokens.join(" OR ")})`);

/** Which messages the reader may see in this part of the search, as FTS5 scope terms. */
export type Visibility = { guildId: string; hidden: string[] } | { channels: string[] };

export interface ScopeFilters {
  visibility: Visibility;
  authorIds: string[];
  mentionIds: string[];
  channelIds: string[];
  has: HasKind[];
  pinned?: boolean;
}

/** Kinds of `has:` carried by the index itself; the others are checked against their tables. */
export const INDEXED_HAS: readonly HasKind[] = ["link", "file", "image", "video", "audio"];

export function matchExpression(text: TextPart[], f: ScopeFilters): string {
  const and: string[] = [];
  const t = textExpression(text);
  if (t) and.push(t);
  if ("guildId" in f.visibility) and.push(`scope : ${token("g", f.visibility.guildId)}`);
  else and.push(`scope : ${anyOf(f.visibility.channels.map((c) => token("c", c)))}`);
  if (f.authorIds.length) and.push(`scope : ${anyOf(f.authorIds.map((a) => token("a", a)))}`);
  if (f.mentionIds.length) and.push(`scope : ${anyOf(f.mentionIds.map((m) => token("m", m)))}`);
  if (f.channelIds.length) and.push(`scope : ${anyOf(f.channelIds.map((c) => token("c", c)))}`);
  for (const kind of f.has) if (INDEXED_HAS.includes(kind)) and.push(`scope : ${kind}`);
  if (f.pinned === true) and.push("scope : pin");
  let expr = and.join(" AND ");
  const not: string[] = [];
  if ("guildId" in f.visibility) not.push(...f.visibility.hidden.map((c) => token("c", c)));
  if (f.pinned === false) not.push("pin");
  if (not.length) expr += ` NOT scope : ${anyOf(not)}`;
  return expr;
}
