// Message markdown: the subset Discord users write, rendered to safe HTML on the server.
// Raw HTML is never passed through (it is shown as text), links are only http(s)/mailto and show
// their real address on hover, images are not embedded, code is highlighted by highlight.js
// (which escapes). Mentions arrive as <@id>, <@&id>, <#id> and are resolved by the caller.
import type { HLJSApi } from "highlight.js";
import { Marked, type Tokens, type TokenizerAndRendererExtension } from "marked";

// The highlighter (three dozen grammars) and the emoji table cost memory at start; they are loaded
// the first time a message needs them.
let hljsApi: HLJSApi | undefined;
const highlighter = (): HLJSApi => (hljsApi ??= (require("highlight.js/lib/common") as { default: HLJSApi }).default);
let emojifyFn: ((text: string) => string) | undefined;
const emojifyAll = (text: string): string => (emojifyFn ??= (require("node-emoji") as { emojify: (t: string) => string }).emojify)(text);
// A custom emoji <:name:id> keeps its name: only the text around it gets unicode emoji.
const emojify = (text: string): string => (/:[a-z0-9_+-]+:/i.test(text) ? text.split(CUSTOM_EMOJI_SPLIT).map((part, i) => (i % 2 ? part : emojifyAll(part))).join("") : text);
const CUSTOM_EMOJI_SPLIT = /(<a?:[A-Za-z0-9_]{2,32}:\d{1,20}>)/;

export interface MentionNames {
  user(id: string): string | null;
  role(id: string): string | null;
  channel(id: string): string | null;
}

import { escapeHtml } from "./escape-html.ts";
export { escapeHtml };

function safeUrl(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:" ? url.href : null;
  } catch {
    return null;
  }
}

const link = (url: string, inner: string) => `<a href="${escapeHtml(url)}" title="${escapeHtml(url)}" rel="noopener noreferrer nofollow ugc" target="_blank">${inner}</a>`;

// Discord's __underline__ and ||spoiler|| (marked would read __x__ as bold).
const underline: TokenizerAndRendererExtension = {
  name: "underline",
  level: "inline",
  start: (src) => src.indexOf("__"),
  tokenizer(src) {
    const m = /^__(?=\S)([\s\S]*?\S)__(?!_)/.exec(src);
    if (m) return { type: "underline", raw: m[0], tokens: this.lexer.inlineTokens(m[1]!) };
  },
  renderer(token) {
    return `<u>${this.parser.parseInline(token.tokens ?? [])}</u>`;
  },
};

const spoiler: TokenizerAndRendererExtension = {
  name: "spoiler",
  level: "inline",
  start: (src) => src.indexOf("||"),
  tokenizer(src) {
    const m = /^\|\|(?=\S)([\s\S]*?\S)\|\|/.exec(src);
    if (m) return { type: "spoiler", raw: m[0], tokens: this.lexer.inlineTokens(m[1]!) };
  },
  renderer(token) {
    return `<span class="spoiler" tabindex="0">${this.parser.parseInline(token.tokens ?? [])}</span>`;
  },
};

function mentionExtension(names: MentionNames): TokenizerAndRendererExtension {
  return {
    name: "mention",
    level: "inline",
    start: (src) => src.indexOf("<"),
    tokenizer(src) {
      const m = /^<(@!?|@&|#)(\d{1,20})>/.exec(src);
      if (m) return { type: "mention", raw: m[0], kind: m[1]!.startsWith("@&") ? "role" : m[1]!.startsWith("@") ? "user" : "channel", id: m[2] };
    },
    renderer(token) {
      const { kind, id } = token as unknown as { kind: "user" | "role" | "channel"; id: string };
      const name = names[kind](id);
      const prefix = kind === "channel" ? "#" : "@";
      return `<span class="mention mention-${kind}" data-${kind}-id="${id}">${prefix}${escapeHtml(name ?? (kind === "channel" ? "unknown-channel" : "unknown"))}</span>`;
    },
  };
}

// A server's custom emoji, written <:name:id> (or <a:name:id> when animated) as in Discord: an image
// from our own /emojis route, the name as its text.
const customEmoji: TokenizerAndRendererExtension = {
  name: "customEmoji",
  level: "inline",
  start: (src) => src.search(/<a?:/),
  tokenizer(src) {
    const m = /^<(a?):([A-Za-z0-9_]{2,32}):(\d{1,20})>/.exec(src);
    if (m) return { type: "customEmoji", raw: m[0], animated: m[1] === "a", emojiName: m[2], id: m[3] };
  },
  renderer(token) {
    const { animated, emojiName, id } = token as unknown as { animated: boolean; emojiName: string; id: string };
    return `<img class="emoji custom-emoji" src="/emojis/${id}.${animated ? "gif" : "webp"}" alt=":${emojiName}:" title=":${emojiName}:" width="22" height="22" loading="lazy" draggable="false">`;
  },
};

const everyone: TokenizerAndRendererExtension = {
  name: "everyone",
  level: "inline",
  start: (src) => src.search(/@(everyone|here)\b/),
  tokenizer(src) {
    const m = /^@(everyone|here)\b/.exec(src);
    if (m) return { type: "everyone", raw: m[0], which: m[1] };
  },
  renderer(token) {
    return `<span class="mention mention-everyone">@${(token as unknown as { which: string }).which}</span>`;
  },
};

/** Quotes or lists nested more than 20 deep are shown as plain text (a guard against pathological input). */
const tooDeep = (src: string) => /(^|\n)\s*(>\s*){21,}/.test(src) || /(^|\n)[ \t]*([-*+]|\d+\.)\s+.*\n(?:( {4}|\t){20,})/.test(src);

// One parser for every message (building one costs more than parsing a short message); the
// mention names of the message being rendered are handed to its mention renderer while it runs.
let mentionNames: MentionNames | null = null;
const resolveMention: MentionNames = {
  user: (id) => mentionNames?.user(id) ?? null,
  role: (id) => mentionNames?.role(id) ?? null,
  channel: (id) => mentionNames?.channel(id) ?? null,
};
let parser: Marked | undefined;
function markdownParser(): Marked {
  if (parser) return parser;
  parser = new Marked({ gfm: true, breaks: true, async: false });
  parser.use({
    extensions: [underline, spoiler, mentionExtension(resolveMention), customEmoji, everyone],
    renderer: {
      html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
      image: (token: Tokens.Image) => {
        const url = safeUrl(token.href);
        return url ? link(url, escapeHtml(token.text || url)) : escapeHtml(token.raw);
      },
      link(token: Tokens.Link) {
        const url = safeUrl(token.href);
        return url ? link(url, this.parser.parseInline(token.tokens)) : escapeHtml(token.raw);
      },
      heading(token: Tokens.Heading) {
        const inner = this.parser.parseInline(token.tokens);
        return token.depth <= 3 ? `<h${token.depth + 2} class="md-h${token.depth}">${inner}</h${token.depth + 2}>` : `<p>${escapeHtml(token.raw.trim())}</p>`;
      },
      code(token: Tokens.Code) {
        const lang = (token.lang ?? "").trim().split(/\s/)[0]!.toLowerCase();
        const hl = lang ? highlighter() : undefined;
        const body = hl && hl.getLanguage(lang) ? hl.highlight(token.text, { language: lang, ignoreIllegals: true }).value : escapeHtml(token.text);
        return `<pre class="code-block"><code class="hljs${lang ? ` language-${escapeHtml(lang)}` : ""}">${body}</code></pre>`;
      },
    },
  });
  return parser;
}

/**
 * One line of words, digits, spaces and , . ? ! ' " only: no markdown, link, mention or emoji
 * syntax can start in it, so marked would return it escaped in a <p>. Not a list ("1. x"), no
 * www. autolink, no leading or trailing space. (markdown.test.ts checks this against marked.)
 */
const PLAIN = /^[\p{L}\p{N}](?:[\p{L}\p{N} ,.?!'"]*[\p{L}\p{N},.?!'"])?$/u;
export const isPlainText = (src: string): boolean => PLAIN.test(src) && !/^\d+\./.test(src) && !/www\./i.test(src);

export function renderMarkdown(src: string, names: MentionNames): string {
  return isPlainText(src) ? `<p>${escapeHtml(src)}</p>` : renderWithMarked(src, names);
}

/** Always through marked (exported so the tests can hold the plain-text shortcut to it). */
export function renderWithMarked(src: string, names: MentionNames): string {
  const text = emojify(src);
  if (tooDeep(text)) return `<p>${escapeHtml(text).replace(/\n/g, "<br>")}</p>`;
  const previous = mentionNames;
  mentionNames = names;
  try {
    return (markdownParser().parse(text) as string).trim();
  } finally {
    mentionNames = previous;
  }
}
