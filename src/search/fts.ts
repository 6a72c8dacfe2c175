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
  const guild = "guildId" in f.visibility ? f.visibility.guildId : null;
  // In a server search a filter uses the facet token qualified by the server (a5g9): it already
  // keeps the server, and its doclist is small, where the server's own token is the longest there is.
  const facet = (name: string) => (guild ? `${name}${token("g", guild)}` : name);
  const facets: string[] = [];
  if (f.authorIds.length) facets.push(`scope : ${anyOf(f.authorIds.map((a) => facet(token("a", a))))}`);
  if (f.mentionIds.length) facets.push(`scope : ${anyOf(f.mentionIds.map((m) => facet(token("m", m))))}`);
  for (const kind of f.has) if (INDEXED_HAS.includes(kind)) facets.push(`scope : ${facet(kind)}`);
  if (f.pinned === true) facets.push(`scope : ${facet("pin")}`);
  // in: channels were checked readable in this part, so they keep the server too.
  if (f.channelIds.length) facets.push(`scope : ${anyOf(f.channelIds.map((c) => token("c", c)))}`);
  if (!guild && "channels" in f.visibility) and.push(`scope : ${anyOf(f.visibility.channels.map((c) => token("c", c)))}`);
  else if (guild && facets.length === 0) and.push(`scope : ${token("g", guild)}`);
  and.push(...facets);
  let expr = and.join(" AND ");
  const not: string[] = [];
  if ("guildId" in f.visibility) not.push(...f.visibility.hidden.map((c) => token("c", c)));
  if (f.pinned === false) not.push("pin");
  if (not.length) expr += ` NOT scope : ${anyOf(not)}`;
  return expr;
}
