// Which links of a message get a preview: the first three distinct http(s) URLs, as Discord does,
// except those written <like this> (Discord's way to post a link without a preview) and those
// inside code.
export const MAX_PREVIEWS = 3;

// Trailing punctuation is prose, not URL; a closing parenthesis is kept when the URL opened one.
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last && ".,:;!?'\"*_~|".includes(last)) url = url.slice(0, -1);
    else if (last === ")" && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
    else return url;
  }
}

export function previewLinks(content: string): string[] {
  if (!content.includes("http")) return [];
  const prose = content.replace(/```[\s\S]*?```/g, " ").replace(/`[^`\n]*`/g, " ");
  const found: string[] = [];
  for (const m of prose.matchAll(/(<?)(https?:\/\/[^\s<>]{1,2000})(>?)/gi)) {
    if (m[1] === "<" && m[3] === ">") continue;
    const url = trimUrl(m[2]!);
    if (!URL.canParse(url) || found.includes(url)) continue;
    found.push(url);
    if (found.length === MAX_PREVIEWS) break;
  }
  return found;
}
