// Servers, channels and visibility through the API and pages, for every kind of caller.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
let adminRoleHolder: TestAccount;
let outsider: TestAccount;
let banned: TestAccount;
let privateId: string;

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app);
  member = await createAccount(app);
  adminRoleHolder = await createAccount(app);
  outsider = await createAccount(app);
  banned = await createAccount(app);
  for (const a of [member, adminRoleHolder, banned]) await g.join(a);
  const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "Admins", permissions: "8" }, g.owner.bearer));
  await api(app, "PUT", `/guilds/${g.guildId}/members/${adminRoleHolder.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
  await api(app, "PUT", `/guilds/${g.guildId}/bans/${banned.user.id}`, { reason: "spam" }, g.owner.bearer);
  const priv = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "Secret Plans", type: 0 }, g.owner.bearer));
  privateId = priv.id;
  await api(app, "PUT", `/channels/${privateId}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
});
afterAll(() => app.close());

const who = () => ({ owner: g.owner.bearer, admin: adminRoleHolder.bearer, member: member.bearer, outsider: outsider.bearer, banned: banned.bearer, anonymous: {} as Record<string, string> });

describe("scenario tables", () => {
  test("reading a server and its channels", async () => {
    const expected: Record<string, number> = { owner: 200, admin: 200, member: 200, outsider: 404, banned: 404, anonymous: 401 };
    for (const [name, headers] of Object.entries(who())) {
      for (const path of [`/guilds/${g.guildId}`, `/guilds/${g.guildId}/channels`, `/guilds/${g.guildId}/roles`, `/guilds/${g.guildId}/members`, `/channels/${g.generalId}`]) {
        const res = await api(app, "GET", path, undefined, headers);
        expect({ name, path, status: res.status }).toEqual({ name, path, status: expected[name]! });
      }
    }
  });

  test("a private channel is a 404 and absent from lists for those who cannot view it", async () => {
    const expected: Record<string, number> = { owner: 200, admin: 200, member: 404, outsider: 404, banned: 404 };
    for (const [name, headers] of Object.entries(who())) {
      if (name === "anonymous") continue;
      const res = await api(app, "GET", `/channels/${privateId}`, undefined, headers);
      expect({ name, status: res.status }).toEqual({ name, status: expected[name]! });
    }
    const list = await json<{ id: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, member.bearer));
    expect(list.some((c) => c.id === privateId)).toBe(false);
    const page = await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: member.cookie } });
    expect(await page.text()).not.toContain("secret-plans");
    expect((await app.fetch(`/channels/${g.guildId}/${privateId}`, { headers: { Cookie: member.cookie } })).status).toBe(404);
    expect((await app.fetch(`/channels/${privateId}/settings`, { headers: { Cookie: member.cookie } })).status).toBe(404);
  });

  test("managing: creating channels and roles, editing the server", async () => {
    const expected: Record<string, number> = { owner: 201, admin: 201, member: 403, outsider: 404, banned: 404, anonymous: 401 };
    for (const [name, headers] of Object.entries(who())) {
      const res = await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: `made by ${name}`, type: 0 }, headers);
      expect({ name, status: res.status }).toEqual({ name, status: expected[name]! });
      const role = await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: `role of ${name}` }, headers);
      expect({ name, status: role.status }).toEqual({ name, status: expected[name]! });
      const patch = await api(app, "PATCH", `/guilds/${g.guildId}`, { description: `by ${name}` }, headers);
      expect({ name, status: patch.status }).toEqual({ name, status: expected[name] === 201 ? 200 : expected[name]! });
    }
  });

  test("only the owner deletes the server, after typing its name", async () => {
    const local = await createGuildFixture(app, "Doomed");
    const m = await createAccount(app);
    await local.join(m);
    expect((await api(app, "DELETE", `/guilds/${local.guildId}`, { confirm_name: "Doomed" }, m.bearer)).status).toBe(403);
    const wrong = await api(app, "DELETE", `/guilds/${local.guildId}`, { confirm_name: "doomed!" }, local.owner.bearer);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: Record<string, string> }).errors.confirm).toMatch(/name exactly/);
    expect((await api(app, "DELETE", `/guilds/${local.guildId}`, { confirm_name: "Doomed" }, local.owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/guilds/${local.guildId}`, undefined, local.owner.bearer)).status).toBe(404);
  });
});

describe("servers and channels", () => {
  test("a new server has @everyone, Text Channels with #general and Voice Channels with General", async () => {
    const local = await createGuildFixture(app, "Fresh");
    const channels = await json<{ name: string; type: number; parent_id: string | null; id: string }[]>(await api(app, "GET", `/guilds/${local.guildId}/channels`, undefined, local.owner.bearer));
    expect(channels.map((c) => [c.type, c.name])).toEqual([
      [4, "Text Channels"],
      [0, "general"],
      [4, "Voice Channels"],
      [2, "General"],
    ]);
    const roles = await json<{ id: string; name: string; permissions: string }[]>(await api(app, "GET", `/guilds/${local.guildId}/roles`, undefined, local.owner.bearer));
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({ id: local.guildId, name: "@everyone" });
    expect(BigInt(roles[0]!.permissions) & 1024n).toBe(1024n);
  });

  test("a server created in French gets French channel names", async () => {
    const acct = await createAccount(app);
    await api(app, "PATCH", "/users/@me", { locale: "fr" }, acct.bearer);
    const guild = await json<{ id: string }>(await api(app, "POST", "/guilds", { name: "Les Amis" }, acct.bearer));
    const channels = await json<{ name: string }[]>(await api(app, "GET", `/guilds/${guild.id}/channels`, undefined, acct.bearer));
    expect(channels.map((c) => c.name)).toEqual(["Salons textuels", "général", "Salons vocaux", "Général"]);
  });

  test("text channel names are lowercase and dashed; bad input is refused with a message", async () => {
    const made = await json<{ name: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "  Café du Coin!! ", type: 0 }, g.owner.bearer));
    expect(made.name).toBe("café-du-coin");
    for (const body of [{ name: "", type: 0 }, { name: "!!!", type: 0 }, { name: "x".repeat(101), type: 2 }, { name: "ok", type: 5 }, { name: "ok", type: 0, parent_id: g.generalId }, { name: { a: 1 }, type: 0 }, { name: "ok", type: "0" }]) {
      const res = await api(app, "POST", `/guilds/${g.guildId}/channels`, body, g.owner.bearer);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    const slow = await api(app, "PATCH", `/channels/${g.generalId}`, { rate_limit_per_user: 99999 }, g.owner.bearer);
    expect(slow.status).toBe(400);
  });

  test("a channel follows its category's overwrites until it gets its own, and can sync again", async () => {
    const cat = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "Staff", type: 4 }, g.owner.bearer));
    const room = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "staff room", type: 0, parent_id: cat.id }, g.owner.bearer));
    expect((await api(app, "GET", `/channels/${room.id}`, undefined, member.bearer)).status).toBe(200);
    await api(app, "PUT", `/channels/${cat.id}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
    expect((await api(app, "GET", `/channels/${room.id}`, undefined, member.bearer)).status).toBe(404);
    // Its own overwrite for the member: no longer synced; the @everyone deny was copied over.
    await api(app, "PUT", `/channels/${room.id}/permissions/${member.user.id}`, { type: 1, allow: "1024" }, g.owner.bearer);
    expect((await api(app, "GET", `/channels/${room.id}`, undefined, member.bearer)).status).toBe(200);
    const channel = await json<{ permission_overwrites: { id: string }[] }>(await api(app, "GET", `/channels/${room.id}`, undefined, g.owner.bearer));
    expect(channel.permission_overwrites.map((o) => o.id).sort()).toEqual([g.guildId, member.user.id].sort());
    expect((await api(app, "POST", `/channels/${room.id}/permissions/sync`, undefined, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "GET", `/channels/${room.id}`, undefined, member.bearer)).status).toBe(404);
  });

  test("drag-and-drop order is saved and shown in the sidebar order", async () => {
    const local = await createGuildFixture(app, "Orderly");
    const mk = async (name: string) => (await json<{ id: string }>(await api(app, "POST", `/guilds/${local.guildId}/channels`, { name, type: 0 }, local.owner.bearer))).id;
    const [a, b] = [await mk("alpha"), await mk("beta")];
    const body = new URLSearchParams({ ids: [b, a].join(","), parent_id: "" });
    const res = await app.fetch(`/guilds/${local.guildId}/channels/order`, { method: "POST", headers: { Origin: app.url, Cookie: local.owner.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(res.status).toBe(204);
    const names = (await json<{ name: string }[]>(await api(app, "GET", `/guilds/${local.guildId}/channels`, undefined, local.owner.bearer))).map((c) => c.name);
    expect(names.indexOf("beta")).toBeLessThan(names.indexOf("alpha"));
    const m = await createAccount(app);
    await local.join(m);
    const denied = await app.fetch(`/guilds/${local.guildId}/channels/order`, { method: "POST", headers: { Origin: app.url, Cookie: m.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(denied.status).toBe(403);
  });

  test("script and htmx payloads in server, channel and role names and topics render as text", async () => {
    const local = await createGuildFixture(app, "<script>alert(1)</script>");
    await api(app, "PATCH", `/channels/${local.generalId}`, { topic: '<img src=x onerror="alert(1)"> <a hx-get="/admin">x</a>' }, local.owner.bearer);
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${local.guildId}/roles`, { name: "<svg onload=alert(1)>", hoist: true }, local.owner.bearer));
    expect(role.id).toBeDefined();
    for (const path of [`/channels/${local.guildId}/${local.generalId}`, `/guilds/${local.guildId}/settings/roles`, `/guilds/${local.guildId}/settings`]) {
      const html = await (await app.fetch(path, { headers: { Cookie: local.owner.cookie } })).text();
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("<img src=x");
      expect(html).not.toContain("<svg onload");
      expect(html).not.toContain('<a hx-get="/admin"');
    }
  });

  test("leaving and ownership transfer", async () => {
    const local = await createGuildFixture(app, "Passing On");
    const heir = await createAccount(app);
    await local.join(heir);
    const ownerLeaves = await api(app, "DELETE", `/users/@me/guilds/${local.guildId}`, undefined, local.owner.bearer);
    expect(ownerLeaves.status).toBe(400);
    expect((await api(app, "PATCH", `/guilds/${local.guildId}`, { owner_id: heir.user.id }, local.owner.bearer)).status).toBe(200);
    expect((await api(app, "DELETE", `/users/@me/guilds/${local.guildId}`, undefined, local.owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/guilds/${local.guildId}`, undefined, local.owner.bearer)).status).toBe(404);
    const mine = await json<{ id: string; owner: boolean }[]>(await api(app, "GET", "/users/@me/guilds", undefined, heir.bearer));
    expect(mine.find((x) => x.id === local.guildId)?.owner).toBe(true);
  });

  test("a server icon is uploaded from settings or the API, shown in the rail, and removable", async () => {
    const local = await createGuildFixture(app, "Iconic");
    const form = new FormData();
    form.append("icon", new File([makePng(64, 40) as Uint8Array<ArrayBuffer>], "icon.png", { type: "image/png" }));
    const res = await app.fetch(`/guilds/${local.guildId}/icon`, { method: "POST", headers: { Origin: app.url, Cookie: local.owner.cookie }, body: form });
    expect(res.status).toBe(303);
    const guild = await json<{ icon: string }>(await api(app, "GET", `/guilds/${local.guildId}`, undefined, local.owner.bearer));
    expect(guild.icon).toMatch(/^[0-9a-f]{64}$/);
    expect((await app.fetch(`/icons/${guild.icon}.webp`)).headers.get("Content-Type")).toBe("image/webp");
    const shell = await (await app.fetch(`/channels/${local.guildId}/${local.generalId}`, { headers: { Cookie: local.owner.cookie } })).text();
    expect(shell).toContain(`/icons/${guild.icon}.webp`);
    const dataUri = `data:image/png;base64,${Buffer.from(makePng(32, 32, [0, 0, 255])).toString("base64")}`;
    const viaApi = await json<{ icon: string }>(await api(app, "PATCH", `/guilds/${local.guildId}`, { icon: dataUri }, local.owner.bearer));
    expect(viaApi.icon).not.toBe(guild.icon);
    expect((await api(app, "PATCH", `/guilds/${local.guildId}`, { icon: "data:text/html;base64,PHNjcmlwdD4=" }, local.owner.bearer)).status).toBe(400);
    expect((await api(app, "PATCH", `/guilds/${local.guildId}`, { icon: null }, local.owner.bearer)).status).toBe(200);
    expect((await json<{ icon: string | null }>(await api(app, "GET", `/guilds/${local.guildId}`, undefined, local.owner.bearer))).icon).toBeNull();
  });

  test("a member sets their own nickname from the server settings", async () => {
    const res = await postForm(app, `/guilds/${g.guildId}/nick`, { nick: "Le Membre" }, member.cookie);
    expect(res.status).toBe(303);
    const view = await json<{ nick: string }>(await api(app, "GET", `/guilds/${g.guildId}/members/${member.user.id}`, undefined, member.bearer));
    expect(view.nick).toBe("Le Membre");
  });

  test("the instance can restrict server creation to admins", async () => {
    const admin = await createAccount(app, { admin: true });
    await api(app, "PATCH", "/admin/instance", { server_creation: "admins" }, admin.bearer);
    const refused = await api(app, "POST", "/guilds", { name: "Not allowed" }, member.bearer);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/only admins/);
    expect((await api(app, "POST", "/guilds", { name: "Allowed" }, admin.bearer)).status).toBe(201);
    await api(app, "PATCH", "/admin/instance", { server_creation: "everyone" }, admin.bearer);
  });

  test("the server page shows the channel list, and the create form works from the browser", async () => {
    const acct = await createAccount(app);
    const res = await postForm(app, "/guilds", { name: "From The Form" }, acct.cookie);
    expect(res.status).toBe(303);
    const first = await app.fetch(res.headers.get("Location")!, { headers: { Cookie: acct.cookie } });
    expect(first.status).toBe(302);
    const page = await (await app.fetch(first.headers.get("Location")!, { headers: { Cookie: acct.cookie } })).text();
    expect(page).toContain("From The Form");
    expect(page).toContain(">general<");
    expect(page).toContain("Text Channels");
    const withIcon = new FormData();
    withIcon.append("name", "Pictured");
    withIcon.append("icon", new File([makePng(50, 50) as Uint8Array<ArrayBuffer>], "i.png", { type: "image/png" }));
    const pictured = await app.fetch("/guilds", { method: "POST", headers: { Origin: app.url, Cookie: acct.cookie }, body: withIcon });
    const picturedId = pictured.headers.get("Location")!.split("/")[2]!;
    expect((await json<{ icon: string | null }>(await api(app, "GET", `/guilds/${picturedId}`, undefined, acct.bearer))).icon).toMatch(/^[0-9a-f]{64}$/);
    const bad = await postForm(app, "/guilds", { name: "x" }, acct.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("2 to 100 characters");
  });
});
