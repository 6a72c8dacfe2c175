// The search box's language, Discord-style: free text ("quoted phrases", prefix*) and filters
// (from:, mentions:, in:, has:, pinned:, before:/after:/during:). Nothing the user types reaches
// FTS5 as syntax: words and phrases become quoted FTS5 strings (fts.ts), filters become tokens the
// server writes itself. Pure: names are resolved to ids by the service.

export const HAS_KINDS = ["link", "file", "image", "video", "audio", "embed"] as const;
export type HasKind = (typeof HAS_KINDS)[number];
export const FILTER_KEYS = ["from", "mentions", "in", "has", "pinned", "before", "after", "during"] as const;

export interface TextPart {
  kind: "word" | "prefix" | "phrase";
  value: string;
}

export interface ParsedQuery {
  text: TextPart[];
  /** Names (or ids, or <@id> mentions) as typed; resolved later. */
  from: string[];
  mentions: string[];
  in: string[];
  has: HasKind[];
  pinned?: boolean;
  /** Snowflake bounds from the dates: minId <= id < maxId. */
  minId?: bigint;
  maxId?: bigint;
  /** Problems worth telling the user (unknown has: value, bad date). */
  errors: string[];
}

/** A word has at least one letter or digit (what the unicode61 tokenizer keeps). */
export const hasTokens = (s: string) => /[\p{L}\p{N}]/u.test(s);
/** Prefixes shorter than this would expand to a large part of the vocabulary: matched as words. */
export const MIN_PREFIX = 2;
export const MAX_QUERY = 512;
const MAX_PARTS = 16;
const EPOCH_MS = 1_420_070_400_000n;

const MAX_ID = 0x7fffffffffffffffn;
/** The first snowflake of a UTC millisecond (clamped to what SQLite's integers hold). */
export function idAt(ms: number): bigint {
  if (ms <= Number(EPOCH_MS)) return 0n;
  const id = (BigInt(ms) - EPOCH_MS) << 22n;
  return id > MAX_ID ? MAX_ID : id;
}

/** A date filter's day (YYYY-MM-DD) or month (YYYY-MM) in UTC, as [start, end) in ms. */
export function dateRange(value: string): [number, number] | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : null];
  if (mo < 0 || mo > 11 || (d !== null && (d < 1 || d > 31))) return null;
  const start = Date.UTC(y, mo, d ?? 1);
  if (d !== null && new Date(start).getUTCDate() !== d) return null;
  const end = d === null ? Date.UTC(y, mo + 1, 1) : start + 86_400_000;
  return [start, end];
}

/** Split into quoted phrases and bare words; an unbalanced quote is just a character. */
function pieces(input: string): { raw: string; quoted: boolean }[] {
  const out: { raw: string; quoted: boolean }[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  const balanced = (input.match(/"/g)?.length ?? 0) % 2 === 0;
  const source = balanced ? input : input.replace(/"/g, " ");
  for (const m of source.matchAll(re)) out.push(m[1] !== undefined ? { raw: m[1], quoted: true } : { raw: m[2]!, quoted: false });
  return out;
}

export function parseQuery(input: string): ParsedQuery {
  const q: ParsedQuery = { text: [], from: [], mentions: [], in: [], has: [], errors: [] };
  const narrow = (lo: bigint, hi?: bigint) => {
    q.minId = q.minId === undefined || lo > q.minId ? lo : q.minId;
    if (hi !== undefined) q.maxId = q.maxId === undefined || hi < q.maxId ? hi : q.maxId;
  };
  for (const piece of pieces(input.slice(0, MAX_QUERY))) {
    if (q.text.length >= MAX_PARTS) break;
    if (piece.quoted) {
      if (hasTokens(piece.raw)) q.text.push({ kind: "phrase", value: piece.raw });
      continue;
    }
    const filter = /^([a-z]+):(.+)$/i.exec(piece.raw);
    const key = filter?.[1]!.toLowerCase();
    if (filter && (FILTER_KEYS as readonly string[]).includes(key!)) {
      const value = filter[2]!;
      if (key === "from") q.from.push(value);
      else if (key === "mentions") q.mentions.push(value);
      else if (key === "in") q.in.push(value.replace(/^#/, ""));
      else if (key === "has") {
        const kind = value.toLowerCase().replace(/s$/, "");
        if ((HAS_KINDS as readonly string[]).includes(kind)) q.has.push(kind as HasKind);
        else q.errors.push(`has:${value}`);
      } else if (key === "pinned") {
        if (/^(true|yes|1)$/i.test(value)) q.pinned = true;
        else if (/^(false|no|0)$/i.test(value)) q.pinned = false;
        else q.errors.push(`pinned:${value}`);
      } else {
        const range = dateRange(value);
        if (!range) q.errors.push(`${key}:${value}`);
        else if (key === "before") narrow(0n, idAt(range[0]));
        else if (key === "after") narrow(idAt(range[1]));
        else narrow(idAt(range[0]), idAt(range[1]));
      }
      continue;
    }
    const prefix = piece.raw.endsWith("*") ? piece.raw.replace(/\*+$/, "") : null;
    if (prefix !== null && [...prefix].length >= MIN_PREFIX && hasTokens(prefix)) q.text.push({ kind: "prefix", value: prefix });
    else if (hasTokens(piece.raw)) q.text.push({ kind: "word", value: piece.raw });
  }
  return q;
}

/** The words a result should light up: every word of the text parts, with prefix or not. */
export function highlightTerms(text: TextPart[]): { term: string; prefix: boolean }[] {
  return text.flatMap((p) => (p.value.match(/[\p{L}\p{N}]+/gu) ?? []).map((w, i, all) => ({ term: fold(w), prefix: p.kind === "prefix" && i === all.length - 1 })));
}

/** What unicode61 with remove_diacritics 2 compares: lower case, accents gone. */
export function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}
