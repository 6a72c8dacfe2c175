import { describe, expect, test } from "bun:test";
import { isPlainText, renderMarkdown, renderWithMarked } from "./markdown.ts";

const names = { user: (id: string) => (id === "1" ? "Zoé <b>" : null), role: () => "Mods", channel: () => "général" };
const md = (s: string) => renderMarkdown(s, names);

describe("message markdown", () => {
  test("renders Discord's subset", () => {
    expect(md("**b** *i* __u__ ~~s~~ ||spoiler|| `code` :tada:")).toBe('<p><strong>b</strong> <em>i</em> <u>u</u> <del>s</del> <span class="spoiler" tabindex="0">spoiler</span> <code>code</code> 🎉</p>');
    expect(md("```js\nconst a = '<b>';\n```")).toContain('<span class="hljs-keyword">const</span>');
    expect(md("> quoted")).toContain("<blockquote>");
    expect(md("# Title")).toBe('<h3 class="md-h1">Title</h3>');
  });

  test("raw HTML, scripts, hx-* attributes and javascript: links stay text", () => {
    for (const evil of ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a hx-get='/admin'>x</a>", '<svg onload="alert(1)">']) {
      const html = md(evil);
      expect(html).not.toMatch(/<(script|img|a|svg)\b/);
    }
    expect(md("[click](javascript:alert(1))")).not.toContain("<a ");
    expect(md("![x](https://example.org/i.png)")).not.toContain("<img");
  });

  test("links show their real address on hover and open safely", () => {
    expect(md("[docs](https://example.org/a)")).toBe('<p><a href="https://example.org/a" title="https://example.org/a" rel="noopener noreferrer nofollow ugc" target="_blank">docs</a></p>');
    expect(md("see https://auto.link/x")).toContain('href="https://auto.link/x"');
  });

  test("mentions resolve to escaped names; unknown ones say so", () => {
    expect(md("<@1> <@&2> <#3> <@99> @everyone")).toBe(
      '<p><span class="mention mention-user" data-user-id="1">@Zoé &lt;b&gt;</span> <span class="mention mention-role" data-role-id="2">@Mods</span> <span class="mention mention-channel" data-channel-id="3">#général</span> <span class="mention mention-user" data-user-id="99">@unknown</span> <span class="mention mention-everyone">@everyone</span></p>',
    );
  });

  test("pathological nesting is shown as text quickly", () => {
    const started = performance.now();
    const html = md(`${">".repeat(3000)} deep\n${"  - x\n".repeat(500)}`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(html).not.toContain("<blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote><blockquote>");
  });
});

describe("plain-text shortcut", () => {
  test("gives exactly what marked gives, for plain text and for near misses", () => {
    const alphabet = ["a", "Z", "é", "日", "1", "9", " ", " ", ",", ".", "?", "!", "'", '"', "-", "*", "_", ":", "@", "#", ">", "<", "&", "|", "~", "`", "[", "(", "\n", "www.", "http://x.y", "1. ", "=", "+", "\\"];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let plain = 0;
    for (let i = 0; i < 5000; i++) {
      const len = 1 + rand(14);
      let s = "";
      for (let j = 0; j < len; j++) s += alphabet[rand(i % 2 ? 14 : alphabet.length)];
      if (isPlainText(s)) plain++;
      expect(renderMarkdown(s, names)).toBe(renderWithMarked(s, names));
    }
    for (const s of ["bench message r1s0n0 from sender 0", "Hello, world!", "it's \"fine\"", "2024 was great.", "1. item", "3.14 is pi", "visit www.example.org", "WWW.X.org now", "ça va? très bien!"]) {
      expect(renderMarkdown(s, names)).toBe(renderWithMarked(s, names));
    }
    expect(plain).toBeGreaterThan(500);
  });
});
