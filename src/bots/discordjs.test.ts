// A real discord.js bot against a Pokynano server: only the API base URL changes (the gateway URL
// comes from GET /gateway/bot, as on Discord).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client, EmbedBuilder, Events, GatewayIntentBits, RESTEvents, type Message } from "discord.js";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
const clients: Client[] = [];
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Discord Friends");
  alice = await createAccount(app, { displayName: "Alice" });
  await g.join(alice);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(async () => {
  for (const client of clients) await client.destroy();
  await app.close();
});

/** A logged-in discord.js client for a new bot added to the server (SEND_MESSAGES, ADD_REACTIONS, MANAGE_MESSAGES, READ_MESSAGE_HISTORY, VIEW_CHANNEL, PIN_MESSAGES). */
async function startBot(name: string, intents: GatewayIntentBits[]): Promise<{ bot: TestBot; client: Client }> {
  const bot = await createBot(app, g.owner, name);
  await addBot(app, bot, g.guildId, g.owner, String((1n << 11n) | (1n << 6n) | (1n << 13n) | (1n << 16n) | (1n << 10n) | (1n << 51n)));
  const client = new Client({ intents, rest: { api: `${app.url}/api` } });
  clients.push(client);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(bot.token);
  await ready;
  return { bot, client };
}

const nextMessage = (client: Client, match: (m: Message) => boolean) => new Promise<Message>((resolve) => client.on(Events.MessageCreate, (m) => match(m) && resolve(m)));
const say = async (who: TestAccount, content: string) => json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content }, who.bearer));

describe("a discord.js bot", () => {
  let client: Client;
  let bot: TestBot;
  beforeAll(async () => {
    ({ client, bot } = await startBot("Echo", [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMessageReactions]));
  });

  test("connects and receives READY then GUILD_CREATE with the server's channels, roles and members", () => {
    expect(client.user!.id).toBe(bot.id);
    expect(client.user!.bot).toBe(true);
    expect(client.application!.id).toBe(bot.id);
    const guild = client.guilds.cache.get(g.guildId)!;
    expect(guild.name).toBe("Discord Friends");
    expect(guild.channels.cache.get(g.generalId)!.name).toBe("general");
    expect(guild.roles.cache.find((r) => r.name === "Echo")).toBeDefined();
    expect(guild.members.cache.get(alice.user.id)!.displayName).toBe("Alice");
    expect(guild.members.cache.get(bot.id)!.user.bot).toBe(true);
  });

  test("replies to a message, reacts, edits and deletes its reply; people see each step", async () => {
    const heard = nextMessage(client, (m) => m.content === "ping?");
    const ping = await say(alice, "ping?");
    const message = await heard;
    expect(message.author.id).toBe(alice.user.id);
    expect(message.guildId).toBe(g.guildId);

    const reply = await message.reply("pong!");
    const history = await json<{ id: string; content: string; author: { bot: boolean }; message_reference: { message_id: string } | null }[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=5`, undefined, alice.bearer));
    expect(history[0]).toMatchObject({ id: reply.id, content: "pong!", author: { bot: true }, message_reference: { message_id: ping.id } });

    await message.react("👍");
    const reactors = await json<{ id: string }[]>(await api(app, "GET", `/channels/${g.generalId}/messages/${ping.id}/reactions/${encodeURIComponent("👍")}`, undefined, alice.bearer));
    expect(reactors.map((u) => u.id)).toEqual([bot.id]);

    const edited = await reply.edit("pong (edited)");
    expect(edited.editedTimestamp).not.toBeNull();
    expect((await json<{ content: string }>(await api(app, "GET", `/channels/${g.generalId}/messages/${reply.id}`, undefined, alice.bearer))).content).toBe("pong (edited)");

    await reply.delete();
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/${reply.id}`, undefined, alice.bearer)).status).toBe(404);
  });

  test("hears reactions and edits made by people", async () => {
    const { id } = await say(alice, "react to me");
    const reacted = new Promise<string>((resolve) => client.once(Events.MessageReactionAdd, (r, user) => resolve(`${r.emoji.name} ${user.id}`)));
    await api(app, "PUT", `/channels/${g.generalId}/messages/${id}/reactions/${encodeURIComponent("🎉")}/@me`, undefined, alice.bearer);
    expect(await reacted).toBe(`🎉 ${alice.user.id}`);
    const updated = new Promise<string | null>((resolve) => client.once(Events.MessageUpdate, (_old, m) => resolve(m.content)));
    await api(app, "PATCH", `/channels/${g.generalId}/messages/${id}`, { content: "react to me, please" }, alice.bearer);
    expect(await updated).toBe("react to me, please");
  });

  test("fetches through the REST surface libraries call: itself, the server, its channels, roles, members, history, pins, typing", async () => {
    const guild = await client.guilds.fetch({ guild: g.guildId, force: true });
    expect(guild.ownerId).toBe(g.owner.user.id);
    const channels = await guild.channels.fetch();
    expect(channels.has(g.generalId)).toBe(true);
    expect((await guild.roles.fetch()).size).toBeGreaterThanOrEqual(2);
    expect((await guild.members.fetch({ user: alice.user.id, force: true })).user.username).toBe(alice.user.username);
    const channel = await client.channels.fetch(g.generalId);
    if (!channel?.isTextBased() || !("send" in channel)) throw new Error("general is not a text channel");
    await channel.sendTyping();
    const sent = await channel.send("pin me");
    await sent.pin();
    expect((await channel.messages.fetchPins()).items.map((p) => p.message.id)).toContain(sent.id);
    const recent = await channel.messages.fetch({ limit: 3 });
    expect(recent.first()!.id).toBe(sent.id);
  });

  test("sends an embed (title, description, url, color, fields, footer, image, thumbnail, author) that people read back", async () => {
    const channel = await client.channels.fetch(g.generalId);
    if (!channel?.isTextBased() || !("send" in channel)) throw new Error("general is not a text channel");
    const embed = new EmbedBuilder()
      .setTitle("Weather")
      .setDescription("Sunny all day")
      .setURL("https://example.org/weather")
      .setColor(0x5865f2)
      .addFields({ name: "High", value: "24°C", inline: true }, { name: "Low", value: "12°C", inline: true })
      .setFooter({ text: "from the Echo bot" })
      .setImage("https://example.org/map.png")
      .setThumbnail("https://example.org/sun.png")
      .setAuthor({ name: "Echo" });
    const sent = await channel.send({ content: "Today:", embeds: [embed] });
    expect(sent.embeds[0]!.title).toBe("Weather");
    const read = await json<{ embeds: Record<string, unknown>[] }>(await api(app, "GET", `/channels/${g.generalId}/messages/${sent.id}`, undefined, alice.bearer));
    expect(read.embeds[0]).toMatchObject({
      title: "Weather",
      description: "Sunny all day",
      url: "https://example.org/weather",
      color: 0x5865f2,
      fields: [{ name: "High", value: "24°C", inline: true }, { name: "Low", value: "12°C", inline: true }],
      footer: { text: "from the Echo bot" },
      image: { url: "https://example.org/map.png" },
      thumbnail: { url: "https://example.org/sun.png" },
      author: { name: "Echo" },
    });
    const edited = await sent.edit({ embeds: [embed.setTitle("Weather (updated)")] });
    expect(edited.embeds[0]!.title).toBe("Weather (updated)");
  });

  test("bulk-deletes its messages", async () => {
    const channel = await client.channels.fetch(g.generalId);
    if (!channel?.isTextBased() || !("bulkDelete" in channel)) throw new Error("general is not a text channel");
    const sent = await Promise.all(["a", "b", "c"].map((x) => channel.send(`bulk ${x}`)));
    const deleted = await channel.bulkDelete(sent.map((m) => m.id));
    expect(deleted.size).toBe(3);
    for (const m of sent) expect((await api(app, "GET", `/channels/${g.generalId}/messages/${m.id}`, undefined, alice.bearer)).status).toBe(404);
  });

  test("honours X-RateLimit headers and a 429: requests wait instead of failing", async () => {
    await writeSetting(app.server.queue, "api_rate_limit", { max: 2, windowMs: 1000 });
    const statuses: number[] = [];
    const onResponse = (_req: unknown, res: { status: number }) => statuses.push(res.status);
    client.rest.on(RESTEvents.Response, onResponse);
    try {
      const channel = await client.channels.fetch(g.generalId);
      if (!channel?.isTextBased() || !("send" in channel)) throw new Error("general is not a text channel");
      // Spend the bucket behind discord.js's back, so its next request is refused with a 429.
      for (let i = 0; i < 2; i++) await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `raw ${i}` }, bot.auth);
      const started = Date.now();
      const sent = await Promise.all([1, 2, 3, 4].map((n) => channel.send(`queued ${n}`)));
      expect(sent.map((m) => m.content).sort()).toEqual(["queued 1", "queued 2", "queued 3", "queued 4"]);
      expect(statuses).toContain(429);
      // Four sends at two per second after a refused one: at least two windows passed.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    } finally {
      client.rest.off(RESTEvents.Response, onResponse);
      await writeSetting(app.server.queue, "api_rate_limit", { max: 50, windowMs: 5000 });
    }
  }, 15_000);
});

describe("intents", () => {
  test("without MESSAGE_CONTENT a bot gets guild messages with empty content and embeds, except its mentions; without GUILD_MESSAGES none at all", async () => {
    const { client: quiet, bot: quietBot } = await startBot("Quiet", [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const { client: deaf } = await startBot("Deaf", [GatewayIntentBits.Guilds]);
    const deafHeard: string[] = [];
    deaf.on(Events.MessageCreate, (m) => deafHeard.push(m.id));

    const plain = nextMessage(quiet, (m) => m.author.id === alice.user.id && m.content === "" && m.embeds.length === 0);
    const sent = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "secret words", embeds: [{ title: "secret embed" }] }, alice.bearer));
    const got = await plain;
    expect(got.id).toBe(sent.id);

    const mention = nextMessage(quiet, (m) => m.content.startsWith("hey"));
    await say(alice, `hey <@${quietBot.id}> what's up`);
    expect((await mention).content).toBe(`hey <@${quietBot.id}> what's up`);

    // The same message reaches a bot with MESSAGE_CONTENT intact.
    const full = await startBot("Full", [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]);
    const withContent = nextMessage(full.client, (m) => m.author.id === alice.user.id);
    await say(alice, "visible to Full");
    expect((await withContent).content).toBe("visible to Full");
    expect(deafHeard).toEqual([]);
  });

  test("an IDENTIFY with intents out of range closes with 4013", async () => {
    const bot = await createBot(app, g.owner, "Bad Intents");
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    await new Promise((resolve) => (ws.onopen = resolve));
    ws.send(JSON.stringify({ op: 2, d: { token: bot.token, intents: 2 ** 40, properties: {} } }));
    expect(await closed).toBe(4013);
  });
});
