// The sockets around a thread: the pane's own socket, the parent channel's, and who may open them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Sockets");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

async function tab(who: TestAccount, query: string) {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws?${query}`, { headers: { Cookie: who.cookie, Origin: app.url } } as never);
  const frames: string[] = [];
  ws.onmessage = (e) => frames.push(String(e.data));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const next = async (match: (f: string) => boolean) => {
    for (let i = 0; i < 60; i++) {
      const found = frames.find(match);
      if (found) return found;
      await Bun.sleep(50);
    }
    throw new Error(`no matching frame in ${frames.length}`);
  };
  return { frames, next, close: () => ws.close() };
}

describe("thread sockets", () => {
  test("a thread pane's socket hears its thread's messages and nothing of the channel beside it", async () => {
    const starter = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "socket topic" }, g.owner.bearer));
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages/${starter.id}/threads`, { name: "Sockets" }, g.owner.bearer));
    const page = await tab(member, `channel=${g.generalId}`);
    const pane = await tab(member, `channel=${thread.id}`);
    const reply = await json<{ id: string }>(await api(app, "POST", `/channels/${thread.id}/messages`, { content: "thread only" }, g.owner.bearer));
    const inChannel = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "channel only" }, g.owner.bearer));
    // The pane appends to its own list; the page gets the summary's new count, not the reply.
    expect(await pane.next((f) => f.includes(`id="m-${reply.id}"`))).toContain('hx-target="#thread-messages"');
    expect(await page.next((f) => f.includes(`#thread-slot-${starter.id}`) && f.includes('data-count="1"'))).toContain("thread-summary");
    await page.next((f) => f.includes(`id="m-${inChannel.id}"`));
    await Bun.sleep(200);
    expect(page.frames.some((f) => f.includes(`id="m-${reply.id}"`))).toBe(false);
    // The pane's socket carries the thread only: no channel message, no unread mark for the channel the page shows.
    expect(pane.frames.some((f) => f.includes(`m-${inChannel.id}`) || f.includes(g.generalId))).toBe(false);
    page.close();
    pane.close();
  });

  test("a thread's socket is refused to those who cannot see its channel", async () => {
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "Hidden soon" }, g.owner.bearer));
    const stranger = await createAccount(app);
    const refused = await app.fetch(`/ws?channel=${thread.id}`, { headers: { Cookie: stranger.cookie, Origin: app.url, Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" } });
    expect(refused.status).toBe(404);
  });
});
