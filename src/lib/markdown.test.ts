import { describe, expect, test } from "bun:test";
import { renderMarkdown } from "./markdown.ts";

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
