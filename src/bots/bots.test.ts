// Bot accounts through the real API: applications, tokens, the invite flow, where bots may go,
// and Discord's rate-limit headers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { users } from "../auth/table.ts";
import { hashPassword } from "../auth/passwords.ts";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { applications } from "./table.ts";

let app: TestApp;
let g: GuildFixture;
let dev: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Bot Garden");
  dev = await createAccount(app);
  await g.join(dev);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const me = (headers: Record<string, string>) => api(app, "GET", "/users/@me", undefined, headers);

describe("bot accounts", () => {
  test("creating an application makes a bot user and shows its token once; only a hash is stored", async () => {
    const res = await api(app, "POST", "/applications", { name: "Weather Bot", description: "Tells the weather." }, dev.bearer);
    expect(res.status).toBe(201);
    const created = await json<{ id: string; name: string; bot: { id: string; username: string; bot: boolean }; bot_token: string }>(res);
    expect(created).toMatchObject({ name: "Weather Bot", bot: { id: created.id, username: "Weather_Bot", bot: true } });
    expect(created.bot_token).toMatch(/^pkb\.\d+\.[A-Za-z0-9_-]{43}$/);

    const again = await json<Record<string, unknown>>(await api(app, "GET", `/applications/${created.id}`, undefined, dev.bearer));
    expect(again.bot_token).toBeUndefined();
    expect(JSON.stringify(await json(await api(app, "GET", "/applications", undefined, dev.bearer)))).not.toContain(created.bot_token.split(".")[2]!);
    const row = app.server.core.db.readOrm.select().from(applications).where(eq(applications.id, created.id)).get()!;
    expect(Buffer.from(row.tokenHash).toString("utf8")).not.toContain(created.bot_token.split(".")[2]!);

    const self = await json<{ id: string; bot: boolean; global_name: string; bio: string }>(await me({ Authorization: `Bot ${created.bot_token}` }));
    expect(self).toMatchObject({ id: created.id, bot: true, global_name: "Weather Bot", bio: "Tells the weather." });
    // Discord's scheme only: the bot token under Bearer, or bare, is refused.
    expect((await me({ Authorization: `Bearer ${created.bot_token}` })).status).toBe(401);
    expect((await me({ Authorization: created.bot_token })).status).toBe(401);
  });

  test("two applications with one name get distinct usernames; bad names and bodies are a 400 that creates nothing", async () => {
    const a = await createBot(app, dev, "Twin");
    const b = await createBot(app, dev, "Twin");
    const names = await Promise.all([a, b].map(async (x) => (await json<{ username: string }>(await me(x.auth))).username));
    expect(names).toEqual(["Twin", "Twin_2"]);
    const before = (await json<unknown[]>(await api(app, "GET", "/applications", undefined, dev.bearer))).length;
    for (const body of [{ name: "x" }, { name: "y".repeat(33) }, { name: 42 }, { name: ["a", "b"] }, { name: null }, {}, { name: "Ok", id: "1" }, { name: "Ok", description: { a: 1 } }]) {
      const res = await api(app, "POST", "/applications", body, dev.bearer);
      expect(res.status).toBe(400);
      expect((await json<{ code: number }>(res)).code).toBe(50035);
    }
    expect((await json<unknown[]>(await api(app, "GET", "/applications", undefined, dev.bearer))).length).toBe(before);
  });

  test("resetting the token stops the old one at once; only the owner can reset or see the application", async () => {
    const bot = await createBot(app, dev, "Resettable");
    const other = await createAccount(app);
    expect((await api(app, "POST", `/applications/${bot.id}/bot/reset`, undefined, other.bearer)).status).toBe(404);
    expect((await api(app, "GET", `/applications/${bot.id}`, undefined, other.bearer)).status).toBe(404);
    const res = await api(app, "POST", `/applications/${bot.id}/bot/reset`, undefined, dev.bearer);
    const { token } = await json<{ token: string }>(res);
    expect(token).not.toBe(bot.token);
    expect((await me(bot.auth)).status).toBe(401);
    expect((await me({ Authorization: `Bot ${token}` })).status).toBe(200);
  });

  test("a bot cannot sign in to the web UI, even with a password set behind its back, and a page refuses its token", async () => {
    const bot = await createBot(app, dev, "No Browser");
    const self = await json<{ username: string }>(await me(bot.auth));
    const passwordHash = await hashPassword("a long enough password");
    await app.server.core.queue.write(({ orm }) => orm.update(users).set({ passwordHash }).where(eq(users.id, bot.id)).run());
    const login = await postForm(app, "/login", { login: self.username, password: "a long enough password" });
    expect(login.headers.getSetCookie().join()).not.toContain("pokynano_session=pks");
    expect((await api(app, "POST", "/auth/login", { login: self.username, password: "a long enough password" })).status).toBe(401);
    const page = await app.fetch("/settings/profile", { headers: bot.auth });
    expect(page.status).toBe(403);
  });
});

describe("where bots may go", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createBot(app, dev, "Boundaries");
    await addBot(app, bot, g.guildId, g.owner, "3072");
  });

  test("a bot token on a person's own routes is 403 with Discord's code 20001", async () => {
    const userOnly: [string, string, unknown?][] = [
      ["GET", "/users/@me/sessions"],
      ["GET", "/users/@me/tokens"],
      ["POST", "/users/@me/tokens", { name: "x", scopes: ["read"] }],
      ["POST", "/users/@me/password", { password: "a", new_password: "b" }],
      ["GET", "/users/@me/export"],
      ["DELETE", "/users/@me", { password: "x" }],
      ["PUT", `/users/@me/blocks/${dev.user.id}`],
      ["POST", "/guilds", { name: "Bot's own" }],
      ["POST", "/invites/abcdef"],
      ["GET", "/admin/users"],
      ["POST", "/applications", { name: "Botception" }],
      ["GET", "/applications"],
      ["POST", `/oauth2/authorize?client_id=${bot.id}&scope=bot`, { guild_id: g.guildId, authorize: true }],
      ["POST", "/auth/logout"],
    ];
    for (const [method, path, body] of userOnly) {
      const res = await api(app, method, path, body, bot.auth);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect((await json<{ code: number }>(res)).code).toBe(20001);
    }
  });

  test("a person's token (session or personal access token) on bot-only routes is refused with 20002", async () => {
    const pat = await json<{ token: string }>(await api(app, "POST", "/users/@me/tokens", { name: "script", scopes: ["read", "write"] }, dev.bearer));
    for (const headers of [dev.bearer, { Authorization: `Bearer ${pat.token}` }]) {
      for (const path of ["/gateway/bot", "/applications/@me", "/oauth2/applications/@me"]) {
        const res = await api(app, "GET", path, undefined, headers);
        expect([path, res.status]).toEqual([path, 403]);
        expect((await json<{ code: number }>(res)).code).toBe(20002);
      }
    }
    expect((await api(app, "GET", "/gateway/bot")).status).toBe(401);
  });

  test("the bot reaches what bot libraries call: itself, its application, the gateway, its server, messages", async () => {
    expect(await json(await api(app, "GET", "/gateway/bot", undefined, bot.auth))).toEqual({
      url: `${app.url.replace("http", "ws")}/gateway`,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
    });
    expect(await json(await api(app, "GET", "/applications/@me", undefined, bot.auth))).toMatchObject({ id: bot.id, name: "Boundaries", bot: { id: bot.id, bot: true } });
    expect((await api(app, "GET", `/guilds/${g.guildId}`, undefined, bot.auth)).status).toBe(200);
    expect((await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, bot.auth)).status).toBe(200);
    const sent = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "beep" }, bot.auth);
    expect(sent.status).toBe(200);
    expect((await json<{ author: { bot: boolean } }>(sent)).author.bot).toBe(true);
  });

  test("personal access tokens for scripts use the same REST surface as bots", async () => {
    const pat = await json<{ token: string }>(await api(app, "POST", "/users/@me/tokens", { name: "script", scopes: ["read", "write"] }, dev.bearer));
    const auth = { Authorization: `Bearer ${pat.token}` };
    const sent = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "from a script" }, auth);
    expect(sent.status).toBe(200);
    const { id } = await json<{ id: string }>(sent);
    expect((await api(app, "PUT", `/channels/${g.generalId}/messages/${id}/reactions/${encodeURIComponent("👍")}/@me`, undefined, auth)).status).toBe(204);
    expect(sent.headers.get("X-RateLimit-Limit")).toBe("50");
  });
});

describe("adding a bot to a server", () => {
  test("someone with MANAGE_GUILD adds it with a managed role holding exactly the chosen permissions", async () => {
    const bot = await createBot(app, dev, "Role Keeper");
    // SEND_MESSAGES | ADD_REACTIONS | a bit this server does not implement (dropped).
    const res = await api(app, "POST", `/oauth2/authorize?client_id=${bot.id}&scope=bot`, { guild_id: g.guildId, permissions: String((1n << 11n) | (1n << 6n) | (1n << 60n)), authorize: true }, g.owner.bearer);
    expect(res.status).toBe(200);
    const member = await json<{ user: { bot: boolean }; roles: string[] }>(await api(app, "GET", `/guilds/${g.guildId}/members/${bot.id}`, undefined, g.owner.bearer));
    expect(member.user.bot).toBe(true);
    expect(member.roles.length).toBe(1);
    const roles = await json<{ id: string; name: string; permissions: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, g.owner.bearer));
    expect(roles.find((r) => r.id === member.roles[0])).toMatchObject({ name: "Role Keeper", permissions: String((1n << 11n) | (1n << 6n)) });
    // Authorizing again changes the same role rather than adding one.
    await addBot(app, bot, g.guildId, g.owner, String(1n << 11n));
    const after = await json<{ id: string; permissions: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, g.owner.bearer));
    expect(after.length).toBe(roles.length);
    expect(after.find((r) => r.id === member.roles[0])!.permissions).toBe(String(1n << 11n));
  });

  test("a member without MANAGE_GUILD, a server you are not in, more than you have, or a bad request is refused", async () => {
    const bot = await createBot(app, dev, "Gatecrasher");
    const path = `/oauth2/authorize?client_id=${bot.id}&scope=bot`;
    expect((await api(app, "POST", path, { guild_id: g.guildId, permissions: "0", authorize: true }, dev.bearer)).status).toBe(403);
    const elsewhere = await createGuildFixture(app, "Elsewhere");
    expect((await api(app, "POST", path, { guild_id: elsewhere.guildId, permissions: "0", authorize: true }, dev.bearer)).status).toBe(404);
    // A moderator with MANAGE_GUILD only cannot hand out ADMINISTRATOR.
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "managers", permissions: String(1n << 5n) }, g.owner.bearer));
    await api(app, "PUT", `/guilds/${g.guildId}/members/${dev.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
    expect((await api(app, "POST", path, { guild_id: g.guildId, permissions: String(1n << 3n), authorize: true }, dev.bearer)).status).toBe(403);
    expect((await api(app, "GET", `/guilds/${g.guildId}/members/${bot.id}`, undefined, g.owner.bearer)).status).toBe(404);
    const bad: [string, unknown][] = [
      [`/oauth2/authorize?client_id=${bot.id}&scope=identify`, { guild_id: g.guildId, authorize: true }],
      [`/oauth2/authorize?scope=bot`, { guild_id: g.guildId, authorize: true }],
      [path, { guild_id: g.guildId, permissions: "-1", authorize: true }],
      [path, { guild_id: g.guildId, permissions: "99999999999999999999999", authorize: true }],
      [path, { guild_id: g.guildId, authorize: false }],
      [path, { guild_id: ["1"], authorize: true }],
    ];
    for (const [p, body] of bad) expect([p, (await api(app, "POST", p, body, g.owner.bearer)).status]).toEqual([p, 400]);
    expect((await api(app, "POST", "/oauth2/authorize?client_id=1234&scope=bot", { guild_id: g.guildId, authorize: true }, g.owner.bearer)).status).toBe(404);
    // With MANAGE_GUILD it works, for permissions they hold.
    expect((await api(app, "POST", path, { guild_id: g.guildId, permissions: String(1n << 11n), authorize: true }, dev.bearer)).status).toBe(200);
  });

  test("a banned bot cannot be added back", async () => {
    const bot = await createBot(app, dev, "Banned Bot");
    await addBot(app, bot, g.guildId, g.owner);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${bot.id}`, { reason: "spam" }, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "POST", `/oauth2/authorize?client_id=${bot.id}&scope=bot`, { guild_id: g.guildId, authorize: true }, g.owner.bearer)).status).toBe(403);
  });
});

describe("rate limits", () => {
  test("token clients get X-RateLimit headers per route bucket, then a 429 with retry_after and Retry-After", async () => {
    const bot = await createBot(app, dev, "Hasty");
    await addBot(app, bot, g.guildId, g.owner);
    const admin = await createAccount(app, { admin: true });
    for (const bad of [{ max: -1, window_ms: 1000 }, { max: 3 }, { max: "3", window_ms: 1000 }, { max: 3, window_ms: 10 }]) {
      expect((await api(app, "PATCH", "/admin/instance", { api_rate_limit: bad }, admin.bearer)).status).toBe(400);
    }
    const set = await api(app, "PATCH", "/admin/instance", { api_rate_limit: { max: 3, window_ms: 2000 } }, admin.bearer);
    expect((await json<{ api_rate_limit: unknown }>(set)).api_rate_limit).toEqual({ max: 3, window_ms: 2000 });
    try {
      const path = `/channels/${g.generalId}/messages`;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await api(app, "GET", path, undefined, bot.auth));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((r) => r.headers.get("X-RateLimit-Remaining"))).toEqual(["2", "1", "0", "0"]);
      const first = answers[0]!.headers;
      expect(first.get("X-RateLimit-Limit")).toBe("3");
      expect(Number(first.get("X-RateLimit-Reset-After"))).toBeGreaterThan(0);
      expect(Number(first.get("X-RateLimit-Reset")) * 1000).toBeGreaterThan(Date.now());
      expect(first.get("X-RateLimit-Bucket")).toMatch(/^[0-9a-f]{16}$/);
      const refused = answers[3]!;
      expect(refused.headers.get("Retry-After")).toMatch(/^[12]$/);
      expect(refused.headers.get("X-RateLimit-Scope")).toBe("user");
      const body = await json<{ retry_after: number; global: boolean; code: number }>(refused);
      expect(body.global).toBe(false);
      expect(body.retry_after).toBeGreaterThan(0);
      expect(body.retry_after).toBeLessThanOrEqual(2);
      // Another route has its own bucket; a person's own client (session token) is not counted.
      expect((await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, bot.auth)).status).toBe(200);
      const person = await api(app, "GET", path, undefined, g.owner.bearer);
      expect(person.status).toBe(200);
      expect(person.headers.get("X-RateLimit-Limit")).toBeNull();
    } finally {
      await api(app, "PATCH", "/admin/instance", { api_rate_limit: { max: 50, window_ms: 5000 } }, admin.bearer);
    }
  });
});
