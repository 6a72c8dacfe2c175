// A real discord.js bot registers a slash command, a person runs it from the composer, and the
// bot answers through the interaction callback: a reply, an ephemeral reply, a deferral with a
// follow-up, and a button whose click updates the message.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Client, Events, GatewayIntentBits, MessageFlags, SlashCommandBuilder, type Interaction } from "discord.js";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bot: TestBot;
let client: Client;
type Msg = { id: string; content: string; author: { id: string }; components: { components: { custom_id?: string; label?: string }[] }[]; interaction_metadata?: unknown };

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Slash Club");
  alice = await createAccount(app, { displayName: "Alice" });
  await g.join(alice);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  bot = await createBot(app, g.owner, "Echo");
  await addBot(app, bot, g.guildId, g.owner, String((1n << 11n) | (1n << 10n)));
  client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: `${app.url}/api` } });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(bot.token);
  await ready;
});
afterAll(async () => {
  await client.destroy();
  await app.close();
});

const history = async () => json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=5`, undefined, alice.bearer));
// As the composer script posts it (Accept: JSON, so errors come back as {code, message}).
const run = (content: string, who = alice) =>
  app.fetch(`/channels/${g.generalId}/commands`, { method: "POST", headers: { Origin: app.url, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded", Cookie: who.cookie }, body: new URLSearchParams({ content }) });
const nextInteraction = () => new Promise<Interaction>((resolve) => client.once(Events.InteractionCreate, resolve));
async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
    await Bun.sleep(50);
  }
}

describe("slash commands with discord.js", () => {
  test("registers global and server commands with options, choices and required flags, and lists them back", async () => {
    const echo = new SlashCommandBuilder()
      .setName("echo")
      .setDescription("Say it again")
      .addStringOption((o) => o.setName("text").setDescription("What to say").setRequired(true))
      .addStringOption((o) => o.setName("tone").setDescription("How").addChoices({ name: "loud", value: "LOUD" }, { name: "soft", value: "soft" }));
    const registered = await client.application!.commands.set([echo.toJSON(), new SlashCommandBuilder().setName("later").setDescription("Answers after thinking").toJSON(), new SlashCommandBuilder().setName("secret").setDescription("Only for you").toJSON(), new SlashCommandBuilder().setName("buttons").setDescription("A button").toJSON()]);
    expect([...registered.values()].map((c) => c.name).sort()).toEqual(["buttons", "echo", "later", "secret"]);
    const local = await client.application!.commands.create({ name: "local", description: "This server only" }, g.guildId);
    expect(local.guildId).toBe(g.guildId);
    const fetched = await client.application!.commands.fetch();
    const fetchedEcho = fetched.find((c) => c.name === "echo")!;
    expect(fetchedEcho.options[0]).toMatchObject({ name: "text", required: true });
    expect(fetchedEcho.options[1]).toMatchObject({ name: "tone", choices: [{ name: "loud", value: "LOUD" }, { name: "soft", value: "soft" }] });
    // The composer offers them (with their options) next to the built-in commands.
    const offered = await json<{ name: string; options: { name: string; required: boolean }[] }[]>(await app.fetch(`/channels/${g.generalId}/commands`, { headers: { Cookie: alice.cookie } }));
    expect(offered.map((c) => c.name)).toEqual(expect.arrayContaining(["me", "shrug", "nick", "poll", "echo", "later", "secret", "buttons", "local"]));
    expect(offered.find((c) => c.name === "echo")!.options).toEqual([{ name: "text", required: true, type: 3 }, expect.objectContaining({ name: "tone", required: false })]);
  });

  test("a person runs /echo from the composer; the bot gets the options and replies in the channel", async () => {
    const heard = nextInteraction();
    expect((await run("/echo text:hello there tone:loud")).status).toBe(204);
    const interaction = await heard;
    if (!interaction.isChatInputCommand()) throw new Error("not a slash command");
    expect(interaction.user.id).toBe(alice.user.id);
    expect(interaction.guildId).toBe(g.guildId);
    expect(interaction.options.getString("text")).toBe("hello there");
    expect(interaction.options.getString("tone")).toBe("LOUD");
    await interaction.reply(`${interaction.options.getString("text")}!`);
    const [last] = await history();
    expect(last).toMatchObject({ content: "hello there!", author: { id: bot.id } });
    const reply = await interaction.fetchReply();
    expect(reply.id).toBe(last!.id);
  });

  test("an ephemeral reply reaches only the invoker and is not stored", async () => {
    const heard = nextInteraction();
    const before = (await history())[0]!.id;
    await run("/secret");
    const interaction = await heard;
    if (!interaction.isChatInputCommand()) throw new Error("not a slash command");
    await interaction.reply({ content: "just for you", flags: MessageFlags.Ephemeral });
    expect((await history())[0]!.id).toBe(before);
    const reply = await interaction.fetchReply();
    expect(reply.content).toBe("just for you");
    expect(reply.flags.has(MessageFlags.Ephemeral)).toBe(true);
  });

  test("a deferred reply is completed by editReply, then a follow-up adds a message", async () => {
    const heard = nextInteraction();
    await run("/later");
    const interaction = await heard;
    if (!interaction.isChatInputCommand()) throw new Error("not a slash command");
    await interaction.deferReply();
    await Bun.sleep(50);
    const edited = await interaction.editReply("done thinking");
    expect(edited.content).toBe("done thinking");
    const follow = await interaction.followUp("and one more thing");
    const list = await history();
    expect(list.slice(0, 2).map((m) => m.content)).toEqual(["and one more thing", "done thinking"]);
    expect(follow.id).toBe(list[0]!.id);
    // A second response is refused, as on Discord.
    await expect(interaction.reply("again")).rejects.toThrow();
  });

  test("the bot sends a button; a click reaches it as a component interaction and it updates the message", async () => {
    const heard = nextInteraction();
    await run("/buttons");
    const command = await heard;
    if (!command.isChatInputCommand()) throw new Error("not a slash command");
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("count").setLabel("Clicked 0").setStyle(ButtonStyle.Primary), new ButtonBuilder().setURL("https://example.org/").setLabel("Docs").setStyle(ButtonStyle.Link));
    await command.reply({ content: "Press it", components: [row] });
    const sent = (await history())[0]!;
    expect(sent.components[0]!.components.map((c) => c.label)).toEqual(["Clicked 0", "Docs"]);
    // The message as people see it has the buttons, once for every viewer.
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: alice.cookie } })).text();
    expect(page).toContain(`action="/channels/${g.generalId}/messages/${sent.id}/components"`);

    const clicked = nextInteraction();
    expect((await postForm(app, `/channels/${g.generalId}/messages/${sent.id}/components`, { custom_id: "count" }, alice.cookie)).status).toBe(204);
    const click = await clicked;
    if (!click.isButton()) throw new Error("not a button");
    expect(click.customId).toBe("count");
    expect(click.message.id).toBe(sent.id);
    expect(click.user.id).toBe(alice.user.id);
    await click.update({ content: "Pressed", components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("count").setLabel("Clicked 1").setStyle(ButtonStyle.Success))] });
    const after = await until(history, (l) => l.find((m) => m.id === sent.id)?.content === "Pressed");
    expect(after.find((m) => m.id === sent.id)!.components[0]!.components[0]!.label).toBe("Clicked 1");
  });

  test("bad invocations are refused clearly: unknown command, missing required option, wrong choice, unknown component", async () => {
    expect((await run("/nosuch")).status).toBe(400);
    const missing = await run("/echo");
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain("text");
    expect((await run("/echo text:x tone:medium")).status).toBe(400);
    const [last] = await history();
    expect((await postForm(app, `/channels/${g.generalId}/messages/${last!.id}/components`, { custom_id: "nope" }, alice.cookie)).status).toBe(400);
    expect((await postForm(app, `/channels/${g.generalId}/messages/${last!.id}/components`, { custom_id: "x".repeat(101) }, alice.cookie)).status).toBe(400);
    // A person cannot send components through the API.
    const res = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "x", components: [{ type: 1, components: [{ type: 2, style: 1, label: "a", custom_id: "a" }] }] }, alice.bearer);
    expect(res.status).toBe(400);
  });
});
