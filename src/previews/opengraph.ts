// A link preview from a page's OpenGraph and Twitter-card tags (falling back to <title> and the
// description meta). Parsed with Bun's built-in HTMLRewriter (a streaming parser, part of the
// runtime, so it is in the compiled binary); attribute and text values come back raw, so entities
// are decoded with the `entities` library. Nothing from the page is trusted as HTML: it becomes
// plain strings that JSX escapes, and only http(s) image URLs are kept.
import { decodeHTML } from "entities";
import type { Embed } from "../embeds/service.ts";

const DESCRIPTION_MAX = 350;
const clip = (s: string | undefined, max: number) => {
  const text = s?.replace(/\s+/g, " ").trim();
  if (!text) return undefined;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

function absoluteHttp(value: string | undefined, base: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export async function parsePreview(html: string, pageUrl: string, linkUrl: string): Promise<Embed | null> {
  const meta = new Map<string, string>();
  let title = "";
  await new HTMLRewriter()
    .on("meta", {
      element(el) {
        const key = (el.getAttribute("property") ?? el.getAttribute("name") ?? "").toLowerCase();
        const content = el.getAttribute("content");
        if (key && content !== null && !meta.has(key)) meta.set(key, decodeHTML(content));
      },
    })
    .on("head title", {
      text(chunk) {
        if (title.length < 1000) title += chunk.text;
      },
    })
    .transform(new Response(html))
    .text();
  const get = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v && v.trim());
  const image = absoluteHttp(get("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"), pageUrl);
  const embed: Embed = {
    type: "link",
    url: linkUrl,
    title: clip(get("og:title", "twitter:title") ?? decodeHTML(title), 256),
    description: clip(get("og:description", "twitter:description", "description"), DESCRIPTION_MAX),
  };
  const site = clip(get("og:site_name", "application-name"), 256);
  if (site) embed.provider = { name: site };
  if (image) {
    // A large card only when the page asks for one, as Discord does; otherwise a thumbnail.
    if (get("twitter:card") === "summary_large_image") embed.image = { url: image };
    else embed.thumbnail = { url: image };
  }
  const theme = /^#([0-9a-f]{6})$/i.exec(get("theme-color")?.trim() ?? "");
  if (theme) embed.color = parseInt(theme[1]!, 16);
  if (!embed.title && !embed.description && !image) return null;
  return Object.fromEntries(Object.entries(embed).filter(([, v]) => v !== undefined)) as Embed;
}
