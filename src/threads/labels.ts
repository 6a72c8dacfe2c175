// The words of the "N replies" summary, as a stylesheet in the reader's language. The summary is
// rendered once and the same bytes go to every browser on the channel (hub render-once), so it
// carries only the number; each page's own stylesheet says "reply"/"replies" or
// "réponse"/"réponses" around it, with the language's plural rule.
import type { Locale, Translate } from "../i18n/index.ts";

const css = (text: string) => `"${text.replace(/[\\"]/g, "\\$&").replace(/[\n\r]/g, " ")}"`;

function around(t: Translate, key: "thread.replies.one" | "thread.replies.other"): { before: string; after: string } {
  const [before = "", after = ""] = t(key).split("{count}");
  return { before, after };
}

export function threadLabelsCss(t: Translate, locale: Locale): string {
  const rule = (selector: string, words: { before: string; after: string }) =>
    `${selector}::before { content: ${css(words.before)}; }\n${selector}::after { content: ${css(words.after)}; }`;
  const out = [rule(".thread-summary-count", around(t, "thread.replies.other"))];
  // The counts a language calls "one" (1 in English; 0 and 1 in French) among those a summary can show.
  const plural = new Intl.PluralRules(locale);
  for (const n of [0, 1]) if (plural.select(n) === "one") out.push(rule(`.thread-summary-count[data-count="${n}"]`, around(t, "thread.replies.one")));
  return `${out.join("\n")}\n`;
}
