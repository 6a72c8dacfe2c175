// Role hierarchy: who may edit, move, give and take which roles; nicknames follow the same ranks.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let mod: TestAccount;
let helper: TestAccount;
let plain: TestAccount;
let roles: { top: string; mid: string; low: string };

// MANAGE_ROLES | MANAGE_NICKNAMES | KICK... mid gets MANAGE_ROLES (1<<28) and MANAGE_NICKNAMES (1<<27).
const MANAGE = ((1n << 28n) | (1n << 27n)).toString();

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Ranks");
  [mod, helper, plain] = [await createAccount(app), await createAccount(app), await createAccount(app)];
  for (const a of [mod, helper, plain]) await g.join(a);
  const mk = async (name: string, permissions = "0") => (await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name, permissions }, g.owner.bearer))).id;
  // Each new role goes just above @everyone, so create bottom-up and then move.
  const low = await mk("low");
  const mid = await mk("mid", MANAGE);
  const top = await mk("top", MANAGE);
  roles = { top, mid, low };
  await api(app, "PATCH", `/guilds/${g.guildId}/roles`, [{ id: top, position: 3 }, { id: mid, position: 2 }, { id: low, position: 1 }], g.owner.bearer);
  await api(app, "PUT", `/guilds/${g.guildId}/members/${mod.user.id}/roles/${mid}`, undefined, g.owner.bearer);
  await api(app, "PUT", `/guilds/${g.guildId}/members/${helper.user.id}/roles/${low}`, undefined, g.owner.bearer);
});
afterAll(() => app.close());

describe("role hierarchy", () => {
  test("roles are listed highest first with their positions", async () => {
    const list = await json<{ id: string; position: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, mod.bearer));
    expect(list.map((r) => r.id)).toEqual([roles.top, roles.mid, roles.low, g.guildId]);
  });

  test("a moderator edits and gives roles below theirs, never their own rank or above", async () => {
    const cases: [string, string, number][] = [
      ["edit a lower role", `/guilds/${g.guildId}/roles/${roles.low}`, 200],
      ["edit their own role", `/guilds/${g.guildId}/roles/${roles.mid}`, 403],
      ["edit a higher role", `/guilds/${g.guildId}/roles/${roles.top}`, 403],
    ];
    for (const [name, path, status] of cases) {
      const res = await api(app, "PATCH", path, { name: `renamed by mod` }, mod.bearer);
      expect({ name, status: res.status }).toEqual({ name, status });
    }
    expect((await api(app, "PUT", `/guilds/${g.guildId}/members/${plain.user.id}/roles/${roles.low}`, undefined, mod.bearer)).status).toBe(204);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/members/${plain.user.id}/roles/${roles.mid}`, undefined, mod.bearer)).status).toBe(403);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/members/${plain.user.id}/roles/${roles.top}`, undefined, mod.bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/guilds/${g.guildId}/roles/${roles.top}`, undefined, mod.bearer)).status).toBe(403);
  });

  test("nobody can grant ADMINISTRATOR or other permissions they do not have", async () => {
    const res = await api(app, "PATCH", `/guilds/${g.guildId}/roles/${roles.low}`, { permissions: "8" }, mod.bearer);
    expect(res.status).toBe(403);
    const ban = await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "sneaky", permissions: (1n << 2n).toString() }, mod.bearer);
    expect(ban.status).toBe(403);
    expect((await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "fine", permissions: (1n << 27n).toString() }, mod.bearer)).status).toBe(201);
    const onEveryone = await api(app, "PATCH", `/guilds/${g.guildId}/roles/${g.guildId}`, { permissions: "8" }, mod.bearer);
    expect(onEveryone.status).toBe(403);
  });

  test("a moderator cannot move a role to or above their own, nor move @everyone", async () => {
    const list = await json<{ id: string; position: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, mod.bearer));
    const modPosition = list.find((r) => r.id === roles.mid)!.position;
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles`, [{ id: roles.low, position: modPosition }], mod.bearer)).status).toBe(403);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles`, [{ id: roles.top, position: 1 }], mod.bearer)).status).toBe(403);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles`, [{ id: g.guildId, position: 1 }], g.owner.bearer)).status).toBe(400);
  });

  test("members can only be managed by someone ranked above them", async () => {
    // mod (mid) may rename helper (low) and plain; not the owner; helper may not rename mod.
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${helper.user.id}`, { nick: "Helpy" }, mod.bearer)).status).toBe(200);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${g.owner.user.id}`, { nick: "Boss" }, mod.bearer)).status).toBe(403);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${mod.user.id}`, { nick: "x" }, helper.bearer)).status).toBe(403);
    const self = await api(app, "PATCH", `/guilds/${g.guildId}/members/@me`, { nick: "  Moi  " }, plain.bearer);
    expect(((await self.json()) as { nick: string }).nick).toBe("Moi");
  });

  test("the owner ranks above everyone and @everyone cannot be given or deleted", async () => {
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles/${roles.top}`, { name: "apex", color: 0x5865f2, hoist: true }, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/members/${plain.user.id}/roles/${g.guildId}`, undefined, g.owner.bearer)).status).toBe(400);
    expect((await api(app, "DELETE", `/guilds/${g.guildId}/roles/${g.guildId}`, undefined, g.owner.bearer)).status).toBe(403);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles/${roles.top}`, { color: 0x1000000 }, g.owner.bearer)).status).toBe(400);
  });

  test("a hoisted role groups its online members and colours them through the role stylesheet", async () => {
    const css = await (await app.fetch(`/guilds/${g.guildId}/roles.css`, { headers: { Cookie: g.owner.cookie } })).text();
    expect(css).toContain('[data-role-color="role-color-5865f2"] { color: #5865f2; }');
    expect((await app.fetch(`/guilds/${g.guildId}/roles.css`, { headers: { Cookie: (await createAccount(app)).cookie } })).status).toBe(404);
  });

  test("the role page saves permissions from checkboxes", async () => {
    const form = new URLSearchParams();
    form.append("name", "low");
    form.append("color", "#000000");
    form.append("permissions", "VIEW_CHANNEL");
    form.append("permissions", "SEND_MESSAGES");
    const res = await app.fetch(`/guilds/${g.guildId}/roles/${roles.low}`, { method: "POST", headers: { Origin: app.url, Cookie: g.owner.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    expect(res.status).toBe(303);
    const role = (await json<{ id: string; permissions: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, g.owner.bearer))).find((r) => r.id === roles.low)!;
    expect(BigInt(role.permissions)).toBe((1n << 10n) | (1n << 11n));
  });
});
