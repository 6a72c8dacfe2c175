// Presence and typing against the real server: browser sockets, the JSON gateway, the HTTP routes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { OFFLINE_GRACE_MS } from "../hub/hub.ts";

let app: TestApp;
let g: GuildFixture;
let ana: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Presence Land");
  ana = await createAccount(app, { displayName: "Ana" });
  await g.join(ana);
});
afterAll(() => app.close());

type Frame = { op: number; t?: string | null; s?: number | null; d?: any };

/** Something that collects what it receives and can wait for a match. */
class Inbox<T> {
  items: T[] = [];
  private waiters: (() => void)[] = [];
  push(item: T) {
    this.items.push(item);
    for (const w of this.waiters.splice(0)) w();
  }
  async next(match: (item: T) => boolean, timeout = 3000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const found = this.items.find(match);
      if (found) return found;
      if (Date.now() - started > timeout) throw new Error(`nothing matched; got ${JSON.stringify(this.items).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

async function gateway(token: string) {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
  const inbox = new Inbox<Frame>();
  const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
  ws.onmessage = (e) => inbox.push(JSON.parse(String(e.data)));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  await inbox.next((f) => f.op === 10);
  ws.send(JSON.stringify({ op: 2, d: { token } }));
  await inbox.next((f) => f.t === "READY");
  return { ws, inbox, closed, send: (p: unknown) => ws.send(typeof p === "string" ? p : JSON.stringify(p)) };
}

async function tab(who: TestAccount, query = `channel=${g.generalId}`, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws?${query}`, { headers: { Cookie: who.cookie, Origin: app.url, ...headers } } as never);
  const inbox = new Inbox<string>();
  const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
  ws.onmessage = (e) => inbox.push(String(e.data));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error("refused"));
  });
  return { ws, inbox, closed };
}

const presenceOf = (userId: string, status: string) => (f: Frame) => f.t === "PRESENCE_UPDATE" && f.d.user.id === userId && f.d.status === status;

describe("typing", () => {
  test("POST /channels/{id}/typing answers 204 and tells the gateway (TYPING_START with the member) and the channel's tabs", async () => {
    const bot = await gateway(g.owner.token);
    const viewer = await tab(g.owner);
    const res = await api(app, "POST", `/channels/${g.generalId}/typing`, undefined, ana.bearer);
    expect(res.status).toBe(204);
    const event = await bot.inbox.next((f) => f.t === "TYPING_START");
    expect(event.d).toMatchObject({ channel_id: g.generalId, guild_id: g.guildId, user_id: ana.user.id, member: { user: { id: ana.user.id } } });
    expect(Math.abs(event.d.timestamp - Date.now() / 1000)).toBeLessThan(5);
    const frame = await viewer.inbox.next((f) => f.includes('hx-target="#typing-people"'));
    expect(frame).toContain(`data-user-id="${ana.user.id}"`);
    expect(frame).toContain('data-name="Ana"');
    bot.ws.close();
    viewer.ws.close();
  });

  test("the browser's typing ping works with the session cookie, and names are escaped", async () => {
    const sly = await createAccount(app, { displayName: '<img src=x onerror=1>"hx-get=x' });
    await g.join(sly);
    const viewer = await tab(g.owner);
    expect((await postForm(app, `/channels/${g.generalId}/typing`, {}, sly.cookie)).status).toBe(204);
    const frame = await viewer.inbox.next((f) => f.includes(sly.user.id) && f.includes("#typing-people"));
    expect(frame).not.toContain("<img");
    expect(frame).toContain("&lt;img");
    viewer.ws.close();
  });

  test("typing where you cannot see or cannot send is refused, and a flood is rate limited", async () => {
    const outsider = await createAccount(app);
    expect((await api(app, "POST", `/channels/${g.generalId}/typing`, undefined, outsider.bearer)).status).toBe(404);
    expect((await api(app, "POST", "/channels/not-an-id/typing", undefined, ana.bearer)).status).toBe(404);
    expect((await api(app, "POST", `/channels/${g.generalId}/typing`)).status).toBe(401);
    const quiet = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "read-only", type: 0 }, g.owner.bearer));
    await api(app, "PUT", `/channels/${quiet.id}/permissions/${g.guildId}`, { type: 0, deny: "2048" }, g.owner.bearer);
    expect((await api(app, "POST", `/channels/${quiet.id}/typing`, undefined, ana.bearer)).status).toBe(403);
    const flood = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "flood", type: 0 }, g.owner.bearer));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api(app, "POST", `/channels/${flood.id}/typing`, undefined, ana.bearer)).status);
    expect(statuses).toEqual([204, 204, 204, 429, 429]);
  });
});

describe("presence", () => {
  test("a user is online while a tab is open and offline within seconds after the last one closes; GUILD_CREATE lists who is online", async () => {
    const bea = await createAccount(app);
    await g.join(bea);
    const watcher = await gateway(g.owner.token);
    const first = await tab(bea);
    const second = await tab(bea);
    await watcher.inbox.next(presenceOf(bea.user.id, "online"));
    const late = await gateway(ana.token);
    const created = await late.inbox.next((f) => f.t === "GUILD_CREATE" && f.d.id === g.guildId);
    expect(created.d.presences).toContainEqual({ user: { id: bea.user.id }, status: "online", activities: [], client_status: { web: "online" } });
    // One tab closing is not the last one: still online.
    first.ws.close();
    await Bun.sleep(OFFLINE_GRACE_MS + 300);
    expect(watcher.inbox.items.some(presenceOf(bea.user.id, "offline"))).toBe(false);
    const closedAt = Date.now();
    second.ws.close();
    await watcher.inbox.next(presenceOf(bea.user.id, "offline"), 5000);
    expect(Date.now() - closedAt).toBeLessThan(5000);
    watcher.ws.close();
    late.ws.close();
  });

  test("a tab reports idle over its socket; the user is idle only when every tab is, and the member list says so", async () => {
    const cy = await createAccount(app);
    await g.join(cy);
    const watcher = await gateway(g.owner.token);
    const ownerTab = await tab(g.owner);
    const a = await tab(cy);
    const b = await tab(cy);
    await watcher.inbox.next(presenceOf(cy.user.id, "online"));
    a.ws.send(JSON.stringify({ presence: "idle" }));
    // Junk frames are ignored, not fatal.
    for (const junk of ["nope", "{}", JSON.stringify({ presence: "asleep" }), JSON.stringify([1]), "x".repeat(500)]) b.ws.send(junk);
    await Bun.sleep(300);
    expect(watcher.inbox.items.some(presenceOf(cy.user.id, "idle"))).toBe(false);
    b.ws.send(JSON.stringify({ presence: "idle" }));
    await watcher.inbox.next(presenceOf(cy.user.id, "idle"));
    const pane = await ownerTab.inbox.next((f) => f.includes(`hx-target="#member-groups-${g.guildId}"`) && f.includes(`data-user-id="${cy.user.id}" data-status="idle"`));
    expect(pane).toContain('aria-label="Idle"');
    a.ws.send(JSON.stringify({ presence: "active" }));
    await watcher.inbox.next((f) => presenceOf(cy.user.id, "online")(f) && f.s! > watcher.inbox.items.find(presenceOf(cy.user.id, "idle"))!.s!);
    for (const s of [watcher.ws, ownerTab.ws, a.ws, b.ws]) s.close();
  });

  test("the status menu sets dnd, invisible (offline to others) and a custom status; bad input is refused", async () => {
    const dee = await createAccount(app);
    await g.join(dee);
    const watcher = await gateway(g.owner.token);
    const own = await tab(dee);
    await watcher.inbox.next(presenceOf(dee.user.id, "online"));
    const res = await postForm(app, "/presence", { status: "dnd", custom_status: "  en réunion  " }, dee.cookie);
    expect(res.status).toBe(303);
    const dnd = await watcher.inbox.next(presenceOf(dee.user.id, "dnd"));
    expect(dnd.d.activities).toEqual([{ type: 4, name: "Custom Status", state: "en réunion" }]);
    // The user's other tabs update their own status.
    expect(await own.inbox.next((f) => f.includes('hx-target="#self-status"'))).toContain("en réunion");
    await postForm(app, "/presence", { status: "invisible", custom_status: "secret" }, dee.cookie);
    const hidden = await watcher.inbox.next(presenceOf(dee.user.id, "offline"));
    expect(hidden.d.activities).toEqual([]);
    expect(JSON.stringify(watcher.inbox.items)).not.toContain("secret");
    expect(await own.inbox.next((f) => f.includes('data-status="invisible"'))).toContain("secret");
    const bads: Record<string, string>[] = [{ status: "busy" }, { status: "online", custom_status: "x".repeat(129) }, { custom_status: "no status" }, { status: "" }];
    for (const bad of bads) {
      expect((await postForm(app, "/presence", bad, dee.cookie)).status).toBe(400);
    }
    expect((await postForm(app, "/presence", { status: "online" })).status).toBe(303); // not signed in: sent to log in
    const me = await json<{ status: string; custom_status: string }>(await api(app, "GET", "/users/@me", undefined, dee.bearer));
    expect(me).toMatchObject({ status: "invisible", custom_status: "secret" });
    watcher.ws.close();
    own.ws.close();
  });

  test("gateway op 3 sets the status; a malformed one or one before IDENTIFY closes the connection", async () => {
    const eve = await createAccount(app);
    await g.join(eve);
    const watcher = await gateway(g.owner.token);
    const client = await gateway(eve.token);
    await watcher.inbox.next(presenceOf(eve.user.id, "online"));
    client.send({ op: 3, d: { since: null, status: "idle", afk: true, activities: [{ type: 4, name: "Custom Status", state: "away from keyboard" }] } });
    const idle = await watcher.inbox.next(presenceOf(eve.user.id, "idle"));
    expect(idle.d.activities[0].state).toBe("away from keyboard");
    for (const d of [{ status: "sleeping" }, null, "online", { status: "online", activities: [{ type: 4, name: "x", state: "y".repeat(129) }] }, { status: "online", activities: "many" }]) {
      const c = await gateway(eve.token);
      c.send({ op: 3, d });
      expect(await c.closed).toBe(4002);
    }
    const anonymous = new WebSocket(`${app.url.replace("http", "ws")}/gateway`);
    const code = new Promise<number>((resolve) => (anonymous.onclose = (e) => resolve(e.code)));
    await new Promise((resolve) => (anonymous.onopen = resolve));
    anonymous.send(JSON.stringify({ op: 3, d: { status: "online" } }));
    expect(await code).toBe(4003);
    watcher.ws.close();
    client.ws.close();
  });

  test("a status changed in the profile settings or through the API reaches others at once", async () => {
    const ivy = await createAccount(app);
    await g.join(ivy);
    const watcher = await gateway(g.owner.token);
    const client = await gateway(ivy.token);
    await watcher.inbox.next(presenceOf(ivy.user.id, "online"));
    expect((await api(app, "PATCH", "/users/@me", { status: "dnd" }, ivy.bearer)).status).toBe(200);
    await watcher.inbox.next(presenceOf(ivy.user.id, "dnd"));
    const form = await postForm(app, "/settings/profile", { display_name: "", pronouns: "", about: "", status: "idle", custom_status: "" }, ivy.cookie);
    expect(form.status).toBeLessThan(400);
    await watcher.inbox.next(presenceOf(ivy.user.id, "idle"));
    watcher.ws.close();
    client.ws.close();
  });

  test("a tab's socket tells it the presence of its DM partners as it opens", async () => {
    const fay = await createAccount(app);
    await g.join(fay);
    await api(app, "POST", "/users/@me/channels", { recipient_id: ana.user.id }, fay.bearer);
    const anaTab = await tab(ana, "");
    const home = await tab(fay, "");
    const hello = await home.inbox.next((f) => f.includes("#presence-feed"));
    expect(hello).toContain(`data-user-id="${ana.user.id}" data-status="online"`);
    anaTab.ws.close();
    expect(await home.inbox.next((f) => f.includes(`data-user-id="${ana.user.id}" data-status="offline"`), 5000)).toContain("#presence-feed");
    home.ws.close();
  });

  test("a tab for a server or channel one cannot see is refused", async () => {
    const outsider = await createAccount(app);
    await expect(tab(outsider, `guild=${g.guildId}`)).rejects.toThrow();
    await expect(tab(outsider, "guild=../../etc")).rejects.toThrow();
    await expect(tab(outsider, `channel=${g.generalId}`)).rejects.toThrow();
  });
});

describe("what gateway sessions and tabs learn when access grows", () => {
  test("joining a server sends GUILD_CREATE to the newcomer's running session; a channel made visible sends CHANNEL_CREATE", async () => {
    const other = await createGuildFixture(app, "Joined Later");
    const gus = await createAccount(app);
    const client = await gateway(gus.token);
    await other.join(gus);
    const created = await client.inbox.next((f) => f.t === "GUILD_CREATE" && f.d.id === other.guildId);
    expect(created.d.channels.some((c: { id: string }) => c.id === other.generalId)).toBe(true);
    await api(app, "POST", `/channels/${other.generalId}/messages`, { content: "welcome gus" }, other.owner.bearer);
    await client.inbox.next((f) => f.t === "MESSAGE_CREATE" && f.d.content === "welcome gus");

    const secret = await json<{ id: string }>(await api(app, "POST", `/guilds/${other.guildId}/channels`, { name: "secret", type: 0 }, other.owner.bearer));
    // A new channel everybody sees is announced too.
    await client.inbox.next((f) => f.t === "CHANNEL_CREATE" && f.d.id === secret.id);
    await api(app, "PUT", `/channels/${secret.id}/permissions/${other.guildId}`, { type: 0, deny: "1024" }, other.owner.bearer);
    await api(app, "POST", `/channels/${secret.id}/messages`, { content: "hidden" }, other.owner.bearer);
    const tabOfGus = await tab(gus, `channel=${other.generalId}`);
    await api(app, "PUT", `/channels/${secret.id}/permissions/${gus.user.id}`, { type: 1, allow: "1024" }, other.owner.bearer);
    const again = client.inbox.items.filter((f) => f.t === "CHANNEL_CREATE" && f.d.id === secret.id);
    await client.inbox.next((f) => f.t === "CHANNEL_CREATE" && f.d.id === secret.id && f.s! > again[0]!.s!);
    await api(app, "POST", `/channels/${secret.id}/messages`, { content: "now visible" }, other.owner.bearer);
    await client.inbox.next((f) => f.t === "MESSAGE_CREATE" && f.d.content === "now visible");
    expect(client.inbox.items.some((f) => f.d?.content === "hidden")).toBe(false);
    // The tab is told to refetch its channel list.
    const refresh = await tabOfGus.inbox.next((f) => f.includes("#live-refresh"));
    expect(refresh).toContain(`hx-get="/shell/sidebar/${other.guildId}?channel=${other.generalId}"`);
    const sidebar = await (await app.fetch(`/shell/sidebar/${other.guildId}?channel=${other.generalId}`, { headers: { Cookie: gus.cookie } })).text();
    expect(sidebar).toContain("secret");
    expect((await app.fetch(`/shell/sidebar/${other.guildId}`, { headers: { Cookie: ana.cookie } })).status).toBe(404);
    client.ws.close();
    tabOfGus.ws.close();
  });
});
