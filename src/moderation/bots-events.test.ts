// What bots hear when moderators act: a kicked or banned bot loses its managed role, kicks and
// bans send GUILD_MEMBER_REMOVE with the whole user (Discord's shape), and a member accepting the
// server's rules sends GUILD_MEMBER_UPDATE with pending false.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let listener: TestBot;
type Frame = { op: number; t?: string | null; d?: any };

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Bot Moderation");
  listener = await createBot(app, g.owner, "Listener");
  await addBot(app, listener, g.guildId, g.owner, "0");
});
afterAll(() => app.close());

async function gateway(token: string, intents: number) {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const frames: Frame[] = [];
  ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
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
  return { ws, next };
}

const managedOf = async (botId: string) =>
  (await json<{ id: string; managed: boolean; tags?: { bot_id: string } }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, g.owner.bearer))).find((r) => r.tags?.bot_id === botId);

describe("moderation and bots", () => {
  test("kicking a bot removes its managed role, and the others hear GUILD_MEMBER_REMOVE with the whole user and GUILD_ROLE_DELETE", async () => {
    const gw = await gateway(listener.token, 1 | 2);
    const target = await createBot(app, g.owner, "Kicked");
    await addBot(app, target, g.guildId, g.owner, String(1n << 11n));
    const role = (await managedOf(target.id))!;
    expect(role.managed).toBe(true);
    expect((await api(app, "DELETE", `/guilds/${g.guildId}/members/${target.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect(await managedOf(target.id)).toBeUndefined();
    const removed = await gw.next((f) => f.t === "GUILD_MEMBER_REMOVE" && f.d.user.id === target.id);
    expect(removed.d).toMatchObject({ guild_id: g.guildId, user: { id: target.id, username: expect.any(String), bot: true } });
    expect((await gw.next((f) => f.t === "GUILD_ROLE_DELETE" && f.d.role_id === role.id)).d.guild_id).toBe(g.guildId);
    // Added back, it gets a managed role again.
    await addBot(app, target, g.guildId, g.owner, String(1n << 11n));
    const again = await managedOf(target.id);
    expect(again?.managed).toBe(true);
    expect(again?.id).not.toBe(role.id);
    gw.ws.close();
  });

  test("banning a bot removes its managed role; bans of people send GUILD_MEMBER_REMOVE and GUILD_BAN_ADD with the whole user", async () => {
    const gw = await gateway(listener.token, 1 | 2 | 4);
    const target = await createBot(app, g.owner, "Banned");
    await addBot(app, target, g.guildId, g.owner, String(1n << 11n));
    expect(await managedOf(target.id)).toBeDefined();
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${target.id}`, {}, g.owner.bearer)).status).toBe(204);
    expect(await managedOf(target.id)).toBeUndefined();
    const person = await createAccount(app, { displayName: "Mallory" });
    await g.join(person);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${person.user.id}`, { delete_message_seconds: 0 }, g.owner.bearer)).status).toBe(204);
    const removed = await gw.next((f) => f.t === "GUILD_MEMBER_REMOVE" && f.d.user.id === person.user.id);
    expect(removed.d).toMatchObject({ guild_id: g.guildId, user: { id: person.user.id, username: person.user.username, global_name: "Mallory" } });
    expect((await gw.next((f) => f.t === "GUILD_BAN_ADD" && f.d.user.id === person.user.id)).d.user.username).toBe(person.user.username);
    gw.ws.close();
  });

  test("a member accepting the server's rules sends GUILD_MEMBER_UPDATE with pending false", async () => {
    const gw = await gateway(listener.token, 1 | 2);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/rules`, { rules: "Be kind.", screening: true }, g.owner.bearer)).status).toBe(200);
    const newcomer = await createAccount(app);
    await g.join(newcomer);
    expect((await gw.next((f) => f.t === "GUILD_MEMBER_ADD" && f.d.user.id === newcomer.user.id)).d.pending).toBe(true);
    expect((await api(app, "POST", `/guilds/${g.guildId}/rules/accept`, undefined, newcomer.bearer)).status).toBe(204);
    const update = await gw.next((f) => f.t === "GUILD_MEMBER_UPDATE" && f.d.user.id === newcomer.user.id);
    expect(update.d).toMatchObject({ guild_id: g.guildId, pending: false });
    gw.ws.close();
  });
});
