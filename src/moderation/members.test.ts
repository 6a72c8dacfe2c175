// Kick, ban with purge, unban, timeout: who may do them to whom (scenario tables), what a timed-out
// member can no longer do, and what a ban does to live sockets, invites and recent messages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let invite: string;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Moderated");
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  invite = (await json<{ code: string }>(await api(app, "POST", `/channels/${g.generalId}/invites`, { max_age: 0, max_uses: 0 }, g.owner.bearer))).code;
});
afterAll(() => app.close());

const MOD_PERMS = (2n | 4n | (1n << 40n) | (1n << 13n) | (1n << 7n)).toString(); // kick, ban, moderate, manage messages, audit log
async function role(name: string, permissions: string): Promise<string> {
  return (await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name, permissions }, g.owner.bearer))).id;
}
async function member(roleId?: string): Promise<TestAccount> {
  const acct = await createAccount(app);
  await g.join(acct);
  if (roleId) expect((await api(app, "PUT", `/guilds/${g.guildId}/members/${acct.user.id}/roles/${roleId}`, undefined, g.owner.bearer)).status).toBe(204);
  return acct;
}
const send = (who: TestAccount, content: string, channel = g.generalId) => api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer);
const inOneHour = () => new Date(Date.now() + 3600_000).toISOString();

describe("who may act on whom", () => {
  // Roles: "senior" above "moderator"; the moderator role holds the moderation permissions.
  let senior: string;
  let moderatorRole: string;
  beforeAll(async () => {
    senior = await role("senior", "0");
    moderatorRole = await role("moderator", MOD_PERMS);
    // New roles go just above @everyone: the one created last is lowest, so raise "senior" above "moderator".
    await api(app, "PATCH", `/guilds/${g.guildId}/roles`, [{ id: senior, position: 2 }, { id: moderatorRole, position: 1 }], g.owner.bearer);
  });

  const actions = {
    kick: (actor: TestAccount, target: string) => api(app, "DELETE", `/guilds/${g.guildId}/members/${target}`, undefined, actor.bearer),
    ban: (actor: TestAccount, target: string) => api(app, "PUT", `/guilds/${g.guildId}/bans/${target}`, { reason: "scenario" }, actor.bearer),
    timeout: (actor: TestAccount, target: string) => api(app, "PATCH", `/guilds/${g.guildId}/members/${target}`, { communication_disabled_until: inOneHour() }, actor.bearer),
  };
  const scenarios: [string, "moderator" | "member", "member" | "higher" | "owner", number][] = [
    ["a moderator acts on a plain member", "moderator", "member", 204],
    ["a member without the permission is refused", "member", "member", 403],
    ["a moderator cannot act on someone with a higher role", "moderator", "higher", 403],
    ["nobody but the owner acts on the owner, and not even a moderator", "moderator", "owner", 403],
  ];
  for (const [name, actorKind, targetKind, status] of scenarios) {
    for (const [action, call] of Object.entries(actions)) {
      test(`${action}: ${name} (${status})`, async () => {
        const actor = actorKind === "moderator" ? await member(moderatorRole) : await member();
        const target = targetKind === "owner" ? g.owner.user.id : (await member(targetKind === "higher" ? senior : undefined)).user.id;
        const res = await call(actor, target);
        // A timeout answers with the member (200), the others with 204.
        expect(res.status).toBe(status === 204 && action === "timeout" ? 200 : status);
      });
    }
  }
});

describe("timeouts", () => {
  test("a timed-out member cannot send (API or form), react, or start a thread, sees until when, and can again once it is removed", async () => {
    const victim = await member();
    const mine = await json<{ id: string }>(await send(victim, "before the timeout"));
    await api(app, "PUT", `/channels/${g.generalId}/messages/${mine.id}/reactions/${encodeURIComponent("👍")}/@me`, undefined, g.owner.bearer);
    const until = inOneHour();
    const patched = await json<{ communication_disabled_until: string }>(await api(app, "PATCH", `/guilds/${g.guildId}/members/${victim.user.id}`, { communication_disabled_until: until }, g.owner.bearer));
    expect(Date.parse(patched.communication_disabled_until)).toBe(Date.parse(until));

    const viaApi = await send(victim, "let me talk");
    expect(viaApi.status).toBe(403);
    expect((await viaApi.json()).message).toContain("timed out");
    const viaForm = await app.fetch(`/channels/${g.generalId}/messages`, { method: "POST", headers: { Origin: app.url, Cookie: victim.cookie, "Content-Type": "application/x-www-form-urlencoded", "X-Composer": "1" }, body: "content=form+try" });
    expect(viaForm.status).toBe(403);
    // Not even adding to a reaction that is already there.
    expect((await api(app, "PUT", `/channels/${g.generalId}/messages/${mine.id}/reactions/${encodeURIComponent("👍")}/@me`, undefined, victim.bearer)).status).toBe(403);
    expect((await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "escape" }, victim.bearer)).status).toBe(403);
    // Reading still works, and the page shows why instead of the composer.
    expect((await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, victim.bearer)).status).toBe(200);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: victim.cookie } })).text();
    expect(page).not.toContain('id="composer"');
    expect(page).toContain("moderation-notice");
    expect(page).toContain(until.slice(0, 16).replace("T", " "));

    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${victim.user.id}`, { communication_disabled_until: null }, g.owner.bearer)).status).toBe(200);
    expect((await send(victim, "back again")).status).toBe(200);
  });

  test("a timeout in the past or more than 28 days ahead is refused; administrators cannot be timed out", async () => {
    const victim = await member();
    const past = await api(app, "PATCH", `/guilds/${g.guildId}/members/${victim.user.id}`, { communication_disabled_until: new Date(Date.now() - 1000).toISOString() }, g.owner.bearer);
    expect(past.status).toBe(400);
    const far = await api(app, "PATCH", `/guilds/${g.guildId}/members/${victim.user.id}`, { communication_disabled_until: new Date(Date.now() + 29 * 86_400_000).toISOString() }, g.owner.bearer);
    expect(far.status).toBe(400);
    const admin = await member(await role("admins", (1n << 3n).toString()));
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${admin.user.id}`, { communication_disabled_until: inOneHour() }, g.owner.bearer)).status).toBe(403);
  });

  test("the settings page times a member out for one of the offered durations and removes it", async () => {
    const victim = await member();
    const res = await postForm(app, `/guilds/${g.guildId}/moderation/timeout/${victim.user.id}`, { seconds: "300" }, g.owner.cookie);
    expect(res.status).toBe(303);
    expect((await send(victim, "muted?")).status).toBe(403);
    await postForm(app, `/guilds/${g.guildId}/moderation/timeout/${victim.user.id}`, { seconds: "0" }, g.owner.cookie);
    expect((await send(victim, "unmuted")).status).toBe(200);
  });
});

async function gatewayClient(token: string) {
  const { url } = await json<{ url: string }>(await api(app, "GET", "/gateway"));
  const ws = new WebSocket(`${url}?v=10&encoding=json`);
  const events: { t: string; d: Record<string, unknown> }[] = [];
  let closed = false;
  ws.onmessage = (e) => {
    const f = JSON.parse(String(e.data));
    if (f.op === 10) ws.send(JSON.stringify({ op: 2, d: { token, intents: 33281 } }));
    if (f.op === 0) events.push({ t: f.t, d: f.d });
  };
  ws.onclose = () => (closed = true);
  const waitFor = async (t: string, match: (d: Record<string, unknown>) => boolean = () => true, ms = 5000) => {
    for (let i = 0; i < ms / 25; i++) {
      const found = events.find((e) => e.t === t && match(e.d));
      if (found) return found;
      await Bun.sleep(25);
    }
    throw new Error(`no ${t} (got ${events.map((e) => e.t).join(",")})`);
  };
  await waitFor("READY");
  return { events, waitFor, closed: () => closed, close: () => ws.close() };
}

describe("bans", () => {
  test("a ban closes the member's tab within 5 s, tells gateway clients, purges the last hour live (MESSAGE_DELETE_BULK) and keeps them out", async () => {
    const victim = await member();
    const watcher = await gatewayClient(g.owner.token);
    const victimGateway = await gatewayClient(victim.token);
    const tab = new WebSocket(`${app.url.replace("http", "ws")}/ws?channel=${g.generalId}`, { headers: { Cookie: victim.cookie, Origin: app.url } } as never);
    let tabClosedAt = 0;
    tab.onclose = () => (tabClosedAt = Date.now());
    await new Promise((resolve, reject) => ((tab.onopen = resolve), (tab.onerror = reject)));
    const posted = [await json<{ id: string }>(await send(victim, "spam one")), await json<{ id: string }>(await send(victim, "spam two"))];
    const kept = await json<{ id: string }>(await send(g.owner, "owner stays"));

    const bannedAt = Date.now();
    const res = await api(app, "PUT", `/guilds/${g.guildId}/bans/${victim.user.id}`, { reason: "spam", delete_message_seconds: 3600 }, g.owner.bearer);
    expect(res.status).toBe(204);
    for (let i = 0; i < 200 && !tabClosedAt; i++) await Bun.sleep(25);
    expect(tabClosedAt).toBeGreaterThan(0);
    expect(tabClosedAt - bannedAt).toBeLessThan(5000);
    await victimGateway.waitFor("GUILD_DELETE", (d) => d.id === g.guildId);

    const bulk = await watcher.waitFor("MESSAGE_DELETE_BULK");
    expect((bulk.d.ids as string[]).sort()).toEqual(posted.map((p) => p.id).sort());
    expect(watcher.events.some((e) => e.t === "MESSAGE_DELETE" && posted.some((p) => p.id === e.d.id))).toBe(false);
    await watcher.waitFor("GUILD_BAN_ADD", (d) => (d.user as { id: string }).id === victim.user.id);
    const history = await json<{ id: string }[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=50`, undefined, g.owner.bearer));
    expect(history.some((m) => posted.some((p) => p.id === m.id))).toBe(false);
    expect(history.some((m) => m.id === kept.id)).toBe(true);

    const rejoin = await api(app, "POST", `/invites/${invite}`, undefined, victim.bearer);
    expect(rejoin.status).toBe(403);
    const bans = await json<{ user: { id: string }; reason: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/bans`, undefined, g.owner.bearer));
    expect(bans.find((b) => b.user.id === victim.user.id)?.reason).toBe("spam");

    expect((await api(app, "DELETE", `/guilds/${g.guildId}/bans/${victim.user.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "POST", `/invites/${invite}`, undefined, victim.bearer)).status).toBe(200);
    watcher.close();
    victimGateway.close();
  });

  test("a ban without a purge keeps the messages; a purge period other than 0 to 7 days is refused", async () => {
    const victim = await member();
    const m = await json<{ id: string }>(await send(victim, "keep me"));
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${victim.user.id}`, { delete_message_seconds: 604_801 }, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${victim.user.id}`, {}, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/${m.id}`, undefined, g.owner.bearer)).status).toBe(200);
  });

  test("a kick removes the member, who may come back through an invite", async () => {
    const victim = await member();
    expect((await api(app, "DELETE", `/guilds/${g.guildId}/members/${victim.user.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/guilds/${g.guildId}`, undefined, victim.bearer)).status).toBe(404);
    expect((await api(app, "POST", `/invites/${invite}`, undefined, victim.bearer)).status).toBe(200);
  });
});
