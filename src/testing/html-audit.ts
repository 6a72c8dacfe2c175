// An HTML auditor for injection tests: parses a page or fragment with Bun's HTMLRewriter and lists
// every place a payload marker reached an element name, an on* / hx-* attribute, a URL, an inline
// script, or text outside hx-ignore.
import { expect } from "bun:test";
import { MARK } from "./bad-input-cast.ts";

const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "cite", "srcset", "ping", "lowsrc"]);
/** What markdown may produce inside user content, and the attributes it may carry. */
const CONTENT_TAGS = new Set(["p", "br", "strong", "em", "u", "s", "del", "code", "pre", "span", "a", "blockquote", "ul", "ol", "li", "h3", "h4", "h5", "hr", "table", "thead", "tbody", "tr", "th", "td", "input"]);
const CONTENT_ATTRS = new Set(["class", "href", "title", "rel", "target", "tabindex", "start", "align", "checked", "disabled", "type", "aria-hidden", "data-user-id", "data-role-id", "data-channel-id"]);
const NAMED: Record<string, string> = { colon: ":", tab: "\t", newline: "\n", quot: '"', apos: "'", lt: "<", gt: ">", amp: "&" };
const codePoint = (n: number) => (n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "");
const decodeEntities = (v: string) =>
  v
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => codePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => codePoint(Number(d)))
    .replace(/&(colon|tab|newline|quot|apos|lt|gt|amp);/gi, (_, n: string) => NAMED[n.toLowerCase()]!);
/** A URL attribute a browser would run or load from an unsafe scheme. */
function unsafeUrl(value: string): boolean {
  const cleaned = decodeEntities(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  return scheme !== undefined && !["http", "https", "mailto"].includes(scheme);
}

/**
 * Parse HTML as a browser's tokenizer would (Bun's HTMLRewriter) and list every way user input
 * could run: a tag or attribute named by the payload, an on* or hx-on handler, an hx-* attribute
 * carrying the payload, an unsafe URL scheme, an inline or foreign script, a frame or object,
 * markup inside user content beyond the markdown subset, and payload text outside hx-ignore.
 */
export async function audit(html: string): Promise<string[]> {
  const problems: string[] = [];
  const stack: { ignore: boolean; content: boolean; rawText: boolean }[] = [];
  let exposed = "";
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        const name = el.tagName.toLowerCase();
        const attrs = [...el.attributes] as [string, string][];
        const where = `<${name}${attrs.map(([k, v]) => ` ${k}="${v}"`).join("")}>`;
        const inContent = stack.some((s) => s.content);
        if (name.includes(MARK)) problems.push(`element named by the payload: ${where}`);
        if (name === "script" && !/^\/[^/]/.test(el.getAttribute("src") ?? "")) problems.push(`inline or foreign script: ${where}`);
        if (["iframe", "frame", "frameset", "object", "embed", "applet", "base"].includes(name)) problems.push(`embedding element: ${where}`);
        if (name === "meta" && /refresh/i.test(el.getAttribute("http-equiv") ?? "")) problems.push(`meta refresh: ${where}`);
        if (inContent && (!CONTENT_TAGS.has(name) || (name === "input" && !(el.getAttribute("type") === "checkbox" && el.hasAttribute("disabled"))))) problems.push(`markup in user content beyond markdown: ${where}`);
        for (const [k, v] of attrs) {
          const key = k.toLowerCase();
          if (key.includes(MARK)) problems.push(`attribute named by the payload: ${where}`);
          if (key.startsWith("on")) problems.push(`event handler attribute: ${where}`);
          if (key.startsWith("hx-on") || key.startsWith("data-hx-on")) problems.push(`htmx inline handler: ${where}`);
          if ((key.startsWith("hx-") || key.startsWith("data-hx-")) && v.includes(MARK)) problems.push(`htmx attribute carrying the payload: ${where}`);
          if (URL_ATTRS.has(key) && unsafeUrl(v)) problems.push(`unsafe URL: ${where}`);
          if (key === "style" && v.includes(MARK)) problems.push(`style carrying the payload: ${where}`);
          if (inContent && !CONTENT_ATTRS.has(key)) problems.push(`attribute in user content beyond markdown: ${where}`);
        }
        if (el.canHaveContent) {
          stack.push({ ignore: el.hasAttribute("hx-ignore") || el.hasAttribute("data-hx-ignore"), content: /\b(message-content|reply-quote)\b/.test(el.getAttribute("class") ?? ""), rawText: name === "textarea" || name === "title" });
          el.onEndTag(() => void stack.pop());
        }
      },
      text(t) {
        if (stack.some((s) => s.ignore || s.rawText)) return;
        exposed += t.text;
        if (t.lastInTextNode) exposed += "\n";
      },
    })
    .transform(new Response(html))
    .text();
  for (const line of exposed.split("\n")) if (line.includes(MARK)) problems.push(`payload text outside hx-ignore: ${line.trim().slice(0, 160)}`);
  return problems;
}

export async function expectSafe(what: string, html: string): Promise<void> {
  expect({ what, problems: await audit(html) }).toEqual({ what, problems: [] });
}

