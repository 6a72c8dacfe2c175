import { raw } from "hono/html";
import { escapeHtml } from "../../src/lib/escape-html.ts";

const CUSTOM = /^([A-Za-z0-9_]{2,32}):(\d{1,20})$/;

/** An emoji as stored in a reaction, as HTML: unicode as text, a custom one (name:id) as its image. */
export function emojiGlyphHtml(emoji: string): string {
  const custom = CUSTOM.exec(emoji);
  if (!custom) return escapeHtml(emoji);
  // /emojis/{id}.webp answers with the stored image whatever it is (static WebP or animated GIF).
  return `<img class="emoji custom-emoji" src="/emojis/${custom[2]}.webp" alt=":${custom[1]}:" title=":${custom[1]}:" width="18" height="18" loading="lazy"/>`;
}

export function EmojiGlyph(props: { emoji: string }) {
  return raw(emojiGlyphHtml(props.emoji));
}
