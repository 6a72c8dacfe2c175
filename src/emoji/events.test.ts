// GUILD_EMOJIS_UPDATE: a bot with GUILD_EXPRESSIONS hears every change to a server's custom emoji,
// with the whole list as Discord sends it; one without that intent hears nothing of it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let bot: TestBot;
type Frame = { op: number; t?: string | null; d?: any };

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Emoji Events");
  bot = await createBot(app, g.owner, "Watcher");
  await addBot(app, bot, g.guildId, g.owner, "0");
});
afterAll(() => app.close());

async function gateway(intents: number) {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const frames: Frame[] = [];
  ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
  await new Promise((resolve) => (ws.onopen = resolve));
  ws.send(JSON.stringify({ op: 2, d: { token: bot.token, intents, properties: {} } }));
  const next = async (match: (f: Frame) => boolean) => {
    for (let i = 0; i < 150; i++) {
      const found = frames.find(match);
      if (found) return found;
      await Bun.sleep(20);
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames.map((f) => f.t ?? f.op))}`);
  };
  await next((f) => f.t === "GUILD_CREATE");
  return { ws, frames, next };
}

const image = `data:image/png;base64,${Buffer.from(makePng(32, 32)).toString("base64")}`;
const updates = (frames: Frame[]) => frames.filter((f) => f.t === "GUILD_EMOJIS_UPDATE");

describe("GUILD_EMOJIS_UPDATE", () => {
  test("creating, renaming and deleting an emoji each send the server's emoji list to a bot with GUILD_EXPRESSIONS, and nothing to one without", async () => {
    const expressions = await gateway(1 | 8);
    const plain = await gateway(1);
    const base = `/guilds/${g.guildId}/emojis`;
    const first = await json<{ id: string }>(await api(app, "POST", base, { name: "wave", image }, g.owner.bearer));
    let frame = await expressions.next((f) => updates([f]).length > 0);
    expect(frame.d).toEqual({ guild_id: g.guildId, emojis: [{ id: first.id, name: "wave", animated: false, available: true, managed: false, require_colons: true, roles: [] }] });
    const second = await json<{ id: string }>(await api(app, "POST", base, { name: "cheer", image }, g.owner.bearer));
    await expressions.next(() => updates(expressions.frames).length === 2);
    expect(updates(expressions.frames)[1]!.d.emojis.map((e: { name: string }) => e.name)).toEqual(["cheer", "wave"]);
    await api(app, "PATCH", `${base}/${first.id}`, { name: "hello" }, g.owner.bearer);
    frame = await expressions.next(() => updates(expressions.frames).length === 3);
    expect(updates(expressions.frames)[2]!.d.emojis.map((e: { id: string; name: string }) => [e.id, e.name])).toEqual([[second.id, "cheer"], [first.id, "hello"]]);
    expect((await api(app, "DELETE", `${base}/${second.id}`, undefined, g.owner.bearer)).status).toBe(204);
    await expressions.next(() => updates(expressions.frames).length === 4);
    expect(updates(expressions.frames)[3]!.d).toMatchObject({ guild_id: g.guildId, emojis: [{ id: first.id, name: "hello" }] });
    // A refused change sends nothing.
    expect((await api(app, "POST", base, { name: "hello", image }, g.owner.bearer)).status).toBe(409);
    await Bun.sleep(150);
    expect(updates(expressions.frames)).toHaveLength(4);
    expect(updates(plain.frames)).toHaveLength(0);
    expressions.ws.close();
    plain.ws.close();
  });
});
