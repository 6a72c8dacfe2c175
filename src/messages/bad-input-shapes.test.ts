// The bad-input list of ../shared/SECURITY.md swept across every message route, part shapes:
// Type confusion, unknown fields and spoofed server fields on every message route (and a self-test of the HTML auditor).
// The cast and helpers are in src/testing/bad-input-cast.ts, the HTML auditor in src/testing/html-audit.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../testing/accounts.ts";
import { json } from "../testing/guilds.ts";
import { app, alice, bob, browserPost, countIn, dmId, g, page, send, setUpCast, snapshot, type Msg } from "../testing/bad-input-cast.ts";
import { audit, expectSafe } from "../testing/html-audit.ts";

beforeAll(setUpCast);
afterAll(() => app.close());

describe("the auditor itself", () => {
  test("the HTML auditor flags each kind of injection it is meant to catch", async () => {
    const cases = [
      "<p><img src=x onerror=pwn()></p>",
      "<script>pwn()</script>",
      '<div class="message-content" hx-ignore=""><svg></svg></div>',
      '<a href="&#106;avascript:pwn()">x</a>',
      '<a href="java\tscript:x">x</a>',
      '<div hx-get="/pwn"></div>',
      '<span hx-on:click="x()"></span>',
      "<p>&lt;b hx-get=/pwn&gt;</p>",
      '<div class="message-content" hx-ignore=""><p id="x">y</p></div>',
      "<pwn-elt></pwn-elt>",
      '<iframe src="/x"></iframe>',
    ];
    for (const html of cases) expect({ html, flagged: (await audit(html)).length > 0 }).toEqual({ html, flagged: true });
    expect(await audit('<div hx-ignore=""><p>&lt;img src=x onerror=pwn()&gt;</p></div><script src="/static/app.js"></script><textarea>&lt;pwn&gt;</textarea>')).toEqual([]);
  });
});

describe("type confusion and unknown fields", () => {
  test("sending with objects, arrays, null, numbers or booleans where strings belong is a 400 naming the field, and stores nothing", async () => {
    const before = countIn(g.generalId);
    const bodies: [string, unknown, string][] = [
      ["content object", { content: { $ne: 1 } }, "content"],
      ["content array", { content: ["a", "b"] }, "content"],
      ["content null", { content: null }, "content"],
      ["content huge number", { content: 1e308 }, "content"],
      ["content big integer", { content: 12345678901234567890 }, "content"],
      ["content boolean", { content: true }, "content"],
      ["content missing", { nonce: "n1" }, "content"],
      ["nonce object", { content: "x", nonce: { a: 1 } }, "nonce"],
      ["nonce array", { content: "x", nonce: [1] }, "nonce"],
      ["nonce negative", { content: "x", nonce: -1 }, "nonce"],
      ["nonce beyond safe integers", { content: "x", nonce: 1e300 }, "nonce"],
      ["nonce fraction", { content: "x", nonce: 1.5 }, "nonce"],
      ["tts string", { content: "x", tts: "yes" }, "tts"],
      ["enforce_nonce number", { content: "x", enforce_nonce: 1 }, "enforce_nonce"],
      ["allowed_mentions array", { content: "x", allowed_mentions: ["everyone"] }, "allowed_mentions"],
      ["allowed_mentions.parse unknown", { content: "x", allowed_mentions: { parse: ["admins"] } }, "allowed_mentions.parse.0"],
      ["message_reference string", { content: "x", message_reference: "123" }, "message_reference"],
      ["message_reference.message_id number", { content: "x", message_reference: { message_id: 123 } }, "message_reference.message_id"],
      ["message_reference.message_id object", { content: "x", message_reference: { message_id: { $gt: 0 } } }, "message_reference.message_id"],
      ["message_reference.message_id traversal", { content: "x", message_reference: { message_id: "../1" } }, "message_reference.message_id"],
      ["message_reference.message_id 21 digits", { content: "x", message_reference: { message_id: "1".repeat(21) } }, "message_reference.message_id"],
      ["unknown field", { content: "x", evil: true }, "body"],
      ["embeds not a list", { content: "x", embeds: "<script>pwn()</script>" }, "embeds"],
      ["body is an array", [{ content: "x" }], "body"],
      ["body is a string", "content", "body"],
      ["body is null", null, "body"],
      ["body is a number", 42, "body"],
    ];
    for (const [name, body, field] of bodies) {
      const res = await api(app, "POST", `/channels/${g.generalId}/messages`, body, alice.bearer);
      const answer = await json<{ code: number; message: string; errors?: Record<string, string> }>(res);
      expect({ name, status: res.status, code: answer.code }).toEqual({ name, status: 400, code: 50035 });
      expect({ name, message: answer.message.length > 0 }).toEqual({ name, message: true });
      expect({ name, field: Object.keys(answer.errors ?? {}) }).toEqual({ name, field: expect.arrayContaining([field]) });
    }
    // JSON that merely looks like a prototype: never an unknown field that slips through, never a polluted object.
    const proto = await app.fetch(`/api/v10/channels/${g.generalId}/messages`, { method: "POST", headers: { ...alice.bearer, "Content-Type": "application/json" }, body: '{"content":"x","__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}' });
    expect(proto.status).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(countIn(g.generalId)).toBe(before);
  });

  test("editing with anything but a string content, or with extra fields, is refused and the message is unchanged", async () => {
    const m = await send(alice, "original words");
    const before = snapshot(m.id);
    const bodies: unknown[] = [{ content: { a: 1 } }, { content: ["x"] }, { content: null }, { content: 7 }, { content: "x", pinned: true }, { content: "x", author: { id: bob.user.id } }, { content: "x", id: "1" }, { content: "x", edited_timestamp: "2000-01-01T00:00:00Z" }, { content: "x", channel_id: dmId }, [], "x", null];
    for (const body of bodies) {
      const res = await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, body, alice.bearer);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect((await json<{ code: number }>(res)).code).toBe(50035);
    }
    expect(snapshot(m.id)).toBe(before);
  });

  test("malformed JSON, a wrong content type and deep nesting are a 400 and the server keeps working", async () => {
    const before = countIn(g.generalId);
    const post = (body: string, type = "application/json") => app.fetch(`/api/v10/channels/${g.generalId}/messages`, { method: "POST", headers: { ...alice.bearer, "Content-Type": type }, body });
    const cases: [string, string, string?][] = [
      ["truncated", '{"content": "x"'],
      ["trailing garbage", '{"content": "x"} {"content": "y"}'],
      ["single quotes", "{'content': 'x'}"],
      ["NaN", '{"content": NaN}'],
      ["empty", ""],
      ["a lone surrogate escape is fine JSON but not an object", '"\\ud800"'],
      ["deep arrays as the body", "[".repeat(200_000) + "]".repeat(200_000)],
      ["deep objects as the body", '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000)],
      ["deep nesting in an unknown field", '{"content":"x","a":' + "[".repeat(200_000) + "]".repeat(200_000) + "}"],
      ["deep nesting where a string belongs", '{"content":' + "[".repeat(200_000) + "]".repeat(200_000) + "}"],
      ["form body to the JSON API", "content=hello", "application/x-www-form-urlencoded"],
    ];
    for (const [name, body, type] of cases) {
      const res = await post(body, type);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(((await res.json()) as { code: number }).code).toBe(50035);
    }
    expect(countIn(g.generalId)).toBe(before);
    expect((await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, alice.bearer)).status).toBe(200);
  });

  test("query strings with the wrong types are a 400, never a 500", async () => {
    const base = `/channels/${g.generalId}/messages`;
    const bad = ["limit=abc", "limit=0", "limit=101", "limit=-5", "limit=1.5", "limit=Infinity", "limit=NaN", "limit=1e400", "before=abc", "before=-1", "before=1.5", "before=" + "1".repeat(21), "after=%00", "after=../1", "around=%2e%2e", "around=1%20OR%201=1", "before=%F0%9F%98%80"];
    for (const q of bad) expect({ q, status: (await api(app, "GET", `${base}?${q}`, undefined, alice.bearer)).status }).toEqual({ q, status: 400 });
    for (const path of [`/channels/${g.generalId}/pins`, `/channels/${g.generalId}/messages/pins`]) {
      for (const q of ["limit=0", "limit=51", "limit=x", "before=yesterday", "before=2020-01-01T00:00:00Z'%20OR%201=1--", "before=" + "9".repeat(30)]) {
        expect({ path, q, status: (await api(app, "GET", `${path}?${q}`, undefined, alice.bearer)).status }).toEqual({ path, q, status: 400 });
      }
    }
    // Browser fragments: a clear 400 page, no reflection of the input.
    for (const q of ["before=abc", "after=%3Cscript%3Epwn()%3C/script%3E", "before=1&after=2", "before=" + "1".repeat(21)]) {
      const res = await page(`/channels/${g.generalId}/history?${q}`, alice);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
      await expectSafe(`history error for ${q}`, await res.text());
    }
    for (const q of ["kind=emoji", "kind=%3Cscript%3Epwn()%3C/script%3E", "kind=user&q=" + "a".repeat(101), ""]) {
      const res = await page(`/channels/${g.generalId}/mentionables?${q}`, alice);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
      await expectSafe(`mentionables error for ${q}`, await res.text());
    }
  });

  test("browser forms with missing, repeated or file fields are refused; extra fields (author, id, timestamp) are ignored", async () => {
    const before = countIn(g.generalId);
    const refused: [string, string, string][] = [
      ["no content", "nonce=x", "application/x-www-form-urlencoded"],
      ["repeated content", "content=a&content=b", "application/x-www-form-urlencoded"],
      ["reply_to not an id", "content=a&reply_to=..%2F1", "application/x-www-form-urlencoded"],
      ["reply_to 21 digits", `content=a&reply_to=${"1".repeat(21)}`, "application/x-www-form-urlencoded"],
      ["nonce too long", `content=a&nonce=${"n".repeat(26)}`, "application/x-www-form-urlencoded"],
      ["reply_ping too long", "content=a&reply_ping=truetrue", "application/x-www-form-urlencoded"],
      ["JSON to the form route", '{"content":"a"}', "application/json"],
      ["content as an uploaded file", '--b\r\nContent-Disposition: form-data; name="content"; filename="a.txt"\r\n\r\nhello\r\n--b--\r\n', "multipart/form-data; boundary=b"],
      ["broken multipart", "garbage", "multipart/form-data; boundary=b"],
    ];
    for (const [name, body, type] of refused) {
      const res = await browserPost(`/channels/${g.generalId}/messages`, alice, body, { "Content-Type": type, "X-Composer": "1", Accept: "application/json" });
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
    }
    expect(countIn(g.generalId)).toBe(before);
    const spoof = new URLSearchParams({ content: "spoofed fields", id: "1", author_id: g.owner.user.id, author: g.owner.user.id, timestamp: "2000-01-01T00:00:00Z", edited_at: "2000-01-01T00:00:00Z", pinned: "1", channel_id: dmId });
    const res = await browserPost(`/channels/${g.generalId}/messages`, alice, spoof, { "X-Composer": "1" });
    expect(res.status).toBe(201);
    const { id } = await json<{ id: string }>(res);
    expect(id).not.toBe("1");
    const stored = await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${id}`, undefined, alice.bearer));
    expect(stored.author.id).toBe(alice.user.id);
    expect(stored.pinned).toBe(false);
    expect(stored.edited_timestamp).toBeNull();
    expect(Math.abs(Date.parse(stored.timestamp) - Date.now())).toBeLessThan(60_000);
    expect(countIn(dmId)).toBe(0);
  });
});

describe("spoofed server fields", () => {
  test("a client cannot choose id, author, timestamp, edited_timestamp, seq, pinned or channel: the API refuses them and stores nothing", async () => {
    const before = countIn(g.generalId);
    const spoofs: Record<string, unknown>[] = [
      { id: "1" },
      { id: 1 },
      { author: { id: g.owner.user.id } },
      { author_id: g.owner.user.id },
      { timestamp: "2000-01-01T00:00:00Z" },
      { edited_timestamp: "2000-01-01T00:00:00Z" },
      { edited_at: "2000-01-01T00:00:00Z" },
      { seq: 5 },
      { s: 5 },
      { pinned: true },
      { channel_id: dmId },
      { guild_id: g.guildId },
      { mention_everyone: true },
      { mentions: [{ id: g.owner.user.id }] },
      { type: 6 },
      { referenced_message: { id: "1", content: "forged quote", author: { id: g.owner.user.id } } },
    ];
    for (const spoof of spoofs) {
      const res = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "spoof", ...spoof }, alice.bearer);
      expect({ spoof, status: res.status }).toEqual({ spoof, status: 400 });
    }
    expect(countIn(g.generalId)).toBe(before);
    const real = await send(alice, "real one");
    expect(BigInt(real.id)).toBeGreaterThan(1n);
    expect(real.author.id).toBe(alice.user.id);
    expect(Math.abs(Date.parse(real.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  test("another author's nonce does not return their message: nonces are per author", async () => {
    const hers = await send(alice, "alice's nonce message", { nonce: "shared-nonce" });
    const res = await browserPost(`/channels/${g.generalId}/messages`, bob, new URLSearchParams({ content: "bob's", nonce: "shared-nonce" }), { "X-Composer": "1" });
    expect(res.status).toBe(201);
    const { id } = await json<{ id: string }>(res);
    expect(id).not.toBe(hers.id);
    expect((await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${id}`, undefined, bob.bearer))).author.id).toBe(bob.user.id);
    expect((await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${hers.id}`, undefined, bob.bearer))).content).toBe("alice's nonce message");
  });
});
