// The preset word lists shipped in the repo (presets/en.txt, presets/fr.txt; see presets/NOTICE),
// as Discord's KEYWORD_PRESET presets: 1 profanity, 2 sexual content, 3 slurs. Both languages
// apply together: servers mix them. Each set of presets compiles to one regex, once.
import en from "./presets/en.txt" with { type: "text" };
import fr from "./presets/fr.txt" with { type: "text" };
import { keywordSource } from "./keywords.ts";

const CATEGORY: Record<string, number> = { profanity: 1, sexual: 2, slurs: 3 };

function parse(list: string): [number, string][] {
  const out: [number, string][] = [];
  for (const line of list.split("\n")) {
    const m = /^(\w+)\s+(.+)$/.exec(line.trim());
    if (!m || line.startsWith("#")) continue;
    const category = CATEGORY[m[1]!];
    if (category) out.push([category, m[2]!.trim()]);
  }
  return out;
}

const words = [...parse(en), ...parse(fr)];
const compiled = new Map<string, RegExp | null>();

/** One regex for these presets (null when none of them has words). */
export function presetPattern(presets: number[]): RegExp | null {
  const key = [...new Set(presets)].sort().join(",");
  if (!compiled.has(key)) {
    const chosen = words.filter(([c]) => presets.includes(c)).map(([, w]) => keywordSource(w));
    compiled.set(key, chosen.length ? new RegExp(chosen.join("|"), "giu") : null);
  }
  return compiled.get(key)!;
}

/** How many words each preset has (for the settings page). */
export const presetSizes = (): Record<number, number> => Object.fromEntries([1, 2, 3].map((c) => [c, words.filter(([w]) => w === c).length]));
