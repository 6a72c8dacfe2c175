// Discord's keyword syntax as a regular expression source: built from escaped literals only.
export const WORD = "[\\p{L}\\p{N}_]";
export const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Discord's keyword wildcards: `cat` whole word, `cat*` prefix, `*cat` suffix, `*cat*` anywhere. */
export function keywordSource(keyword: string): string {
  const k = keyword.trim();
  const left = k.startsWith("*") ? "" : `(?<!${WORD})`;
  const right = k.endsWith("*") ? `${WORD}*` : `(?!${WORD})`;
  const body = k.replace(/^\*+|\*+$/g, "");
  // A leading wildcard needs no pattern of its own (any start is allowed): a `\p{L}*` there would
  // backtrack over long words.
  return `${left}${body.split("*").map(escape).join(`${WORD}*`)}${right}`;
}

