// The bad-input list of ../shared/SECURITY.md swept across every message route, part limits:
// Exhaustion (sizes, pathological markdown), cross-site posts and anonymous callers.
// The cast and helpers are in src/testing/bad-input-cast.ts, the HTML auditor in src/testing/html-audit.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../testing/accounts.ts";
import { json } from "../testing/guilds.ts";
import { app, alice, bob, browserPost, carol, countIn, g, page, send, setUpCast, snapshot, type Msg } from "../testing/bad-input-cast.ts";
import { audit, expectSafe } from "../testing/html-audit.ts";

beforeAll(setUpCast);
afterAll(() => app.close());

describe("exhaustion", () => {
  test("4001 characters is refused on every way of writing, and 4000 is accepted", async () => {
    const m = await send(alice, "short");
    const before = snapshot(m.id);
    const count = countIn(g.generalId);
    const long = "x".repeat(4001);
    const refused = [
      await api(app, "POST", `/channels/${g.generalId}/messages`, { content: long }, alice.bearer),
      await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: long }, alice.bearer),
      await browserPost(`/channels/${g.generalId}/messages`, alice, new URLSearchParams({ content: long }), { Accept: "application/json" }),
      await browserPost(`/channels/${g.generalId}/messages/${m.id}/edit`, alice, new URLSearchParams({ content: long }), { Accept: "application/json" }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect((await json<{ message: string }>(res)).message).toContain("4000");
    }
    // Control characters are dropped before counting, and nothing with them is stored.
    expect((await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "\u0000\u0001\u0007".repeat(10) }, alice.bearer)).status).toBe(400);
    expect(countIn(g.generalId)).toBe(count);
    expect(snapshot(m.id)).toBe(before);
    const ok = await send(alice, "y".repeat(4000));
    expect(ok.content.length).toBe(4000);
  });

  test("bodies over 1 MiB get 413 on every message route that takes a body, and nothing is stored", async () => {
    const m = await send(alice, "big target");
    const before = snapshot(m.id);
    const count = countIn(g.generalId);
    const huge = "x".repeat(1024 * 1024 + 16);
    const jsonBody = JSON.stringify({ content: huge });
    const formBody = `content=${huge}`;
    const cases: [string, string, string, Record<string, string>][] = [
      ["POST", `/api/v10/channels/${g.generalId}/messages`, jsonBody, { ...alice.bearer, "Content-Type": "application/json" }],
      ["PATCH", `/api/v10/channels/${g.generalId}/messages/${m.id}`, jsonBody, { ...alice.bearer, "Content-Type": "application/json" }],
      ["PUT", `/api/v10/channels/${g.generalId}/pins/${m.id}`, jsonBody, { ...g.owner.bearer, "Content-Type": "application/json" }],
      ["PUT", `/api/v10/channels/${g.generalId}/messages/${m.id}/reactions/%F0%9F%91%8D/@me`, jsonBody, { ...alice.bearer, "Content-Type": "application/json" }],
    ];
    for (const path of [`/channels/${g.generalId}/messages`, `/channels/${g.generalId}/messages/${m.id}/edit`, `/channels/${g.generalId}/messages/${m.id}/reactions`, `/channels/${g.generalId}/messages/${m.id}/pin`, `/channels/${g.generalId}/ack`]) {
      cases.push(["POST", path, formBody, { Cookie: alice.cookie, Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" }]);
    }
    for (const [method, path, body, headers] of cases) {
      const res = await app.fetch(path, { method, headers, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 413 });
    }
    // A streamed body with no Content-Length is cut off at the limit too.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"content":"'));
        for (let i = 0; i < 20; i++) c.enqueue(chunk);
        c.enqueue(new TextEncoder().encode('"}'));
        c.close();
      },
    });
    const streamed = await fetch(`${app.url}/api/v10/channels/${g.generalId}/messages`, { method: "POST", headers: { ...alice.bearer, "Content-Type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(countIn(g.generalId)).toBe(count);
    expect(snapshot(m.id)).toBe(before);
  });

  test("a 50,000-character field is refused quickly on every route that takes text", async () => {
    const m = await send(alice, "fifty thousand");
    for (const ch of ["*", "_", "`", "> ", "<@", "|"]) {
      const big = ch.repeat(50_000 / ch.length);
      const started = performance.now();
      const statuses = [
        (await api(app, "POST", `/channels/${g.generalId}/messages`, { content: big }, alice.bearer)).status,
        (await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: big }, alice.bearer)).status,
        (await browserPost(`/channels/${g.generalId}/messages`, alice, new URLSearchParams({ content: big }), { Accept: "application/json" })).status,
        (await page(`/channels/${g.generalId}/mentionables?kind=user&q=${encodeURIComponent(big)}`, alice)).status,
      ];
      // The suggestion query travels in the URL: the HTTP layer refuses it first (431).
      expect({ ch, statuses: [...statuses.slice(0, 3), [400, 414, 431].includes(statuses[3]!) ? "refused" : statuses[3]] }).toEqual({ ch, statuses: [400, 400, 400, "refused"] });
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  test("pathological markdown (runs of *, _, `, nested quotes and lists, broken mentions) renders within bounds everywhere", async () => {
    const room = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "pathological", type: 0 }, g.owner.bearer));
    const nestedList = (indent: number) => Array.from({ length: 40 }, (_, i) => " ".repeat(i * indent) + "- x").join("\n").slice(0, 4000);
    const inputs: [string, string][] = [
      ["4000 *", "*".repeat(4000)],
      ["4000 _", "_".repeat(4000)],
      ["4000 `", "`".repeat(4000)],
      ["nested quotes", "> ".repeat(1999) + "x"],
      ["quote lines", ">\n".repeat(1999) + "x"],
      ["<@<@<@", "<@".repeat(2000)],
      ["<@<@<@1", "<@<@<@1".repeat(571)],
      ["||", "||a".repeat(1333)],
      ["[[[", "[".repeat(4000)],
      ["[a](", "[a](".repeat(1000)],
      ["![", "![".repeat(2000)],
      ["<<<", "<".repeat(4000)],
      [":a:", ":a".repeat(2000)],
      [":smile:", ":smile:".repeat(571)],
      ["__a", "__a".repeat(1333)],
      ["*a", "*a".repeat(2000)],
      ["*_`~|", "*_`~|".repeat(800)],
      ["backslashes", "\\".repeat(4000)],
      ["autolinks", "<http://".repeat(500)],
      ["code fences", "```\n".repeat(1000)],
      ["table", "|a|\n|-|\n" + "|x|\n".repeat(998)],
      ["list nested by 2 spaces", nestedList(2)],
      ["list nested by 4 spaces", nestedList(4)],
      ["ordered list nested by 3", Array.from({ length: 40 }, (_, i) => " ".repeat(i * 3) + "1. x").join("\n").slice(0, 4000)],
      ["indented lines after text", "a\n" + (" ".repeat(48) + "x\n").repeat(3)],
    ];
    const slow: string[] = [];
    const ids: string[] = [];
    for (const [name, content] of inputs) {
      const started = performance.now();
      const res = await api(app, "POST", `/channels/${room.id}/messages`, { content }, g.owner.bearer);
      const ms = performance.now() - started;
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      ids.push((await json<Msg>(res)).id);
      // Sending renders the message once for the live frame: a backtracking regex shows here.
      if (ms > 500) slow.push(`send ${name}: ${Math.round(ms)} ms`);
    }
    for (const [name, path] of [
      ["channel page", `/channels/${g.guildId}/${room.id}`],
      ["history fragment", `/channels/${room.id}/history`],
    ]) {
      const started = performance.now();
      const res = await page(path!, g.owner);
      const html = await res.text();
      expect(res.status).toBe(200);
      await expectSafe(name!, html);
      if (performance.now() - started > 500 * 4) slow.push(`${name}: ${Math.round(performance.now() - started)} ms`);
    }
    expect(slow).toEqual([]);
  }, 120_000);
});

describe("cross-site and anonymous callers", () => {
  test("a form POST from another site is refused with 403 on every browser message route and changes nothing", async () => {
    const m = await send(alice, "csrf target");
    const before = snapshot(m.id);
    const count = countIn(g.generalId);
    const posts: [string, string][] = [
      [`/channels/${g.generalId}/messages`, "content=csrf"],
      [`/channels/${g.generalId}/messages/${m.id}/edit`, "content=csrf"],
      [`/channels/${g.generalId}/messages/${m.id}/delete`, ""],
      [`/channels/${g.generalId}/messages/${m.id}/pin`, ""],
      [`/channels/${g.generalId}/messages/${m.id}/reactions`, "emoji=%F0%9F%91%8D"],
      [`/channels/${g.generalId}/ack`, `message_id=${m.id}`],
    ];
    const senders: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Origin: "null" }, { Origin: `${app.url}.evil.com` }, { Origin: app.url.replace("127.0.0.1", "localhost") }, { "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }];
    for (const [path, body] of posts) {
      for (const headers of senders) {
        // The owner can do all of these when the request is genuine: only the origin is wrong.
        const res = await app.fetch(path, { method: "POST", headers: { Cookie: g.owner.cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers }, body });
        expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 403 });
      }
    }
    // Same for the JSON API when a browser sends the cookie from another site.
    for (const [method, path] of [["POST", `/api/v10/channels/${g.generalId}/messages`], ["DELETE", `/api/v10/channels/${g.generalId}/messages/${m.id}`], ["PUT", `/api/v10/channels/${g.generalId}/pins/${m.id}`]] as const) {
      const res = await app.fetch(path, { method, headers: { Cookie: g.owner.cookie, Origin: "https://evil.example", "Content-Type": "text/plain" }, body: method === "POST" ? '{"content":"csrf"}' : undefined });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    expect(snapshot(m.id)).toBe(before);
    expect(countIn(g.generalId)).toBe(count);
  });

  test("anonymous callers get 401 from the API and a sign-in redirect from pages, with nothing changed", async () => {
    const m = await send(alice, "anonymous target");
    const before = snapshot(m.id);
    const count = countIn(g.generalId);
    const apiCalls: [string, string, unknown?][] = [
      ["GET", `/channels/${g.generalId}/messages`],
      ["GET", `/channels/${g.generalId}/messages/${m.id}`],
      ["POST", `/channels/${g.generalId}/messages`, { content: "anon" }],
      ["PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "anon" }],
      ["DELETE", `/channels/${g.generalId}/messages/${m.id}`],
      ["PUT", `/channels/${g.generalId}/messages/${m.id}/reactions/%F0%9F%91%8D/@me`],
      ["DELETE", `/channels/${g.generalId}/messages/${m.id}/reactions/%F0%9F%91%8D/@me`],
      ["GET", `/channels/${g.generalId}/messages/${m.id}/reactions/%F0%9F%91%8D`],
      ["PUT", `/channels/${g.generalId}/pins/${m.id}`],
      ["DELETE", `/channels/${g.generalId}/messages/pins/${m.id}`],
      ["GET", `/channels/${g.generalId}/pins`],
      ["GET", `/channels/${g.generalId}/messages/pins`],
    ];
    const bogus: Record<string, string>[] = [{}, { Authorization: "" }, { Authorization: "Bearer " }, { Authorization: "Bearer null" }, { Authorization: "Bearer    " }, { Authorization: `Bearer ${g.owner.token}x` }, { Authorization: `Bot ${g.owner.token}` }, { Authorization: `Bearer ${g.owner.user.id}-` }, { Cookie: "pokynano_session=" }, { Cookie: "pokynano_session=null" }];
    const seen: string[] = [];
    for (const headers of bogus) {
      for (const [method, path, body] of apiCalls) {
        const status = (await api(app, method, path, body, headers)).status;
        if (status !== 401) seen.push(`${JSON.stringify(headers).slice(0, 60)} ${method} ${path} -> ${status}`);
      }
    }
    const pages: [string, string][] = [
      ["POST", `/channels/${g.generalId}/messages`],
      ["GET", `/channels/${g.generalId}/messages/${m.id}/edit`],
      ["POST", `/channels/${g.generalId}/messages/${m.id}/edit`],
      ["POST", `/channels/${g.generalId}/messages/${m.id}/delete`],
      ["POST", `/channels/${g.generalId}/messages/${m.id}/pin`],
      ["POST", `/channels/${g.generalId}/messages/${m.id}/reactions`],
      ["POST", `/channels/${g.generalId}/ack`],
      ["GET", `/channels/${g.generalId}/history`],
      ["GET", `/channels/${g.generalId}/pins`],
      ["GET", `/channels/${g.generalId}/mentionables?kind=user&q=a`],
      ["GET", "/me.css"],
    ];
    for (const [method, path] of pages) {
      const res = await app.fetch(path, { method, headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", Cookie: "pokynano_session=pks.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, body: method === "POST" ? "content=anon&emoji=%F0%9F%91%8D" : undefined });
      if (res.status !== 303 || !res.headers.get("location")?.startsWith("/login")) seen.push(`${method} ${path} -> ${res.status} ${res.headers.get("location")}`);
    }
    expect(seen).toEqual([]);
    expect(snapshot(m.id)).toBe(before);
    expect(countIn(g.generalId)).toBe(count);
  });

  test("after all of this the server still works for everyone", async () => {
    const m = await send(bob, "still standing");
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/${m.id}`, undefined, carol.bearer)).status).toBe(200);
    expect((await page(`/channels/${g.guildId}/${g.generalId}`, carol)).status).toBe(200);
    expect(app.logs.filter((l) => l.msg === "unhandled error")).toEqual([]);
  });
});
