// Threads through the JSON API: starting them, who may, what they hold, and bad input.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { Permission } from "../permissions/permissions.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
let outsider: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Thread Town");
  member = await createAccount(app);
  outsider = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Thread = { id: string; type: number; parent_id: string; owner_id: string; name: string; message_count: number; member_count: number; guild_id: string; thread_metadata: { archived: boolean; auto_archive_duration: number; archive_timestamp: string; locked: boolean }; member?: { user_id: string } };
type Msg = { id: string; channel_id: string; content: string };
const send = async (who: TestAccount, channelId: string, content: string) => json<Msg>(await api(app, "POST", `/channels/${channelId}/messages`, { content }, who.bearer));
const fromMessage = (who: TestAccount, channelId: string, messageId: string, body: unknown) => api(app, "POST", `/channels/${channelId}/messages/${messageId}/threads`, body, who.bearer);
const inChannel = (who: TestAccount, channelId: string, body: unknown) => api(app, "POST", `/channels/${channelId}/threads`, body, who.bearer);

describe("starting threads", () => {
  test("a thread started from a message takes the message's id, its channel as parent and its starter as owner and member", async () => {
    const starter = await send(member, g.generalId, "Who wants to plan the picnic?");
    const res = await fromMessage(member, g.generalId, starter.id, { name: "Picnic", auto_archive_duration: 60 });
    expect(res.status).toBe(201);
    const thread = await json<Thread>(res);
    expect(thread).toMatchObject({ id: starter.id, type: 11, parent_id: g.generalId, guild_id: g.guildId, owner_id: member.user.id, name: "Picnic", message_count: 0, member_count: 1 });
    expect(thread.thread_metadata).toMatchObject({ archived: false, auto_archive_duration: 60, locked: false });
    expect(thread.member?.user_id).toBe(member.user.id);
    // A message has one thread.
    const again = await fromMessage(g.owner, g.generalId, starter.id, { name: "Picnic 2" });
    expect(again.status).toBe(400);
    expect((await json<{ code: number }>(again)).code).toBe(160004);
  });

  test("a thread started in a channel defaults to public, 24 hours, and is not listed among the server's channels", async () => {
    const res = await inChannel(member, g.generalId, { name: "  Off   topic  " });
    expect(res.status).toBe(201);
    const thread = await json<Thread>(res);
    expect(thread).toMatchObject({ type: 11, name: "Off topic", parent_id: g.generalId });
    expect(thread.thread_metadata.auto_archive_duration).toBe(1440);
    const channels = await json<{ id: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, member.bearer));
    expect(channels.map((c) => c.id)).not.toContain(thread.id);
    const fetched = await json<Thread>(await api(app, "GET", `/channels/${thread.id}`, undefined, g.owner.bearer));
    expect(fetched).toMatchObject({ id: thread.id, type: 11, thread_metadata: { archived: false } });
    const active = await json<{ threads: Thread[] }>(await api(app, "GET", `/guilds/${g.guildId}/threads/active`, undefined, member.bearer));
    expect(active.threads.map((t) => t.id)).toContain(thread.id);
  });

  test("thread replies stay out of the parent channel's history, and the thread counts them", async () => {
    const starter = await send(g.owner, g.generalId, "Release notes discussion");
    const thread = await json<Thread>(await fromMessage(g.owner, g.generalId, starter.id, { name: "Release" }));
    const replies = [await send(member, thread.id, "first reply"), await send(g.owner, thread.id, "second reply")];
    expect(replies.map((r) => r.channel_id)).toEqual([thread.id, thread.id]);
    const parent = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=100`, undefined, member.bearer));
    expect(parent.map((m) => m.content)).toContain("Release notes discussion");
    expect(parent.map((m) => m.content)).not.toContain("first reply");
    const inThread = await json<Msg[]>(await api(app, "GET", `/channels/${thread.id}/messages`, undefined, member.bearer));
    expect(inThread.map((m) => m.content)).toEqual(["second reply", "first reply"]);
    await app.server.queue.drain();
    const fetched = await json<Thread>(await api(app, "GET", `/channels/${thread.id}`, undefined, member.bearer));
    expect(fetched.message_count).toBe(2);
    // Writing in a thread makes you a member of it.
    expect(fetched.member_count).toBe(2);
  });
});

describe("who may start and use threads", () => {
  test("threads need CREATE_PUBLIC_THREADS, and sending in them SEND_MESSAGES_IN_THREADS (not SEND_MESSAGES)", async () => {
    const local = await createGuildFixture(app, "Strict");
    const alice = await createAccount(app);
    await local.join(alice);
    const starter = await send(local.owner, local.generalId, "topic");
    const thread = await json<Thread>(await fromMessage(local.owner, local.generalId, starter.id, { name: "Topic" }));
    const deny = (bits: bigint) => api(app, "PUT", `/channels/${local.generalId}/permissions/${local.guildId}`, { type: 0, deny: bits.toString() }, local.owner.bearer);

    expect((await deny(Permission.CREATE_PUBLIC_THREADS)).status).toBe(204);
    expect((await inChannel(alice, local.generalId, { name: "nope" })).status).toBe(403);
    expect((await fromMessage(alice, local.generalId, (await send(alice, local.generalId, "mine")).id, { name: "nope" })).status).toBe(403);
    expect((await api(app, "POST", `/channels/${thread.id}/messages`, { content: "still fine" }, alice.bearer)).status).toBe(200);

    // No SEND_MESSAGES in the channel, but threads still take messages.
    expect((await deny(Permission.SEND_MESSAGES)).status).toBe(204);
    expect((await api(app, "POST", `/channels/${local.generalId}/messages`, { content: "x" }, alice.bearer)).status).toBe(403);
    expect((await api(app, "POST", `/channels/${thread.id}/messages`, { content: "in thread" }, alice.bearer)).status).toBe(200);

    expect((await deny(Permission.SEND_MESSAGES_IN_THREADS)).status).toBe(204);
    expect((await api(app, "POST", `/channels/${thread.id}/messages`, { content: "x" }, alice.bearer)).status).toBe(403);
    // Hiding the channel hides its threads.
    expect((await deny(Permission.VIEW_CHANNEL)).status).toBe(204);
    expect((await api(app, "GET", `/channels/${thread.id}`, undefined, alice.bearer)).status).toBe(404);
    expect((await api(app, "GET", `/channels/${thread.id}/messages`, undefined, alice.bearer)).status).toBe(404);
    expect((await api(app, "PUT", `/channels/${thread.id}/thread-members/@me`, undefined, alice.bearer)).status).toBe(404);
  });

  test("people outside the server cannot see, join or write in its threads", async () => {
    const thread = await json<Thread>(await inChannel(member, g.generalId, { name: "Members only" }));
    for (const [method, path, body] of [
      ["GET", `/channels/${thread.id}`],
      ["GET", `/channels/${thread.id}/messages`],
      ["POST", `/channels/${thread.id}/messages`, { content: "hi" }],
      ["PUT", `/channels/${thread.id}/thread-members/@me`],
      ["GET", `/channels/${thread.id}/thread-members`],
      ["PATCH", `/channels/${thread.id}`, { archived: true }],
      ["POST", `/channels/${g.generalId}/threads`, { name: "x" }],
      ["GET", `/channels/${g.generalId}/threads/archived/public`],
    ] as [string, string, unknown?][]) {
      expect([method, path, (await api(app, method, path, body, outsider.bearer)).status]).toEqual([method, path, 404]);
    }
  });

  test("only the owner or MANAGE_THREADS rename and archive a thread; locking and deleting need MANAGE_THREADS", async () => {
    const thread = await json<Thread>(await inChannel(member, g.generalId, { name: "Mine" }));
    const bystander = await createAccount(app);
    await g.join(bystander);
    expect((await api(app, "PATCH", `/channels/${thread.id}`, { name: "Theirs" }, bystander.bearer)).status).toBe(403);
    expect((await api(app, "PATCH", `/channels/${thread.id}`, { locked: true }, member.bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/channels/${thread.id}`, undefined, member.bearer)).status).toBe(403);
    const renamed = await json<Thread>(await api(app, "PATCH", `/channels/${thread.id}`, { name: "Ours", auto_archive_duration: 4320 }, member.bearer));
    expect(renamed).toMatchObject({ name: "Ours", thread_metadata: { auto_archive_duration: 4320 } });
    const locked = await json<Thread>(await api(app, "PATCH", `/channels/${thread.id}`, { locked: true, archived: true }, g.owner.bearer));
    expect(locked.thread_metadata).toMatchObject({ locked: true, archived: true });
    // A locked thread is reopened by moderators only, and takes no messages from others.
    expect((await api(app, "PATCH", `/channels/${thread.id}`, { archived: false }, member.bearer)).status).toBe(403);
    expect((await api(app, "POST", `/channels/${thread.id}/messages`, { content: "let me in" }, member.bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/channels/${thread.id}`, undefined, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "GET", `/channels/${thread.id}`, undefined, g.owner.bearer)).status).toBe(404);
  });

  test("deleting a channel deletes its threads and their messages", async () => {
    const channel = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "temporary", type: 0 }, g.owner.bearer));
    const thread = await json<Thread>(await inChannel(g.owner, channel.id, { name: "Goes too" }));
    await send(g.owner, thread.id, "bye");
    expect((await api(app, "DELETE", `/channels/${channel.id}`, undefined, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "GET", `/channels/${thread.id}`, undefined, g.owner.bearer)).status).toBe(404);
    const left = app.server.db.reader.query<{ n: bigint }, [bigint]>("SELECT count(*) AS n FROM messages WHERE channel_id = ?").get(BigInt(thread.id))!;
    expect(Number(left.n)).toBe(0);
  });
});

describe("bad input", () => {
  test("threads are refused in DMs, voice channels, categories and other threads", async () => {
    const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, g.owner.bearer));
    const voice = channels.find((c) => c.type === 2)!;
    const category = channels.find((c) => c.type === 4)!;
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: member.user.id }, g.owner.bearer));
    const dmMessage = await send(g.owner, dm.id, "private");
    const thread = await json<Thread>(await inChannel(g.owner, g.generalId, { name: "Parent thread" }));
    const inThread = await send(g.owner, thread.id, "nested?");
    for (const res of [
      await inChannel(g.owner, voice.id, { name: "x" }),
      await inChannel(g.owner, category.id, { name: "x" }),
      await inChannel(g.owner, dm.id, { name: "x" }),
      await fromMessage(g.owner, dm.id, dmMessage.id, { name: "x" }),
      await inChannel(g.owner, thread.id, { name: "x" }),
      await fromMessage(g.owner, thread.id, inThread.id, { name: "x" }),
    ]) {
      expect(res.status).toBe(400);
      expect((await json<{ code: number }>(res)).code).toBe(50024);
    }
  });

  test("unknown and malformed ids are 404s, bad names, durations and fields are 400s", async () => {
    const starter = await send(g.owner, g.generalId, "bad input target");
    expect((await fromMessage(g.owner, g.generalId, "123456789012345678", { name: "x" })).status).toBe(404);
    expect((await fromMessage(g.owner, "123456789012345678", starter.id, { name: "x" })).status).toBe(404);
    expect((await fromMessage(g.owner, "abc", starter.id, { name: "x" })).status).toBe(404);
    expect((await fromMessage(g.owner, g.generalId, "1e5", { name: "x" })).status).toBe(404);
    expect((await inChannel(g.owner, "../1", { name: "x" })).status).toBe(404);
    expect((await api(app, "GET", "/channels/99999999999999999/thread-members", undefined, g.owner.bearer)).status).toBe(404);
    expect((await api(app, "PUT", "/channels/not-a-thread/thread-members/@me", undefined, g.owner.bearer)).status).toBe(404);
    // A channel that is not a thread has no thread members.
    expect((await api(app, "PUT", `/channels/${g.generalId}/thread-members/@me`, undefined, g.owner.bearer)).status).toBe(404);
    for (const body of [{ name: "x".repeat(101) }, { name: "   " }, { name: "" }, { name: 5 }, { name: ["a"] }, { name: null }, {}, { name: "ok", auto_archive_duration: 30 }, { name: "ok", owner_id: "1" }, { name: "ok", type: 12 }, { name: "ok", rate_limit_per_user: 99999 }]) {
      const res = await inChannel(g.owner, g.generalId, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    const long = await fromMessage(g.owner, g.generalId, starter.id, { name: "é".repeat(101) });
    expect(long.status).toBe(400);
    expect((await json<{ errors: Record<string, string> }>(long)).errors.name).toMatch(/100/);
    const thread = await json<Thread>(await inChannel(g.owner, g.generalId, { name: "Patch me" }));
    for (const body of [{ name: "y".repeat(101) }, { auto_archive_duration: 2 }, { archived: "yes" }, { topic: "no such field" }]) {
      expect((await api(app, "PATCH", `/channels/${thread.id}`, body, g.owner.bearer)).status).toBe(400);
    }
    const malformed = await app.fetch(`/api/v10/channels/${g.generalId}/threads`, { method: "POST", headers: { ...g.owner.bearer, "Content-Type": "application/json" }, body: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect((await api(app, "GET", `/channels/${g.generalId}/threads/archived/public?before=yesterday`, undefined, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "GET", `/channels/${g.generalId}/threads/archived/public?limit=0`, undefined, g.owner.bearer)).status).toBe(400);
  });

  test("thread names are stored as text: markup and control characters do nothing", async () => {
    const thread = await json<Thread>(await inChannel(g.owner, g.generalId, { name: '<img src=x onerror=alert(1)> hx-get="/x"\u202e' }));
    expect(thread.name).toBe('<img src=x onerror=alert(1)> hx-get="/x"');
    const page = await app.fetch(`/channels/${g.guildId}/${g.generalId}?threads=1`, { headers: { Cookie: g.owner.cookie } });
    const html = await page.text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
