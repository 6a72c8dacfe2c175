// A bot's gateway session across a disconnect: RESUME replays what it missed with the same
// filtering as live (intents, content), and a reset token cannot resume.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot, type TestBot } from "../testing/bots.ts";
import { createGuildFixture, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let bot: TestBot;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Resume Land");
  bot = await createBot(app, g.owner, "Resumer");
  await addBot(app, bot, g.guildId, g.owner);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Frame = { op: number; t?: string | null; s?: number | null; d?: any };

async function connect(): Promise<{ ws: WebSocket; frames: Frame[]; next: (match: (f: Frame) => boolean) => Promise<Frame>; closed: Promise<number> }> {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const frames: Frame[] = [];
  ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
  const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
  await new Promise((resolve) => (ws.onopen = resolve));
  const next = async (match: (f: Frame) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const found = frames.find(match);
      if (found) return found;
      await Bun.sleep(20);
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames.map((f) => f.t ?? f.op))}`);
  };
  return { ws, frames, next, closed };
}

const say = (content: string) => api(app, "POST", `/channels/${g.generalId}/messages`, { content }, g.owner.bearer);

describe("a bot's gateway session", () => {
  test("RESUME replays missed messages filtered as live: guild messages without MESSAGE_CONTENT, mentions with it; no typing without its intent", async () => {
    const first = await connect();
    // GUILDS | GUILD_MESSAGES, no MESSAGE_CONTENT, no GUILD_MESSAGE_TYPING.
    first.ws.send(JSON.stringify({ op: 2, d: { token: bot.token, intents: 1 | 512, properties: {} } }));
    const ready = await first.next((f) => f.t === "READY");
    expect(ready.d.application).toEqual({ id: bot.id, flags: 0 });
    const guild = await first.next((f) => f.t === "GUILD_CREATE");
    expect(guild.d.members.some((m: { user: { id: string; bot: boolean } }) => m.user.id === bot.id && m.user.bot)).toBe(true);
    await say("before");
    const before = await first.next((f) => f.t === "MESSAGE_CREATE");
    expect(before.d.content).toBe("");
    first.ws.close();
    await first.closed;

    await say("missed plain");
    await say(`missed <@${bot.id}>`);
    await api(app, "POST", `/channels/${g.generalId}/typing`, undefined, g.owner.bearer);

    const again = await connect();
    again.ws.send(JSON.stringify({ op: 6, d: { token: bot.token, session_id: ready.d.session_id, seq: before.s } }));
    await again.next((f) => f.t === "RESUMED");
    const replayed = again.frames.filter((f) => f.t === "MESSAGE_CREATE").map((f) => f.d.content);
    expect(replayed).toEqual(["", `missed <@${bot.id}>`]);
    expect(again.frames.some((f) => f.t === "TYPING_START")).toBe(false);
    const seqs = again.frames.filter((f) => f.op === 0).map((f) => f.s!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    again.ws.close();
  });

  test("after a token reset the bot's connection closes with 4004 and the old token cannot identify or resume", async () => {
    const other = await createBot(app, g.owner, "Reset Me");
    const c = await connect();
    c.ws.send(JSON.stringify({ op: 2, d: { token: other.token, intents: 513 } }));
    const ready = await c.next((f) => f.t === "READY");
    await api(app, "POST", `/applications/${other.id}/bot/reset`, undefined, g.owner.bearer);
    expect(await c.closed).toBe(4004);
    const resume = await connect();
    resume.ws.send(JSON.stringify({ op: 6, d: { token: other.token, session_id: ready.d.session_id, seq: ready.s } }));
    expect((await resume.next((f) => f.op === 9)).d).toBe(false);
    const identify = await connect();
    identify.ws.send(JSON.stringify({ op: 2, d: { token: `Bot ${other.token}`, intents: 513 } }));
    expect(await identify.closed).toBe(4004);
  });
});
