// Replies (quote, optional ping) and pins through the API, with their permissions and bad input.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";
import { channelStates } from "./read-state.ts";
import { MAX_PINS } from "./pins.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bob: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Pins and replies");
  alice = await createAccount(app);
  bob = await createAccount(app);
  await g.join(alice);
  await g.join(bob);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Msg = { id: string; content: string; type: number; pinned: boolean; mentions: { id: string }[]; message_reference?: { message_id: string }; referenced_message?: { id: string; content: string; author: { id: string } } | null };
const send = async (who: TestAccount, content: string, extra: Record<string, unknown> = {}, channel = g.generalId) => json<Msg>(await api(app, "POST", `/channels/${channel}/messages`, { content, ...extra }, who.bearer));
const mentionsOf = (who: TestAccount) => channelStates(app.server.core, who.user.id, [g.generalId]).get(g.generalId)!.mentions;

describe("replies", () => {
  test("a reply carries the original as referenced_message and pings its author only when asked", async () => {
    const original = await send(alice, "what time is the meeting?");
    const before = mentionsOf(alice);
    const quiet = await send(bob, "at noon", { message_reference: { message_id: original.id } });
    expect(quiet.type).toBe(19);
    expect(quiet.message_reference?.message_id).toBe(original.id);
    expect(quiet.referenced_message?.content).toBe("what time is the meeting?");
    expect(quiet.referenced_message?.author.id).toBe(alice.user.id);
    expect(quiet.mentions).toEqual([]);
    expect(mentionsOf(alice)).toBe(before);
    const loud = await send(bob, "noon!", { message_reference: { message_id: original.id }, allowed_mentions: { replied_user: true } });
    expect(loud.mentions.map((u) => u.id)).toEqual([alice.user.id]);
    expect(mentionsOf(alice)).toBe(before + 1);
  });

  test("the composer's reply with ping highlights the message for the original author", async () => {
    const original = await send(alice, "anyone here?");
    const form = new URLSearchParams({ content: "yes", nonce: "reply-ping-1", reply_to: original.id, reply_ping: "1" });
    const res = await app.fetch(`/channels/${g.generalId}/messages`, { method: "POST", headers: { Origin: app.url, Cookie: bob.cookie, "X-Composer": "1", "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    expect(res.status).toBe(201);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: bob.cookie } })).text();
    const { id } = await json<{ id: string }>(res);
    const article = page.slice(page.indexOf(`id="m-${id}"`) - 200, page.indexOf(`id="m-${id}"`) + 400);
    expect(article).toContain(`data-mentions="${alice.user.id}"`);
    expect(page).toContain(`data-jump="${original.id}"`);
  });

  test("replying to a message of another channel or an unknown message is refused", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "elsewhere", type: 0 }, g.owner.bearer));
    const there = await send(g.owner, "over here", {}, other.id);
    for (const message_id of [there.id, "123456789012345678"]) {
      const res = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "re", message_reference: { message_id } }, bob.bearer);
      expect(res.status).toBe(400);
      expect((await json<{ errors: Record<string, string> }>(res)).errors.message_reference).toBeDefined();
    }
    expect((await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "re", message_reference: { message_id: "abc" } }, bob.bearer)).status).toBe(400);
  });

  test("a reply whose original was deleted says so instead of quoting it", async () => {
    const original = await send(alice, "soon gone");
    const reply = await send(bob, "replying", { message_reference: { message_id: original.id } });
    expect((await api(app, "DELETE", `/channels/${g.generalId}/messages/${original.id}`, undefined, alice.bearer)).status).toBe(204);
    const fetched = await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${reply.id}`, undefined, bob.bearer));
    expect(fetched.referenced_message).toBeNull();
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: bob.cookie } })).text();
    expect(page).toContain('aria-labelledby="label-reply-deleted"');
  });
});

describe("pins", () => {
  test("pinning needs PIN_MESSAGES; the pinned list is newest pin first and unpinning removes it", async () => {
    const a = await send(alice, "first rule");
    const b = await send(alice, "second rule");
    expect((await api(app, "PUT", `/channels/${g.generalId}/pins/${a.id}`, undefined, bob.bearer)).status).toBe(403);
    expect((await api(app, "PUT", `/channels/${g.generalId}/messages/pins/${a.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "PUT", `/channels/${g.generalId}/pins/${b.id}`, undefined, g.owner.bearer)).status).toBe(204);
    const page = await json<{ items: { pinned_at: string; message: Msg }[]; has_more: boolean }>(await api(app, "GET", `/channels/${g.generalId}/messages/pins`, undefined, bob.bearer));
    expect(page.items.map((i) => i.message.id)).toEqual([b.id, a.id]);
    expect(page.items[0]!.message.pinned).toBe(true);
    expect(page.has_more).toBe(false);
    const legacy = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/pins`, undefined, bob.bearer));
    expect(legacy.map((m) => m.id)).toEqual([b.id, a.id]);
    expect((await api(app, "DELETE", `/channels/${g.generalId}/pins/${b.id}`, undefined, g.owner.bearer)).status).toBe(204);
    const after = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/pins`, undefined, bob.bearer));
    expect(after.map((m) => m.id)).toEqual([a.id]);
    expect((await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${b.id}`, undefined, bob.bearer))).pinned).toBe(false);
  });

  test("everyone in a direct message can pin", async () => {
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: bob.user.id }, alice.bearer));
    const m = await send(alice, "our plan", {}, dm.id);
    expect((await api(app, "PUT", `/channels/${dm.id}/pins/${m.id}`, undefined, bob.bearer)).status).toBe(204);
    expect((await json<Msg[]>(await api(app, "GET", `/channels/${dm.id}/pins`, undefined, alice.bearer))).map((x) => x.id)).toEqual([m.id]);
  });

  test("a channel holds at most MAX_PINS pinned messages and says so", async () => {
    const local = await createGuildFixture(app, "Pin limit");
    const ids: string[] = [];
    for (let i = 0; i <= MAX_PINS; i++) ids.push((await send(local.owner, `pin ${i}`, {}, local.generalId)).id);
    for (const id of ids.slice(0, MAX_PINS)) expect((await api(app, "PUT", `/channels/${local.generalId}/pins/${id}`, undefined, local.owner.bearer)).status).toBe(204);
    const res = await api(app, "PUT", `/channels/${local.generalId}/pins/${ids[MAX_PINS]}`, undefined, local.owner.bearer);
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain(String(MAX_PINS));
  }, 30_000); // 500 requests: seconds on a busy machine

  test("bad pin requests get clear errors", async () => {
    const m = await send(alice, "pin target");
    const outsider = await createAccount(app);
    expect((await api(app, "PUT", `/channels/${g.generalId}/pins/123456789012345678`, undefined, g.owner.bearer)).status).toBe(404);
    expect((await api(app, "PUT", `/channels/${g.generalId}/pins/not-an-id`, undefined, g.owner.bearer)).status).toBe(404);
    expect((await api(app, "PUT", `/channels/${g.generalId}/pins/${m.id}`, undefined, outsider.bearer)).status).toBe(404);
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/pins?limit=0`, undefined, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/pins?before=yesterday`, undefined, g.owner.bearer)).status).toBe(400);
  });
});
