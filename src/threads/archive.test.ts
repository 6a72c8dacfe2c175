// Archiving (by hand, by the auto-archive sweep, undone by a message), the archived list, thread
// members, and the gateway events that tell JSON clients about all of it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { archiveIdleThreads } from "./sweep.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Archive Hall");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Thread = { id: string; name: string; member_count: number; thread_metadata: { archived: boolean; auto_archive_duration: number; archive_timestamp: string; locked: boolean } };
type Member = { id: string; user_id: string; join_timestamp: string };
const HOUR = 3_600_000;
const start = async (name: string, extra: Record<string, unknown> = {}) => json<Thread>(await api(app, "POST", `/channels/${g.generalId}/threads`, { name, ...extra }, g.owner.bearer));
const get = async (id: string, who = g.owner) => json<Thread>(await api(app, "GET", `/channels/${id}`, undefined, who.bearer));
const archivedList = async (query = "") => json<{ threads: Thread[]; members: Member[]; has_more: boolean }>(await api(app, "GET", `/channels/${g.generalId}/threads/archived/public${query}`, undefined, member.bearer));

describe("auto-archive", () => {
  test("the sweep archives a thread idle for its duration, and a message counts as activity", async () => {
    const quiet = await start("Quiet", { auto_archive_duration: 60 });
    const busy = await start("Busy", { auto_archive_duration: 60 });
    const weekly = await start("Weekly", { auto_archive_duration: 10080 });
    // All three were started two hours ago.
    const twoHoursAgo = Date.now() - 2 * HOUR;
    await app.server.queue.write(({ sqlite }) => sqlite.query("UPDATE threads SET active_at = ? WHERE channel_id IN (?, ?, ?)").run(twoHoursAgo, BigInt(quiet.id), BigInt(busy.id), BigInt(weekly.id)));
    // Someone writes in the busy one now.
    await api(app, "POST", `/channels/${busy.id}/messages`, { content: "still here" }, member.bearer);
    const archived = await archiveIdleThreads(app.server.core, Date.now());
    expect(archived).toContain(quiet.id);
    expect(archived).not.toContain(busy.id);
    expect(archived).not.toContain(weekly.id);
    expect((await get(quiet.id)).thread_metadata.archived).toBe(true);
    expect((await get(busy.id)).thread_metadata.archived).toBe(false);
    expect((await get(weekly.id)).thread_metadata.archived).toBe(false);
    // An hour after its last message the busy one goes too; the weekly one a week after it started.
    expect(await archiveIdleThreads(app.server.core, Date.now() + HOUR + 5000)).toEqual([busy.id]);
    expect(await archiveIdleThreads(app.server.core, twoHoursAgo + 7 * 24 * HOUR + 5000)).toEqual([weekly.id]);
    // Archived threads are left alone by later sweeps.
    expect(await archiveIdleThreads(app.server.core, Date.now() + 30 * 24 * HOUR)).not.toContain(quiet.id);
  });

  test("sending to an archived thread reopens it, and the sweep leaves it open for a new period", async () => {
    const thread = await start("Sleepy", { auto_archive_duration: 60 });
    const later = Date.now() + 2 * HOUR;
    expect(await archiveIdleThreads(app.server.core, later)).toContain(thread.id);
    expect((await get(thread.id)).thread_metadata.archived).toBe(true);
    const sent = await api(app, "POST", `/channels/${thread.id}/messages`, { content: "wake up" }, member.bearer);
    expect(sent.status).toBe(200);
    await app.server.queue.drain();
    const reopened = await get(thread.id);
    expect(reopened.thread_metadata.archived).toBe(false);
    expect(Date.parse(reopened.thread_metadata.archive_timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(await archiveIdleThreads(app.server.core, Date.now() + HOUR / 2)).not.toContain(thread.id);
  });

  test("the archived list is newest archive first, pages with before and limit, and leaves active threads out", async () => {
    const local = await createGuildFixture(app, "Pager");
    const names = ["one", "two", "three"];
    const made: Thread[] = [];
    for (const name of names) {
      const t = await json<Thread>(await api(app, "POST", `/channels/${local.generalId}/threads`, { name }, local.owner.bearer));
      made.push(await json<Thread>(await api(app, "PATCH", `/channels/${t.id}`, { archived: true }, local.owner.bearer)));
      await Bun.sleep(5);
    }
    await api(app, "POST", `/channels/${local.generalId}/threads`, { name: "open" }, local.owner.bearer);
    const list = async (q: string) => json<{ threads: Thread[]; members: Member[]; has_more: boolean }>(await api(app, "GET", `/channels/${local.generalId}/threads/archived/public${q}`, undefined, local.owner.bearer));
    const all = await list("");
    expect(all.threads.map((t) => t.name)).toEqual(["three", "two", "one"]);
    expect(all.has_more).toBe(false);
    // The caller's own memberships come along, as in Discord.
    expect(all.members.map((m) => m.user_id)).toEqual([local.owner.user.id, local.owner.user.id, local.owner.user.id]);
    const first = await list("?limit=2");
    expect(first.threads.map((t) => t.name)).toEqual(["three", "two"]);
    expect(first.has_more).toBe(true);
    const next = await list(`?limit=2&before=${encodeURIComponent(first.threads[1]!.thread_metadata.archive_timestamp)}`);
    expect(next.threads.map((t) => t.name)).toEqual(["one"]);
    expect(next.has_more).toBe(false);
    expect((await archivedList()).threads.every((t) => t.thread_metadata.archived)).toBe(true);
  });

  test("an archived thread only takes being reopened; then it takes edits again", async () => {
    const thread = await start("Frozen");
    await api(app, "PATCH", `/channels/${thread.id}`, { archived: true }, g.owner.bearer);
    const refused = await api(app, "PATCH", `/channels/${thread.id}`, { name: "Thawed" }, g.owner.bearer);
    expect(refused.status).toBe(400);
    expect((await json<{ code: number }>(refused)).code).toBe(50083);
    const both = await json<Thread>(await api(app, "PATCH", `/channels/${thread.id}`, { archived: false, name: "Thawed" }, g.owner.bearer));
    expect(both).toMatchObject({ name: "Thawed", thread_metadata: { archived: false } });
  });
});

describe("thread members", () => {
  test("joining and leaving change the member list; joining an archived thread is refused", async () => {
    const thread = await start("Club");
    expect((await api(app, "PUT", `/channels/${thread.id}/thread-members/@me`, undefined, member.bearer)).status).toBe(204);
    // Joining twice changes nothing.
    expect((await api(app, "PUT", `/channels/${thread.id}/thread-members/@me`, undefined, member.bearer)).status).toBe(204);
    let list = await json<Member[]>(await api(app, "GET", `/channels/${thread.id}/thread-members`, undefined, member.bearer));
    expect(list.map((m) => m.user_id).sort()).toEqual([g.owner.user.id, member.user.id].sort());
    expect(list.every((m) => m.id === thread.id && !Number.isNaN(Date.parse(m.join_timestamp)))).toBe(true);
    expect((await json<Member>(await api(app, "GET", `/channels/${thread.id}/thread-members/${member.user.id}`, undefined, g.owner.bearer))).user_id).toBe(member.user.id);
    expect((await get(thread.id, member)).member_count).toBe(2);
    expect((await api(app, "DELETE", `/channels/${thread.id}/thread-members/@me`, undefined, member.bearer)).status).toBe(204);
    list = await json<Member[]>(await api(app, "GET", `/channels/${thread.id}/thread-members`, undefined, member.bearer));
    expect(list.map((m) => m.user_id)).toEqual([g.owner.user.id]);
    expect((await api(app, "GET", `/channels/${thread.id}/thread-members/${member.user.id}`, undefined, g.owner.bearer)).status).toBe(404);
    await api(app, "PATCH", `/channels/${thread.id}`, { archived: true }, g.owner.bearer);
    const refused = await api(app, "PUT", `/channels/${thread.id}/thread-members/@me`, undefined, member.bearer);
    expect(refused.status).toBe(400);
    expect((await json<{ code: number }>(refused)).code).toBe(50083);
  });
});

type Frame = { op: number; t?: string | null; d?: any };
async function gatewayClient(token: string) {
  const frames: Frame[] = [];
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.send(JSON.stringify({ op: 2, d: { token, intents: 513 } }));
  const next = async (match: (f: Frame) => boolean) => {
    for (let waited = 0; waited < 3000; waited += 20) {
      const found = frames.find(match);
      if (found) return found;
      await Bun.sleep(20);
    }
    throw new Error(`no matching frame; got ${frames.map((f) => f.t ?? f.op).join(", ")}`);
  };
  await next((f) => f.t === "READY");
  return { next, close: () => ws.close() };
}

describe("gateway events", () => {
  test("JSON clients hear THREAD_CREATE, the thread's messages, THREAD_MEMBERS_UPDATE, THREAD_UPDATE and THREAD_DELETE", async () => {
    const bot = await gatewayClient(member.token);
    const starter = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "gateway topic" }, g.owner.bearer));
    const thread = await json<Thread>(await api(app, "POST", `/channels/${g.generalId}/messages/${starter.id}/threads`, { name: "Gateway thread" }, g.owner.bearer));
    const created = await bot.next((f) => f.t === "THREAD_CREATE" && f.d.id === thread.id);
    expect(created.d).toMatchObject({ type: 11, parent_id: g.generalId, guild_id: g.guildId, newly_created: true, thread_metadata: { archived: false } });
    // The thread was created after this client connected: its messages still reach it.
    await api(app, "POST", `/channels/${thread.id}/messages`, { content: "inside" }, g.owner.bearer);
    expect((await bot.next((f) => f.t === "MESSAGE_CREATE" && f.d.channel_id === thread.id)).d.content).toBe("inside");
    await api(app, "PUT", `/channels/${thread.id}/thread-members/@me`, undefined, member.bearer);
    const members = await bot.next((f) => f.t === "THREAD_MEMBERS_UPDATE" && f.d.added_members?.[0]?.user_id === member.user.id);
    expect(members.d).toMatchObject({ id: thread.id, guild_id: g.guildId, member_count: 2, removed_member_ids: [] });
    await api(app, "PATCH", `/channels/${thread.id}`, { archived: true }, g.owner.bearer);
    expect((await bot.next((f) => f.t === "THREAD_UPDATE" && f.d.id === thread.id)).d.thread_metadata.archived).toBe(true);
    await api(app, "DELETE", `/channels/${thread.id}`, undefined, g.owner.bearer);
    expect((await bot.next((f) => f.t === "THREAD_DELETE")).d).toMatchObject({ id: thread.id, parent_id: g.generalId, guild_id: g.guildId, type: 11 });
    bot.close();
  });
});
