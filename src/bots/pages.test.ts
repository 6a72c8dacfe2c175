// The developer pages and the BOT tag, through the real server as a browser would use them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot } from "../testing/bots.ts";
import { createGuildFixture, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let dev: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Page Land");
  dev = await createAccount(app);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const page = async (path: string, cookie: string) => (await app.fetch(path, { headers: { Cookie: cookie } })).text();
const tokenIn = (html: string) => /data-testid="bot-token">\s*(pkb\.[^<\s]+)/.exec(html)?.[1] ?? null;

describe("Settings → Developer", () => {
  test("creating a bot shows its token once; the token works; reloading the page does not show it again", async () => {
    const res = await postForm(app, "/settings/developer", { name: "Page Bot", description: "Made in a form <b>" }, dev.cookie);
    expect(res.status).toBe(201);
    const html = await res.text();
    const token = tokenIn(html)!;
    expect(token).toMatch(/^pkb\./);
    expect(html).toContain("Made in a form &lt;b&gt;");
    expect(html).toContain("/oauth2/authorize?client_id=");
    expect((await api(app, "GET", "/users/@me", undefined, { Authorization: `Bot ${token}` })).status).toBe(200);
    const again = await page("/settings/developer", dev.cookie);
    expect(again).toContain("Page Bot");
    expect(tokenIn(again)).toBeNull();
    expect(again).not.toContain(token);
    expect(again).toContain("discord.js");
  });

  test("a bad name keeps the form and says why; nothing is created", async () => {
    const res = await postForm(app, "/settings/developer", { name: "x" }, dev.cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("2 to 32");
    expect((await page("/settings/developer", dev.cookie)).match(/class="bot-app /g)?.length).toBe(1);
  });

  test("editing, an avatar and resetting the token; another person's bot is a 404", async () => {
    const bot = await createBot(app, dev, "Editable");
    expect((await postForm(app, `/settings/developer/${bot.id}`, { name: "Edited", description: "new words" }, dev.cookie)).status).toBe(303);
    const upload = new FormData();
    upload.append("avatar", new File([makePng(64, 64) as Uint8Array<ArrayBuffer>], "a.png", { type: "image/png" }));
    const avatar = await app.fetch(`/settings/developer/${bot.id}/avatar`, { method: "POST", body: upload, headers: { Cookie: dev.cookie, Origin: app.url } });
    expect(avatar.status).toBe(303);
    const self = (await (await api(app, "GET", "/users/@me", undefined, bot.auth)).json()) as { global_name: string; avatar: string | null };
    expect(self.global_name).toBe("Edited");
    expect(self.avatar).toMatch(/^[0-9a-f]{64}$/);
    const reset = await postForm(app, `/settings/developer/${bot.id}/reset`, {}, dev.cookie);
    const token = tokenIn(await reset.text())!;
    expect(token).not.toBe(bot.token);
    expect((await api(app, "GET", "/users/@me", undefined, bot.auth)).status).toBe(401);
    const stranger = await createAccount(app);
    expect((await postForm(app, `/settings/developer/${bot.id}/reset`, {}, stranger.cookie)).status).toBe(404);
  });
});

describe("the invite page", () => {
  test("signed out, it goes to login and comes back with the whole invite link", async () => {
    const bot = await createBot(app, dev, "Inviter");
    const res = await app.fetch(`/oauth2/authorize?client_id=${bot.id}&scope=bot&permissions=2048`);
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.get("Location")!)).toBe(`/login?next=/oauth2/authorize?client_id=${bot.id}&scope=bot&permissions=2048`);
  });

  test("lists the servers you manage with the asked permissions ticked, and adds the bot with them", async () => {
    const bot = await createBot(app, dev, "Joiner");
    const html = await page(`/oauth2/authorize?client_id=${bot.id}&scope=bot&permissions=${(1n << 11n) | (1n << 6n)}`, g.owner.cookie);
    expect(html).toContain("Page Land");
    expect(html).toMatch(/value="SEND_MESSAGES" checked/);
    expect(html).toMatch(/value="ADD_REACTIONS" checked/);
    expect(html).not.toMatch(/value="ADMINISTRATOR" checked/);
    // Someone who manages no server is told so.
    expect(await page(`/oauth2/authorize?client_id=${bot.id}&scope=bot`, dev.cookie)).toContain("Manage Server");
    const res = await postForm(app, `/oauth2/authorize?client_id=${bot.id}&scope=bot`, { guild_id: g.guildId, permissions: ["SEND_MESSAGES", "VIEW_CHANNEL"] }, g.owner.cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`/channels/${g.guildId}`);
    const member = (await (await api(app, "GET", `/guilds/${g.guildId}/members/${bot.id}`, undefined, g.owner.bearer)).json()) as { roles: string[] };
    expect(member.roles.length).toBe(1);
    expect((await app.fetch(`/oauth2/authorize?client_id=12345&scope=bot`, { headers: { Cookie: g.owner.cookie } })).status).toBe(404);
  });
});

describe("the BOT tag", () => {
  test("a bot's messages and its row in the member list carry the tag; a person's do not", async () => {
    const bot = await createBot(app, dev, "Tagged");
    await addBot(app, bot, g.guildId, g.owner, String(1n << 11n));
    const sent = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "beep from a bot" }, bot.auth);
    expect(sent.status).toBe(200);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "hello from a person" }, g.owner.bearer);
    const html = await page(`/channels/${g.guildId}/${g.generalId}`, g.owner.cookie);
    const articles = html.split("<article").slice(1).map((a) => a.split("</article>")[0]!);
    const botMessage = articles.find((a) => a.includes("beep from a bot"))!;
    const personMessage = articles.find((a) => a.includes("hello from a person"))!;
    expect(botMessage).toContain('class="bot-tag"');
    expect(personMessage).not.toContain('class="bot-tag"');
    const row = html.split('class="member-row').find((r) => r.includes(`data-user-id="${bot.id}"`))!;
    expect(row).toContain('class="bot-tag"');
  });
});
