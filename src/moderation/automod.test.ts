// AutoMod through the real app: each trigger type blocks, alerts or times out; exemptions; the
// surfaces (sends, edits, thread titles, nicknames); and a catastrophic regex cannot stall the server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let modChannel: string;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "AutoModded");
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  modChannel = (await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "mod-log", type: 0 }, g.owner.bearer))).id;
});
afterAll(() => app.close());

async function member(): Promise<TestAccount> {
  const acct = await createAccount(app);
  await g.join(acct);
  return acct;
}
const rules: string[] = [];
async function rule(body: Record<string, unknown>): Promise<{ id: string }> {
  // One rule at a time: each test removes the previous ones.
  for (const id of rules.splice(0)) await api(app, "DELETE", `/guilds/${g.guildId}/auto-moderation/rules/${id}`, undefined, g.owner.bearer);
  const res = await api(app, "POST", `/guilds/${g.guildId}/auto-moderation/rules`, { event_type: 1, enabled: true, ...body }, g.owner.bearer);
  expect(res.status).toBe(200);
  const created = await json<{ id: string }>(res);
  rules.push(created.id);
  return created;
}
const send = (who: TestAccount, content: string, channel = g.generalId) => api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer);
const BLOCK = [{ type: 1, metadata: { custom_message: "Not here, please." } }];

describe("each trigger blocks what it should and lets the rest through", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["keywords with wildcards", { trigger_type: 1, trigger_metadata: { keyword_filter: ["cursed", "scam*", "*coin"] } }, "this is a scammer", "a scalpel and a coincidence"],
    ["regex", { trigger_type: 1, trigger_metadata: { regex_patterns: ["\\bfree\\s+nitro\\b"] } }, "FREE   Nitro here", "nitro is free software?"],
    ["English preset profanity", { trigger_type: 4, trigger_metadata: { presets: [1] } }, "well fucking hell", "a Scunthorpe problem"],
    ["French preset profanity", { trigger_type: 4, trigger_metadata: { presets: [1] } }, "quelle connasse", "un cornichon"],
    ["mention spam", { trigger_type: 5, trigger_metadata: { mention_total_limit: 2 } }, "<@1> <@2> <@3>", "<@1> <@2> <@2>"],
    ["invite links to other instances", { trigger_type: 100 }, "join https://other.example/invite/abcdef", "see https://other.example/about"],
    ["links outside the allowlist", { trigger_type: 101, trigger_metadata: { allowed_domains: ["wikipedia.org"] } }, "go to https://evil.example/x", "read https://fr.wikipedia.org/wiki/Chat"],
  ];
  for (const [name, trigger, bad, good] of cases) {
    test(`${name}: blocked with the rule's message, and a clean message passes`, async () => {
      await rule({ name, ...trigger, actions: BLOCK });
      const author = await member();
      const blocked = await send(author, bad);
      expect(blocked.status).toBe(400);
      expect(await blocked.json()).toMatchObject({ code: 200000, message: "Not here, please." });
      expect((await send(author, good)).status).toBe(200);
    });
  }

  test("flooding: the same message three times in the window is blocked the third time", async () => {
    await rule({ name: "spam", trigger_type: 3, trigger_metadata: { duplicate_limit: 3, flood_limit: 50, window_seconds: 30 }, actions: [{ type: 1 }] });
    const author = await member();
    expect((await send(author, "buy now")).status).toBe(200);
    expect((await send(author, "buy now")).status).toBe(200);
    const third = await send(author, "buy now");
    expect(third.status).toBe(400);
    expect((await third.json()).message).toBe("Your message was blocked by this server's AutoMod.");
  });
});

describe("actions and exemptions", () => {
  test("an alert posts the offending text, quoted, in the moderators' channel, and the message itself still goes out without a block action", async () => {
    await rule({ name: "watch", trigger_type: 1, trigger_metadata: { keyword_filter: ["refund"] }, actions: [{ type: 2, metadata: { channel_id: modChannel } }] });
    const author = await member();
    expect((await send(author, "I want a refund @everyone")).status).toBe(200);
    const log = await json<{ content: string; author: { id: string }; mention_everyone: boolean }[]>(await api(app, "GET", `/channels/${modChannel}/messages?limit=1`, undefined, g.owner.bearer));
    expect(log[0]!.content).toContain("watch");
    expect(log[0]!.content).toContain("```\nI want a refund @everyone\n```");
    expect(log[0]!.author.id).toBe(author.user.id);
    expect(log[0]!.mention_everyone).toBe(false);
  });

  test("a timeout action times the author out: the next message is refused even without the keyword", async () => {
    await rule({ name: "harsh", trigger_type: 1, trigger_metadata: { keyword_filter: ["raid"] }, actions: [{ type: 1 }, { type: 3, metadata: { duration_seconds: 600 } }] });
    const author = await member();
    expect((await send(author, "raid now")).status).toBe(400);
    const after = await send(author, "hello?");
    expect(after.status).toBe(403);
    const m = await json<{ communication_disabled_until: string }>(await api(app, "GET", `/guilds/${g.guildId}/members/${author.user.id}`, undefined, g.owner.bearer));
    expect(Date.parse(m.communication_disabled_until) - Date.now()).toBeGreaterThan(500_000);
  });

  test("exempt roles, exempt channels and the owner are not checked; a disabled rule does nothing", async () => {
    const trusted = (await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "trusted" }, g.owner.bearer))).id;
    await rule({ name: "exempt", trigger_type: 1, trigger_metadata: { keyword_filter: ["forbidden"] }, actions: [{ type: 1 }], exempt_roles: [trusted], exempt_channels: [modChannel] });
    const plain = await member();
    const vip = await member();
    await api(app, "PUT", `/guilds/${g.guildId}/members/${vip.user.id}/roles/${trusted}`, undefined, g.owner.bearer);
    expect((await send(plain, "forbidden")).status).toBe(400);
    expect((await send(vip, "forbidden")).status).toBe(200);
    expect((await send(plain, "forbidden", modChannel)).status).toBe(200);
    expect((await send(g.owner, "forbidden")).status).toBe(200);
    const patched = await json<{ enabled: boolean; trigger_metadata: { keyword_filter: string[] } }>(await api(app, "PATCH", `/guilds/${g.guildId}/auto-moderation/rules/${rules[0]}`, { enabled: false }, g.owner.bearer));
    expect(patched).toMatchObject({ enabled: false, trigger_metadata: { keyword_filter: ["forbidden"] } });
    expect((await send(plain, "forbidden")).status).toBe(200);
  });

  test("rules apply to edits, thread titles and nicknames", async () => {
    await rule({ name: "words", trigger_type: 1, trigger_metadata: { keyword_filter: ["badword"] }, actions: [{ type: 1 }] });
    const author = await member();
    const m = await json<{ id: string }>(await send(author, "fine"));
    expect((await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "now a badword" }, author.bearer)).status).toBe(400);
    expect((await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "badword thread" }, author.bearer)).status).toBe(400);
    await rule({ name: "names", event_type: 2, trigger_type: 6, trigger_metadata: { keyword_filter: ["badword"] }, actions: [{ type: 1 }] });
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/@me`, { nick: "Mr Badword" }, author.bearer)).status).toBe(400);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/@me`, { nick: "Mr Nice" }, author.bearer)).status).toBe(200);
  });
});

describe("rule validation and the regex guard", () => {
  test("a pattern RE2 cannot run, a rule without its metadata, a foreign alert channel and a member are refused", async () => {
    const bad = [
      { name: "x", event_type: 1, trigger_type: 1, trigger_metadata: { regex_patterns: ["(a)\\1"] }, actions: [{ type: 1 }] },
      { name: "x", event_type: 1, trigger_type: 1, trigger_metadata: { regex_patterns: ["a".repeat(261)] }, actions: [{ type: 1 }] },
      { name: "x", event_type: 1, trigger_type: 1, trigger_metadata: {}, actions: [{ type: 1 }] },
      { name: "x", event_type: 1, trigger_type: 5, trigger_metadata: {}, actions: [{ type: 1 }] },
      { name: "x", event_type: 1, trigger_type: 1, trigger_metadata: { keyword_filter: ["a"] }, actions: [{ type: 2, metadata: { channel_id: "123" } }] },
      { name: "x", event_type: 1, trigger_type: 1, trigger_metadata: { keyword_filter: ["a"] }, actions: [] },
    ];
    for (const body of bad) expect((await api(app, "POST", `/guilds/${g.guildId}/auto-moderation/rules`, body, g.owner.bearer)).status).toBe(400);
    const someone = await member();
    expect((await api(app, "POST", `/guilds/${g.guildId}/auto-moderation/rules`, { ...bad[0], trigger_metadata: { keyword_filter: ["a"] } }, someone.bearer)).status).toBe(403);
    expect((await api(app, "GET", `/guilds/${g.guildId}/auto-moderation/rules`, undefined, someone.bearer)).status).toBe(403);
  });

  test("a catastrophic regex, (a+)+$ on thirty a's and a '!', answers at once and does not stall other requests", async () => {
    await rule({ name: "redos", trigger_type: 1, trigger_metadata: { regex_patterns: ["(a+)+$"] }, actions: [{ type: 1 }] });
    const author = await member();
    const started = performance.now();
    const [evil, health] = await Promise.all([send(author, `${"a".repeat(30)}!`), (async () => {
      await Bun.sleep(5);
      const t = performance.now();
      const res = await app.fetch("/healthz");
      return { status: res.status, ms: performance.now() - t };
    })()]);
    const evilMs = performance.now() - started;
    // Backtracking would take minutes on 30 characters; RE2 is linear.
    expect(evil.status).toBe(200);
    expect(evilMs).toBeLessThan(1000);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(1000);
    // And the worst case the limits allow (4000 characters) still answers quickly.
    const long = performance.now();
    expect((await send(author, `${"a".repeat(3999)}!`)).status).toBe(200);
    expect(performance.now() - long).toBeLessThan(1000);
    expect((await send(author, "aaaa")).status).toBe(400);
  });
});
