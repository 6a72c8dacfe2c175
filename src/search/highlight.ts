// The excerpt shown for a result: a window of the message around its first match, cut into plain
// pieces and matched pieces. The view renders them as text (escaped by JSX) and <mark>, so no
// user text is ever inserted as HTML. Matching mirrors the index: words folded the way unicode61
// with remove_diacritics 2 folds them, prefixes for prefix terms.
import { fold } from "./query.ts";

export interface Piece {
  text: string;
  mark: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
export const EXCERPT = 240;
const LEAD = 60;

export function excerpt(content: string, terms: { term: string; prefix: boolean }[]): Piece[] {
  const hits: [number, number][] = [];
  if (terms.length) {
    for (const m of content.matchAll(WORD)) {
      const word = fold(m[0]);
      if (terms.some((t) => (t.prefix ? word.startsWith(t.term) : word === t.term))) hits.push([m.index, m.index + m[0].length]);
    }
  }
  const chars = content.length;
  let start = hits.length && hits[0]![0] > LEAD ? hits[0]![0] - LEAD : 0;
  // Start on a word boundary when cutting into the text.
  if (start > 0) {
    const space = content.indexOf(" ", start);
    start = space >= 0 && space < hits[0]![0] ? space + 1 : start;
  }
  const end = Math.min(chars, start + EXCERPT);
  const out: Piece[] = [];
  if (start > 0) out.push({ text: "…", mark: false });
  let at = start;
  for (const [a, b] of hits) {
    if (b <= start || a >= end) continue;
    if (a > at) out.push({ text: content.slice(at, a), mark: false });
    out.push({ text: content.slice(Math.max(a, at), Math.min(b, end)), mark: true });
    at = Math.min(b, end);
  }
  if (at < end) out.push({ text: content.slice(at, end), mark: false });
  if (end < chars) out.push({ text: "…", mark: false });
  return out;
}
