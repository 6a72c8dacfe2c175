// Slack's incoming-webhook payload, turned into a message: `text` and the text of `blocks` become
// the content (Slack's mrkdwn rewritten as markdown), legacy `attachments` become embeds.
import { z } from "zod";
import type { EmbedInput } from "../embeds/schema.ts";

const textObject = z.object({ type: z.string().max(20).optional(), text: z.string().max(3000) });
const block = z.looseObject({
  type: z.string().max(30),
  text: textObject.optional(),
  fields: z.array(textObject).max(10).optional(),
  elements: z.array(z.looseObject({ type: z.string().max(30).optional(), text: z.union([z.string().max(3000), textObject]).optional() })).max(10).optional(),
});
const attachment = z.looseObject({
  fallback: z.string().max(3000).optional(),
  color: z.string().max(20).optional(),
  pretext: z.string().max(3000).optional(),
  author_name: z.string().max(256).optional(),
  author_link: z.string().max(2048).optional(),
  author_icon: z.string().max(2048).optional(),
  title: z.string().max(256).optional(),
  title_link: z.string().max(2048).optional(),
  text: z.string().max(4000).optional(),
  fields: z.array(z.object({ title: z.string().max(256).optional(), value: z.string().max(1024).optional(), short: z.boolean().optional() })).max(25).optional(),
  image_url: z.string().max(2048).optional(),
  thumb_url: z.string().max(2048).optional(),
  footer: z.string().max(2048).optional(),
  ts: z.union([z.number(), z.string().max(20)]).optional(),
});
export const slackPayload = z.looseObject({
  text: z.string().max(40_000).optional(),
  blocks: z.array(block).max(50).optional(),
  attachments: z.array(attachment).max(10).optional(),
  username: z.string().max(80).optional(),
  icon_url: z.string().max(2048).optional(),
});
export type SlackPayload = z.infer<typeof slackPayload>;

/** Slack mrkdwn → markdown: <url|label> links, <url>, *bold*, ~strike~, <!here>/<!channel>. */
export function mrkdwn(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, "[$2]($1)")
    .replace(/<(https?:\/\/[^>\s]+)>/g, "$1")
    .replace(/<!(here|channel|everyone)>/g, "@$1")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?])/g, "$1**$2**")
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?])/g, "$1~~$2~~")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const http = (u: string | undefined) => (u && /^https?:\/\//.test(u) && URL.canParse(u) ? u : undefined);
const color = (c: string | undefined) => {
  const named: Record<string, number> = { good: 0x2eb67d, warning: 0xecb22e, danger: 0xe01e5a };
  if (!c) return undefined;
  if (named[c] !== undefined) return named[c];
  return /^#?[0-9a-f]{6}$/i.test(c) ? parseInt(c.replace("#", ""), 16) : undefined;
};

function blockText(b: z.infer<typeof block>): string[] {
  switch (b.type) {
    case "header":
      return b.text ? [`**${b.text.text}**`] : [];
    case "divider":
      return ["───"];
    case "section":
      return [...(b.text ? [mrkdwn(b.text.text)] : []), ...(b.fields ?? []).map((f) => mrkdwn(f.text))];
    case "context":
      return [(b.elements ?? []).flatMap((e) => (typeof e.text === "string" ? [e.text] : e.text ? [e.text.text] : [])).map(mrkdwn).join(" · ")].filter(Boolean);
    default:
      return b.text ? [mrkdwn(b.text.text)] : [];
  }
}

export function fromSlack(p: SlackPayload): { content: string; embeds: EmbedInput[]; username?: string; avatarUrl?: string } {
  const lines = [...(p.text ? [mrkdwn(p.text)] : []), ...(p.blocks ?? []).flatMap(blockText), ...(p.attachments ?? []).flatMap((a) => (a.pretext ? [mrkdwn(a.pretext)] : []))];
  const embeds = (p.attachments ?? []).map((a): EmbedInput => {
    const e: EmbedInput = {
      title: a.title?.slice(0, 256),
      url: http(a.title_link),
      description: a.text ? mrkdwn(a.text).slice(0, 4096) : a.title || a.fields?.length ? undefined : a.fallback?.slice(0, 4096),
      color: color(a.color),
      fields: a.fields?.filter((f) => f.title || f.value).map((f) => ({ name: f.title || "\u200b", value: mrkdwn(f.value || "\u200b").slice(0, 1024), inline: f.short ?? false })),
      image: http(a.image_url) ? { url: a.image_url! } : undefined,
      thumbnail: http(a.thumb_url) ? { url: a.thumb_url! } : undefined,
      footer: a.footer ? { text: a.footer.slice(0, 2048) } : undefined,
      author: a.author_name ? { name: a.author_name.slice(0, 256), url: http(a.author_link), icon_url: http(a.author_icon) } : undefined,
      timestamp: a.ts !== undefined && Number.isFinite(Number(a.ts)) ? new Date(Number(a.ts) * 1000).toISOString() : undefined,
    };
    return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as EmbedInput;
  });
  return { content: lines.join("\n").slice(0, 4000), embeds: embeds.filter((e) => Object.keys(e).length > 0).slice(0, 10), username: p.username, avatarUrl: http(p.icon_url) };
}
