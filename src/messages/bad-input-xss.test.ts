// The bad-input list of ../shared/SECURITY.md swept across every message route, part xss:
// XSS and htmx attributes in content and names, checked on every page, fragment and live frame.
// The cast and helpers are in src/testing/bad-input-cast.ts, the HTML auditor in src/testing/html-audit.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../testing/accounts.ts";
import { json } from "../testing/guilds.ts";
import { ALICE_NAME, ALICE_NICK, BOB_NAME, app, alice, bob, browserPost, carol, dmId, g, page, send, setUpCast, snapshot, type Msg } from "../testing/bad-input-cast.ts";
import { audit, expectSafe } from "../testing/html-audit.ts";

beforeAll(setUpCast);
afterAll(() => app.close());

describe("XSS and htmx attributes", () => {
  const PAYLOADS = [
    "<script>pwn()</script>",
    "<img src=x onerror=pwn()>",
    "<svg onload=pwn()>",
    "<svg><script>pwn()</script></svg>",
    '<iframe src="javascript:pwn()"></iframe>',
    '<a href="javascript:pwn()">pwn</a>',
    "[pwn](javascript:pwn())",
    "[pwn](JaVaScRiPt:pwn())",
    "[pwn](&#106;avascript:pwn())",
    "[pwn](java\tscript:pwn())",
    "[pwn](data:text/html,<script>pwn()</script>)",
    "[pwn](vbscript:pwn)",
    '[pwn](https://example.com "title" onmouseover="pwn()")',
    "![pwn](javascript:pwn())",
    "<javascript:pwn()>",
    '<div hx-get="/pwn" hx-trigger="load">pwn</div>',
    '<button hx-post="/pwn" hx-trigger="click" hx-target="body">pwn</button>',
    '<span hx-on:click="pwn()" hx-on::load="pwn()">x</span>',
    '<b data-hx-get="/pwn" data-hx-trigger="load">pwn</b>',
    '<hx-partial hx-target="#messages" hx-swap="innerHTML">pwn</hx-partial>',
    '<form action="/pwn" method="post"><input name="pwn"></form>',
    "\"><img src=x onerror=pwn()>",
    "' onmouseover='pwn()' x='",
    "`<img src=x onerror=pwn()>`",
    "```js\n</code></pre><script>pwn()</script>\n```",
    '```"><img src=x onerror=pwn()>\npwn\n```',
    "<style>body{background:url(javascript:pwn())}</style>",
    '<math><mi xlink:href="javascript:pwn()">x</mi></math>',
    '<@1"onmouseover=pwn()> <#1 hx-get=/pwn>',
    "@everyone <script>pwn()</script>",
    "||<img src=x onerror=pwn()>||",
    "__<svg onload=pwn()>__",
    "> <img src=x onerror=pwn()>",
    "# <script>pwn()</script>",
    "- [x] <img src=x onerror=pwn()>",
    "| a |\n|---|\n| <script>pwn()</script> |",
    ":smile:<script>pwn()</script>",
    "<!-- pwn --><![CDATA[<script>pwn()</script>]]>",
    "&lt;script&gt;pwn()&lt;/script&gt;",
    "<a href=https://example.com/\"onmouseover=pwn()>x</a>",
    "<base href=https://evil.example/pwn/>",
    '<meta http-equiv="refresh" content="0;url=javascript:pwn()">',
  ];

  test("every payload as a message, as names in replies, mentions, reactions and pins, renders inert on the page, the history fragment, the pins popover, the edit form and the live frame", async () => {
    const tab = new WebSocket(`${app.url.replace("http", "ws")}/ws?channel=${g.generalId}`, { headers: { Cookie: carol.cookie, Origin: app.url } } as never);
    const frames: string[] = [];
    tab.onmessage = (e) => frames.push(String(e.data));
    await new Promise((resolve, reject) => {
      tab.onopen = resolve;
      tab.onerror = reject;
    });
    const sent: Msg[] = [];
    for (const p of PAYLOADS) {
      const m = await send(alice, p);
      expect(m.content).toBe(p.trim());
      sent.push(m);
    }
    // Names: a reply quotes alice (nickname), bob (display name) mentions her, alice's payload is pinned and reacted to.
    const reply = await send(bob, `<@${alice.user.id}> <img src=x onerror=pwn()>`, { message_reference: { message_id: sent[0]!.id }, allowed_mentions: { replied_user: true } });
    await send(carol, "carol's <svg onload=pwn()> turn");
    for (const m of sent.slice(0, 5)) expect((await api(app, "PUT", `/channels/${g.generalId}/pins/${m.id}`, undefined, g.owner.bearer)).status).toBe(204);
    for (const who of [alice, bob, carol]) expect((await api(app, "PUT", `/channels/${g.generalId}/messages/${sent[1]!.id}/reactions/%F0%9F%91%8D/@me`, undefined, who.bearer)).status).toBe(204);
    const edited = await json<Msg>(await api(app, "PATCH", `/channels/${g.generalId}/messages/${sent[2]!.id}`, { content: '<img src=x onerror=pwn()> hx-get="/pwn" edited' }, alice.bearer));
    expect(edited.content).toContain("onerror=pwn()");
    await Bun.sleep(150);

    const channelPage = await (await page(`/channels/${g.guildId}/${g.generalId}`, carol)).text();
    for (const m of [...sent, reply]) expect(channelPage).toContain(`id="m-${m.id}"`);
    // The names are there, escaped.
    expect(channelPage).toContain("&quot;&gt;&lt;svg onload=pwn() hx-get=/pwn&gt;");
    expect(channelPage).toContain("&lt;hx-partial hx-target=body&gt;pwn");
    await expectSafe("channel page", channelPage);
    const history = await (await page(`/channels/${g.generalId}/history?before=${reply.id}`, carol)).text();
    expect(history).toContain(`id="m-${sent[0]!.id}"`);
    await expectSafe("history fragment", history);
    const newest = await (await page(`/channels/${g.generalId}/history`, carol)).text();
    await expectSafe("newest history fragment", newest);
    const pins = await (await page(`/channels/${g.generalId}/pins`, carol)).text();
    expect(pins).toContain(`data-jump="${sent[0]!.id}"`);
    await expectSafe("pins popover", pins);
    for (const m of sent.slice(0, 8)) {
      const form = await page(`/channels/${g.generalId}/messages/${m.id}/edit`, alice);
      expect(form.status).toBe(200);
      await expectSafe(`edit form of ${m.content}`, await form.text());
    }

    const messageFrames = frames.filter((f) => f.startsWith('<hx-partial hx-target="#m'));
    expect(messageFrames.length).toBeGreaterThanOrEqual(PAYLOADS.length + 2);
    for (const f of frames) {
      await expectSafe(`live frame ${f.slice(0, 80)}`, f);
      let partials = 0;
      await new HTMLRewriter().on("hx-partial", { element: () => void partials++ }).transform(new Response(f)).text();
      // A frame is one or more <hx-partial> wrappers, and each is ours: never one smuggled in by content.
      expect(partials).toBe(f.split("</hx-partial>").length - 1);
    }
    for (const m of sent) expect(messageFrames.some((f) => f.includes(`id="m-${m.id}"`))).toBe(true);
    tab.close();
  });

  test("a DM page shows the partner's hostile display name inert and inside hx-ignore, composer label included", async () => {
    const m = await send(alice, "<img src=x onerror=pwn()> in a DM", {}, dmId);
    const dmPage = await (await page(`/channels/@me/${dmId}`, bob)).text();
    expect(dmPage).toContain(`id="m-${m.id}"`);
    await expectSafe("DM page with alice's name", dmPage);
  });

  test("the API returns content and names as data, never as markup", async () => {
    const m = await send(alice, "<script>pwn()</script>");
    const res = await api(app, "GET", `/channels/${g.generalId}/messages/${m.id}`, undefined, carol.bearer);
    expect(res.headers.get("content-type")).toStartWith("application/json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const got = await json<Msg & { author: { global_name: string } }>(res);
    expect(got.content).toBe("<script>pwn()</script>");
    expect(got.author.global_name).toBe(ALICE_NAME);
  });

  test("reaction emoji that are markup, quotes, URLs or text are refused on every reaction route and never stored", async () => {
    const m = await send(carol, "react to me");
    const before = snapshot(m.id);
    const bad = ["<script>", "%3Cscript%3Epwn()%3C%2Fscript%3E", "%3Cimg%20src%3Dx%20onerror%3Dpwn()%3E", "%22onmouseover%3Dpwn()", "'", "%26lt%3B", "javascript%3Apwn()", "hx-get%3D%2Fpwn", "pwn", "%F0%9F%91%8D%20x", "%F0%9F%91%8D%00", "%", "%ZZ", "%F0%9F%91%8D".repeat(17), "a".repeat(300), "%2e%2e%2f%F0%9F%91%8D", "..%5c%F0%9F%91%8D"];
    const seen: string[] = [];
    for (const e of bad) {
      for (const [method, path] of [["PUT", `/channels/${g.generalId}/messages/${m.id}/reactions/${e}/@me`], ["DELETE", `/channels/${g.generalId}/messages/${m.id}/reactions/${e}/@me`], ["GET", `/channels/${g.generalId}/messages/${m.id}/reactions/${e}`]] as const) {
        const status = (await api(app, method, path, undefined, alice.bearer)).status;
        if (![400, 404].includes(status)) seen.push(`${method} ${e} -> ${status}`);
      }
    }
    for (const e of ["<script>pwn()</script>", '"><img src=x onerror=pwn()>', "hx-get=/pwn", "%F0%9F%91%8D", "👍 <b>", "x".repeat(101), " ", ""]) {
      const status = (await browserPost(`/channels/${g.generalId}/messages/${m.id}/reactions`, alice, new URLSearchParams({ emoji: e }))).status;
      if (status !== 400) seen.push(`form ${JSON.stringify(e)} -> ${status}`);
    }
    expect(seen).toEqual([]);
    expect(snapshot(m.id)).toBe(before);
  });

  test("a reaction emoji carrying a bidi override (U+202E) or other invisible format character is refused", async () => {
    const m = await send(carol, "bidi target");
    const before = snapshot(m.id);
    const seen: string[] = [];
    for (const e of ["%E2%80%AE%F0%9F%91%8D", "%F0%9F%91%8D%E2%80%AE", "%E2%81%A6%F0%9F%91%8D", "%E2%80%8F%F0%9F%91%8D", "%F0%9F%91%8D%E2%80%8B"]) {
      const status = (await api(app, "PUT", `/channels/${g.generalId}/messages/${m.id}/reactions/${e}/@me`, undefined, alice.bearer)).status;
      if (status !== 400) seen.push(`PUT ${e} -> ${status}`);
    }
    expect(seen).toEqual([]);
    expect(snapshot(m.id)).toBe(before);
  });

  test("mention suggestions return names as JSON data, escape LIKE wildcards and survive hostile queries", async () => {
    const suggest = async (q: string, who = carol) => {
      const res = await page(`/channels/${g.generalId}/mentionables?kind=user&q=${encodeURIComponent(q)}`, who);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
      expect(res.headers.get("content-type")).toStartWith("application/json");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      return json<{ id: string; label: string; detail: string; syntax: string }[]>(res);
    };
    const found = await suggest("svg onload");
    expect(found.find((s) => s.id === alice.user.id)?.label).toBe(ALICE_NICK);
    expect((await suggest("<hx-partial")).find((s) => s.id === bob.user.id)?.label).toBe(BOB_NAME);
    // Wildcards are literal: every suggestion really contains what was typed.
    for (const q of ["%", "_", "\\", "%_%", "' OR 1=1 --", '"); DROP TABLE users; --', "*".repeat(100), "<@<@<@<@", "\u202e"]) {
      const typed = q.trim().toLowerCase().slice(0, 32);
      const strays = (await suggest(q)).filter((s) => !`${s.label}\n${s.detail}`.toLowerCase().includes(typed));
      expect({ q, strays }).toEqual({ q, strays: [] });
    }
    // A NUL ends the pattern for SQLite's LIKE: it searches like an empty query, and nothing breaks.
    expect((await suggest("\u0000")).length).toBeLessThanOrEqual(8);
    const channels = await page(`/channels/${g.generalId}/mentionables?kind=channel&q=${encodeURIComponent("<script>")}`, carol);
    expect(channels.status).toBe(200);
    expect(await channels.json()).toEqual([]);
  });
});
