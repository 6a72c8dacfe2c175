// A bot's life in servers beyond messages: member and role events on the gateway (with their
// intents), its managed role (reported managed, refused to people), setting the interactions
// endpoint as the owner, and deleting the application.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { verifyInteraction } from "../interactions/keys.ts";
import { allowLoopbackPortForTests } from "../net/test-allowance.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let bot: TestBot;
let alice: TestAccount;
type Frame = { op: number; t?: string | null; s?: number | null; d?: any };
type RoleJson = { id: string; name: string; managed: boolean; tags?: { bot_id: string } };

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Bot Life");
  alice = await createAccount(app, { displayName: "Alice" });
  await g.join(alice);
  bot = await createBot(app, g.owner, "Lifer");
  await addBot(app, bot, g.guildId, g.owner, String(1n << 11n));
});
afterAll(() => app.close());

async function gateway(token: string, intents: number) {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const frames: Frame[] = [];
  ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
  const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
  await new Promise((resolve) => (ws.onopen = resolve));
  ws.send(JSON.stringify({ op: 2, d: { token, intents, properties: {} } }));
  const next = async (match: (f: Frame) => boolean) => {
    for (let i = 0; i < 150; i++) {
      const found = frames.find(match);
      if (found) return found;
      await Bun.sleep(20);
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames.map((f) => f.t ?? f.op))}`);
  };
  await next((f) => f.t === "GUILD_CREATE");
  return { ws, frames, next, closed };
}

const managedRole = async () => (await json<RoleJson[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, g.owner.bearer))).find((r) => r.managed)!;

describe("a bot in a server", () => {
  test("with GUILD_MEMBERS it hears members join, change and leave; with GUILDS it hears roles made, changed and deleted", async () => {
    const members = await gateway(bot.token, 1 | 2);
    const bob = await createAccount(app, { displayName: "Bob" });
    await g.join(bob);
    const add = await members.next((f) => f.t === "GUILD_MEMBER_ADD" && f.d.user.id === bob.user.id);
    expect(add.d).toMatchObject({ guild_id: g.guildId, user: { id: bob.user.id, username: bob.user.username }, roles: [], nick: null });
    await api(app, "PATCH", `/guilds/${g.guildId}/members/@me`, { nick: "Bobby" }, bob.bearer);
    expect((await members.next((f) => f.t === "GUILD_MEMBER_UPDATE" && f.d.nick === "Bobby")).d.user.id).toBe(bob.user.id);
    const role = await json<RoleJson>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "Helpers" }, g.owner.bearer));
    expect((await members.next((f) => f.t === "GUILD_ROLE_CREATE")).d).toMatchObject({ guild_id: g.guildId, role: { id: role.id, name: "Helpers", managed: false } });
    await api(app, "PUT", `/guilds/${g.guildId}/members/${bob.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
    expect((await members.next((f) => f.t === "GUILD_MEMBER_UPDATE" && f.d.roles?.includes(role.id))).d.user.id).toBe(bob.user.id);
    await api(app, "PATCH", `/guilds/${g.guildId}/roles/${role.id}`, { name: "Helpers+" }, g.owner.bearer);
    expect((await members.next((f) => f.t === "GUILD_ROLE_UPDATE")).d.role.name).toBe("Helpers+");
    await api(app, "DELETE", `/guilds/${g.guildId}/roles/${role.id}`, undefined, g.owner.bearer);
    expect((await members.next((f) => f.t === "GUILD_ROLE_DELETE")).d).toEqual({ guild_id: g.guildId, role_id: role.id });
    await api(app, "DELETE", `/users/@me/guilds/${g.guildId}`, undefined, bob.bearer);
    expect((await members.next((f) => f.t === "GUILD_MEMBER_REMOVE")).d).toMatchObject({ guild_id: g.guildId, user: { id: bob.user.id, username: bob.user.username } });
    members.ws.close();

    // Without GUILD_MEMBERS: role events still come, member events do not.
    const plain = await gateway(bot.token, 1);
    const carol = await createAccount(app);
    await g.join(carol);
    await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "Later" }, g.owner.bearer);
    await plain.next((f) => f.t === "GUILD_ROLE_CREATE");
    await Bun.sleep(100);
    expect(plain.frames.some((f) => f.t?.startsWith("GUILD_MEMBER_"))).toBe(false);
    plain.ws.close();
  });

  test("its managed role is managed:true with tags.bot_id, and people cannot edit, delete, give or remove it (403 with a clear message)", async () => {
    const managed = await managedRole();
    expect(managed).toMatchObject({ name: "Lifer", managed: true, tags: { bot_id: bot.id } });
    const guild = await json<{ roles: RoleJson[] }>(await api(app, "GET", `/guilds/${g.guildId}`, undefined, g.owner.bearer));
    expect(guild.roles.find((r) => r.id === managed.id)).toMatchObject({ managed: true, tags: { bot_id: bot.id } });
    const refusals = [
      await api(app, "PATCH", `/guilds/${g.guildId}/roles/${managed.id}`, { name: "Mine now" }, g.owner.bearer),
      await api(app, "DELETE", `/guilds/${g.guildId}/roles/${managed.id}`, undefined, g.owner.bearer),
      await api(app, "PUT", `/guilds/${g.guildId}/members/${alice.user.id}/roles/${managed.id}`, undefined, g.owner.bearer),
      await api(app, "DELETE", `/guilds/${g.guildId}/members/${bot.id}/roles/${managed.id}`, undefined, g.owner.bearer),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(403);
      expect((await json<{ message: string }>(res)).message).toContain("managed by a bot");
    }
    expect((await managedRole()).name).toBe("Lifer");
    // The settings page says why too.
    const page = await postForm(app, `/guilds/${g.guildId}/roles/${managed.id}/delete`, {}, g.owner.cookie);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("managed by a bot");
    // Re-authorizing is how its permissions change.
    await addBot(app, bot, g.guildId, g.owner, String(1n << 13n));
    expect((await managedRole()).id).toBe(managed.id);
  });

  test("its owner sets the interactions endpoint with PATCH /applications/{id}; verify_key is in the application; bad URLs are refused", async () => {
    const mine = await json<{ verify_key: string; interactions_endpoint_url: string | null }>(await api(app, "GET", `/applications/${bot.id}`, undefined, g.owner.bearer));
    expect(mine.verify_key).toMatch(/^[0-9a-f]{64}$/);
    expect(mine.interactions_endpoint_url).toBeNull();
    const endpoint = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const body = await req.text();
        const ok = verifyInteraction(mine.verify_key, req.headers.get("X-Signature-Ed25519") ?? "", req.headers.get("X-Signature-Timestamp") ?? "", body);
        return ok ? Response.json({ type: 1 }) : new Response("bad signature", { status: 401 });
      },
    });
    try {
      allowLoopbackPortForTests(app.server.core, endpoint.port!);
      const url = `http://127.0.0.1:${endpoint.port}/i`;
      for (const bad of ["http://10.0.0.1/i", "javascript:alert(1)", 42, `http://127.0.0.1:${endpoint.port}/i`.replace("/i", "/i?x=".padEnd(2100, "x"))]) {
        expect((await api(app, "PATCH", `/applications/${bot.id}`, { interactions_endpoint_url: bad }, g.owner.bearer)).status).toBe(400);
      }
      expect((await api(app, "PATCH", `/applications/${bot.id}`, { interactions_endpoint_url: url }, alice.bearer)).status).toBe(404);
      expect((await api(app, "PATCH", `/applications/${bot.id}`, { interactions_endpoint_url: url, name: "x" }, g.owner.bearer)).status).toBe(400);
      const set = await api(app, "PATCH", `/applications/${bot.id}`, { interactions_endpoint_url: url }, g.owner.bearer);
      expect(set.status).toBe(200);
      expect(await json(set)).toMatchObject({ id: bot.id, verify_key: mine.verify_key, interactions_endpoint_url: url });
      expect(await json(await api(app, "GET", "/applications/@me", undefined, bot.auth))).toMatchObject({ interactions_endpoint_url: url, verify_key: mine.verify_key });
      expect(await json(await api(app, "PATCH", `/applications/${bot.id}`, { interactions_endpoint_url: null }, g.owner.bearer))).toMatchObject({ interactions_endpoint_url: null });
    } finally {
      endpoint.stop(true);
    }
  });

  test("deleting the application: the bot leaves every server with its managed role, its token, commands and gateway stop; only the owner may", async () => {
    const doomed = await createBot(app, g.owner, "Doomed");
    const other = await createGuildFixture(app, "Second Home");
    await addBot(app, doomed, g.guildId, g.owner, String(1n << 11n));
    await addBot(app, doomed, other.guildId, other.owner, "0");
    const command = await api(app, "POST", `/applications/${doomed.id}/commands`, { name: "ping", description: "Ping" }, doomed.auth);
    expect(command.status).toBe(201);
    const watcher = await gateway(bot.token, 1 | 2);
    const live = await gateway(doomed.token, 1);

    expect((await api(app, "DELETE", `/applications/${doomed.id}`, undefined, alice.bearer)).status).toBe(404);
    expect((await api(app, "DELETE", `/applications/${doomed.id}`, undefined, doomed.auth)).status).toBe(403);
    expect((await api(app, "DELETE", `/applications/not-an-id`, undefined, g.owner.bearer)).status).toBe(404);
    expect((await api(app, "DELETE", `/applications/${doomed.id}`, undefined, g.owner.bearer)).status).toBe(204);

    expect(await live.closed).toBe(4004);
    await watcher.next((f) => f.t === "GUILD_MEMBER_REMOVE" && f.d.user.id === doomed.id);
    await watcher.next((f) => f.t === "GUILD_ROLE_DELETE");
    watcher.ws.close();
    expect((await api(app, "GET", "/users/@me", undefined, doomed.auth)).status).toBe(401);
    for (const fx of [g, other]) {
      const members = await json<{ user: { id: string } }[]>(await api(app, "GET", `/guilds/${fx.guildId}/members`, undefined, fx.owner.bearer));
      expect(members.some((m) => m.user.id === doomed.id)).toBe(false);
      const roles = await json<RoleJson[]>(await api(app, "GET", `/guilds/${fx.guildId}/roles`, undefined, fx.owner.bearer));
      expect(roles.some((r) => r.tags?.bot_id === doomed.id)).toBe(false);
    }
    expect((await api(app, "GET", `/applications/${doomed.id}`, undefined, g.owner.bearer)).status).toBe(404);
    expect((await api(app, "GET", `/applications/${doomed.id}/commands`, undefined, g.owner.bearer)).status).toBe(404);
    const commands = await json<{ name: string }[]>(await app.fetch(`/channels/${g.generalId}/commands`, { headers: { Cookie: g.owner.cookie } }));
    expect(commands.some((c) => c.name === "ping")).toBe(false);
    // The other bot still works.
    expect((await api(app, "GET", "/users/@me", undefined, bot.auth)).status).toBe(200);
  });
});
