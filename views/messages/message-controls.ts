// The controls every message carries (reaction chips, quick reactions, the hover actions), built
// as strings: they are most of a message's elements, and hono's JSX spent ~40 µs on the six quick
// reactions of each message alone (a plain string: 3 µs). Same markup as the JSX they replace.
import { raw } from "hono/html";
import type { RenderedMessage } from "../../src/messages/render.ts";
import { escapeHtml as e } from "../../src/lib/escape-html.ts";
import { emojiGlyphHtml } from "../emoji/glyph.tsx";

const QUICK = ["👍", "❤️", "😂", "🎉", "😮", "😢"];
function chip(action: string, emoji: string, extra: { count?: number; reactors?: string; names?: string; cls: string }): string {
  const reactors = extra.reactors !== undefined ? ` data-reactors="${e(extra.reactors)}"` : "";
  const title = extra.names !== undefined ? ` title="${e(extra.names)}"` : "";
  const count = extra.count ? `<span class="reaction-count">${extra.count}</span>` : "";
  return `<form method="post" action="${action}" hx-post="${action}" hx-swap="none" class="reaction-form"><input type="hidden" name="emoji" value="${e(emoji)}"/><button type="submit" class="${extra.cls}"${reactors}${title} aria-pressed="false">${emojiGlyphHtml(emoji)}${count}</button></form>`;
}

/** Reaction chips (click toggles yours) and a few quick ones to add; yours are marked by /me.css. */
export function Reactions(props: { r: RenderedMessage }) {
  const { message: m, reactions } = props.r;
  const action = e(`/channels/${m.channelId}/messages/${m.id}/reactions`);
  let out = `<div class="reactions">`;
  for (const x of reactions) out += chip(action, x.emoji, { count: x.count, reactors: x.userIds.join(" "), names: x.names.join(", "), cls: "reaction" });
  out += `<span class="reaction-quick">`;
  for (const q of QUICK) if (!reactions.some((x) => x.emoji === q)) out += chip(action, q, { cls: "reaction quick" });
  out += `</span><button type="button" class="reaction quick add-reaction" data-emoji-react="${action}" aria-labelledby="label-add-reaction">+</button></div>`;
  return raw(out);
}

/** Buttons on hover: reply, edit (author), pin (PIN_MESSAGES, via .can-pin on the list), delete. */
export function Actions(props: { r: RenderedMessage }) {
  const m = props.r.message;
  const base = e(`/channels/${m.channelId}/messages/${m.id}`);
  return raw(
    `<div class="message-actions" role="group" aria-labelledby="label-actions">` +
      `<button type="button" class="link-button" data-reply="${e(m.id)}" data-reply-name="${e(props.r.authorName)}" aria-labelledby="label-reply">↩</button>` +
      `<button type="button" class="link-button own-only" data-edit="${e(m.id)}" hx-get="${base}/edit" hx-target="#edit-${e(m.id)}" hx-swap="innerHTML" aria-labelledby="label-edit">✎</button>` +
      `<form method="post" action="${base}/pin" hx-post="${base}/pin" hx-swap="none" class="pin-only"><button type="submit" class="link-button" aria-labelledby="${m.pinned ? "label-unpin" : "label-pin"}">📌</button></form>` +
      `<a class="link-button" href="${base}/moderate" aria-labelledby="label-moderate">⚑</a>` +
      `<form method="post" action="${base}/delete" hx-post="${base}/delete" hx-swap="none" class="own-or-manage"><button type="submit" class="link-button" aria-labelledby="label-delete">🗑</button></form>` +
      `</div>`,
  );
}
