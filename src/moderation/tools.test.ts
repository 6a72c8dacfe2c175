// Reports queue, audit log, screening, channel tools (lock, bulk delete, last N, move) and IP bans,
// through the real app.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSession } from "../auth/sessions.ts";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { pruneAudit } from "./audit.ts";

let app: TestApp;
let g: GuildFixture;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Tools");
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

async function member(): Promise<TestAccount> {
  const acct = await createAccount(app);
  await g.join(acct);
  return acct;
}
const send = (who: TestAccount, content: string, channel = g.generalId) => api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer);
type Entry = { action_type: number; user_id: string | null; target_id: string | null; reason?: string; changes: { key: string; old_value?: unknown; new_value?: unknown }[]; options?: Record<string, string> };
const auditLog = async (query = "") => (await json<{ audit_log_entries: Entry[] }>(await api(app, "GET", `/guilds/${g.guildId}/audit-logs${query}`, undefined, g.owner.bearer))).audit_log_entries;

describe("reports", () => {
  test("a member reports a message; the queue keeps its text after the author deletes it; a moderator acts from the queue and it is closed", async () => {
    const author = await member();
    const reporter = await member();
    const m = await json<{ id: string }>(await send(author, "something nasty"));
    const empty = await api(app, "POST", `/channels/${g.generalId}/messages/${m.id}/reports`, { reason: "  " }, reporter.bearer);
    expect(empty.status).toBe(400);
    const report = await json<{ id: string; status: string }>(await api(app, "POST", `/channels/${g.generalId}/messages/${m.id}/reports`, { reason: "insulting" }, reporter.bearer));
    expect(report.status).toBe("open");
    await api(app, "DELETE", `/channels/${g.generalId}/messages/${m.id}`, undefined, author.bearer);
    // Members do not see the queue.
    expect((await api(app, "GET", `/guilds/${g.guildId}/reports`, undefined, reporter.bearer)).status).toBe(403);
    const queue = await json<{ id: string; content: string; target_user_id: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/reports`, undefined, g.owner.bearer));
    expect(queue.find((r) => r.id === report.id)).toMatchObject({ content: "something nasty", target_user_id: author.user.id });
    const page = await (await app.fetch(`/guilds/${g.guildId}/settings/reports`, { headers: { Cookie: g.owner.cookie } })).text();
    expect(page).toContain("something nasty");

    const done = await json<{ status: string; resolution: string }>(await api(app, "POST", `/guilds/${g.guildId}/reports/${report.id}/resolve`, { action: "timeout", duration_seconds: 60 }, g.owner.bearer));
    expect(done).toMatchObject({ status: "actioned", resolution: "timeout" });
    expect((await send(author, "am I muted")).status).toBe(403);
    expect((await json<unknown[]>(await api(app, "GET", `/guilds/${g.guildId}/reports`, undefined, g.owner.bearer))).length).toBe(0);
  });

  test("a member is reported; the queue's form dismisses it", async () => {
    const target = await member();
    const reporter = await member();
    const report = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/reports`, { user_id: target.user.id, reason: "rude name" }, reporter.bearer));
    expect((await postForm(app, `/guilds/${g.guildId}/moderation/reports/${report.id}`, { action: "dismiss" }, g.owner.cookie)).status).toBe(303);
    const all = await json<{ id: string; status: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/reports?status=dismissed`, undefined, g.owner.bearer));
    expect(all.find((r) => r.id === report.id)?.status).toBe("dismissed");
  });
});

describe("audit log", () => {
  test("moderation and administration actions are logged with who, target, reason (X-Audit-Log-Reason) and before/after", async () => {
    const target = await member();
    await api(app, "PATCH", `/guilds/${g.guildId}`, { name: "Tools renamed" }, { ...g.owner.bearer, "X-Audit-Log-Reason": encodeURIComponent("new name: été") });
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "helpers" }, g.owner.bearer));
    await api(app, "PATCH", `/guilds/${g.guildId}/roles/${role.id}`, { permissions: "8192" }, g.owner.bearer);
    await api(app, "PUT", `/guilds/${g.guildId}/members/${target.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
    const ch = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "audited", type: 0 }, g.owner.bearer));
    await api(app, "PATCH", `/channels/${ch.id}`, { topic: "a topic", rate_limit_per_user: 10 }, g.owner.bearer);
    await api(app, "PUT", `/channels/${ch.id}/lock`, undefined, g.owner.bearer);
    await api(app, "PATCH", `/guilds/${g.guildId}/members/${target.user.id}`, { communication_disabled_until: new Date(Date.now() + 60_000).toISOString() }, { ...g.owner.bearer, "X-Audit-Log-Reason": "cool down" });
    await api(app, "PUT", `/guilds/${g.guildId}/bans/${target.user.id}`, { reason: "enough" }, g.owner.bearer);
    await api(app, "DELETE", `/guilds/${g.guildId}/bans/${target.user.id}`, undefined, g.owner.bearer);
    await api(app, "DELETE", `/channels/${ch.id}`, undefined, g.owner.bearer);

    const entries = await auditLog();
    const find = (type: number) => entries.find((e) => e.action_type === type);
    expect(find(1)).toMatchObject({ user_id: g.owner.user.id, reason: "new name: été", changes: [{ key: "name", old_value: "Tools", new_value: "Tools renamed" }] });
    expect(find(30)?.changes.find((c) => c.key === "name")).toEqual({ key: "name", new_value: "helpers" });
    expect(find(31)?.changes).toEqual([{ key: "permissions", old_value: "0", new_value: "8192" }]);
    expect(find(25)).toMatchObject({ target_id: target.user.id, changes: [{ key: "$add", new_value: [{ id: role.id, name: "helpers" }] }] });
    expect(find(10)?.target_id).toBe(ch.id);
    expect(find(11)?.changes).toEqual([{ key: "topic", old_value: "", new_value: "a topic" }, { key: "rate_limit_per_user", old_value: 0, new_value: 10 }]);
    expect(find(13)?.options).toEqual({ id: g.guildId, type: "0" });
    expect(find(24)).toMatchObject({ target_id: target.user.id, reason: "cool down" });
    expect(find(22)).toMatchObject({ target_id: target.user.id, reason: "enough" });
    expect(find(23)?.target_id).toBe(target.user.id);
    expect(find(12)?.target_id).toBe(ch.id);
    // Filters.
    const bans = await auditLog("?action_type=22");
    expect(bans.every((e) => e.action_type === 22)).toBe(true);
    expect((await auditLog(`?user_id=${target.user.id}`)).length).toBe(0);
    // Members without VIEW_AUDIT_LOG do not see it; the page shows it to those who may.
    const someone = await member();
    expect((await api(app, "GET", `/guilds/${g.guildId}/audit-logs`, undefined, someone.bearer)).status).toBe(403);
    const page = await (await app.fetch(`/guilds/${g.guildId}/settings/audit?action_type=22`, { headers: { Cookie: g.owner.cookie } })).text();
    expect(page).toContain("MEMBER_BAN_ADD");
    expect(page).not.toContain("ROLE_CREATE</code>");
  });

  test("entries older than the retention setting are pruned", async () => {
    expect((await auditLog()).length).toBeGreaterThan(0);
    await writeSetting(app.server.queue, "audit_log_retention_days", 1);
    expect(await pruneAudit(app.server.core, Date.now() + 2 * 86_400_000)).toBeGreaterThan(0);
    expect((await auditLog()).length).toBe(0);
  });
});

describe("channel tools", () => {
  test("lock denies sending to @everyone in one call and unlock gives it back", async () => {
    const m = await member();
    expect((await api(app, "PUT", `/channels/${g.generalId}/lock`, undefined, m.bearer)).status).toBe(403);
    expect((await api(app, "PUT", `/channels/${g.generalId}/lock`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await send(m, "locked?")).status).toBe(403);
    expect((await send(g.owner, "owner still talks")).status).toBe(200);
    expect((await api(app, "DELETE", `/channels/${g.generalId}/lock`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await send(m, "unlocked")).status).toBe(200);
  });

  test("bulk delete takes 2-100 ids of this channel, deletes all or nothing; 'last N' deletes the newest N", async () => {
    const m = await member();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await json<{ id: string }>(await send(m, `bulk ${i}`))).id);
    expect((await api(app, "POST", `/channels/${g.generalId}/messages/bulk-delete`, { messages: [ids[0]] }, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "POST", `/channels/${g.generalId}/messages/bulk-delete`, { messages: [ids[0], "123"] }, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "POST", `/channels/${g.generalId}/messages/bulk-delete`, { messages: ids.slice(0, 2) }, m.bearer)).status).toBe(403);
    expect((await api(app, "POST", `/channels/${g.generalId}/messages/bulk-delete`, { messages: ids.slice(0, 2) }, g.owner.bearer)).status).toBe(204);
    const purged = await json<{ deleted: number }>(await api(app, "POST", `/channels/${g.generalId}/messages/purge`, { limit: 2 }, g.owner.bearer));
    expect(purged.deleted).toBe(2);
    const left = await json<{ id: string }[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=100`, undefined, g.owner.bearer));
    expect(ids.filter((id) => left.some((x) => x.id === id))).toEqual([ids[2]!]);
    expect((await auditLog("?action_type=73")).length).toBe(2);
  });

  test("a message moves into a new thread, or an existing one of the channel, and leaves the channel", async () => {
    const m = await member();
    const msg = await json<{ id: string }>(await send(m, "off topic here"));
    expect((await api(app, "POST", `/channels/${g.generalId}/messages/${msg.id}/move`, {}, m.bearer)).status).toBe(403);
    const moved = await json<{ thread_id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages/${msg.id}/move`, { name: "Off topic" }, g.owner.bearer));
    const inThread = await json<{ id: string; content: string }[]>(await api(app, "GET", `/channels/${moved.thread_id}/messages`, undefined, g.owner.bearer));
    expect(inThread.map((x) => x.content)).toContain("off topic here");
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/${msg.id}`, undefined, g.owner.bearer)).status).toBe(404);
    const second = await json<{ id: string }>(await send(m, "this too"));
    expect((await api(app, "POST", `/channels/${g.generalId}/messages/${second.id}/move`, { thread_id: moved.thread_id }, g.owner.bearer)).status).toBe(200);
    expect((await json<unknown[]>(await api(app, "GET", `/channels/${moved.thread_id}/messages`, undefined, g.owner.bearer))).length).toBe(2);
  });
});

describe("member screening", () => {
  test("with screening on, a newcomer reads the rules and cannot talk until they accept them", async () => {
    expect((await api(app, "PUT", `/guilds/${g.guildId}/rules`, { rules: "", screening: true }, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/rules`, { rules: "Be kind.", screening: true }, g.owner.bearer)).status).toBe(200);
    const newcomer = await member();
    const refused = await send(newcomer, "hi");
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toContain("Accept this server's rules");
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: newcomer.cookie } })).text();
    expect(page).toContain("Be kind.");
    expect(page).toContain("rules-gate");
    expect((await postForm(app, `/guilds/${g.guildId}/moderation/accept-rules`, {}, newcomer.cookie)).status).toBe(303);
    expect((await send(newcomer, "hi")).status).toBe(200);
    await api(app, "PUT", `/guilds/${g.guildId}/rules`, { rules: "Be kind.", screening: false }, g.owner.bearer);
  });
});

describe("instance IP bans", () => {
  test("an admin bans a range: accounts seen from it are signed out and their messages purged; others are untouched; non-admins are refused", async () => {
    const admin = await createAccount(app, { admin: true });
    const far = await member();
    const { token } = await createSession(app.server.core, far.user.id, "browser", { ip: "203.0.113.9", userAgent: "test" });
    const bearer = { Authorization: `Bearer ${token}` };
    const m = await json<{ id: string }>(await send({ ...far, bearer }, "from afar"));
    const bystander = await member();
    expect((await api(app, "POST", "/admin/ip-bans", { ip: "203.0.113.0/24" }, bystander.bearer)).status).toBe(403);
    expect((await api(app, "POST", "/admin/ip-bans", { ip: "0.0.0.0/0" }, admin.bearer)).status).toBe(400);
    const res = await api(app, "POST", "/admin/ip-bans", { ip: "203.0.113.0/24", reason: "raid", delete_message_seconds: 3600 }, admin.bearer);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ip: "203.0.113.0/24", users_signed_out: 1, messages_deleted: 1 });
    expect((await api(app, "GET", "/users/@me", undefined, bearer)).status).toBe(401);
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/${m.id}`, undefined, g.owner.bearer)).status).toBe(404);
    expect((await api(app, "GET", "/users/@me", undefined, bystander.bearer)).status).toBe(200);
    const list = await json<{ id: string; ip: string }[]>(await api(app, "GET", "/admin/ip-bans", undefined, admin.bearer));
    expect(list.map((b) => b.ip)).toEqual(["203.0.113.0/24"]);
    expect((await api(app, "DELETE", `/admin/ip-bans/${list[0]!.id}`, undefined, admin.bearer)).status).toBe(204);
  });

  test("requests from a banned address are refused at the door (behind a trusted proxy)", async () => {
    const proxied = await createTestApp({ trustProxy: true });
    try {
      const admin = await createAccount(proxied, { admin: true });
      expect((await api(proxied, "POST", "/admin/ip-bans", { ip: "198.51.100.7" }, admin.bearer)).status).toBe(201);
      expect((await proxied.fetch("/healthz", { headers: { "X-Forwarded-For": "198.51.100.7" } })).status).toBe(403);
      expect((await proxied.fetch("/healthz", { headers: { "X-Forwarded-For": "198.51.100.8" } })).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
