// Invites: creation choices, the invite page, and every way an invite stops working.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { invites } from "../guilds/table.ts";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, sessionCookieFrom } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Invite Land");
});
afterAll(() => app.close());

const create = async (body: Record<string, unknown>) => json<{ code: string; max_age: number; max_uses: number; expires_at: string | null }>(await api(app, "POST", `/channels/${g.generalId}/invites`, body, g.owner.bearer));

describe("invites", () => {
  test("the expiry choices are Discord's and anything else is refused", async () => {
    for (const age of [1800, 3600, 21600, 43200, 86400, 604800, 0]) {
      const inv = await create({ max_age: age, max_uses: 0 });
      expect(inv.max_age).toBe(age);
      expect(inv.expires_at === null).toBe(age === 0);
    }
    for (const body of [{ max_age: 5 }, { max_age: 3600, max_uses: -1 }, { max_age: 3600, max_uses: 101 }, { max_age: "3600" }]) {
      expect((await api(app, "POST", `/channels/${g.generalId}/invites`, body, g.owner.bearer)).status).toBe(400);
    }
  });

  test("the invite page shows the server and its member count to anyone, and a signed-in user joins", async () => {
    const inv = await create({ max_age: 3600, max_uses: 0 });
    const page = await (await app.fetch(`/invite/${inv.code}`)).text();
    expect(page).toContain("Invite Land");
    expect(page).toContain("1 members");
    expect(page).toContain("Log in to join");
    const acct = await createAccount(app);
    const joined = await postForm(app, `/invite/${inv.code}`, {}, acct.cookie);
    expect(joined.headers.get("Location")).toBe(`/channels/${g.guildId}`);
    expect((await api(app, "GET", `/guilds/${g.guildId}`, undefined, acct.bearer)).status).toBe(200);
    // Joining twice changes nothing and uses nothing.
    expect((await api(app, "POST", `/invites/${inv.code}`, undefined, acct.bearer)).status).toBe(200);
    expect(app.server.db.reader.query("SELECT uses FROM invites WHERE code = ?").get(inv.code)).toEqual({ uses: 1n });
  });

  test("expired, used-up, revoked and unknown invites give a clear page and a 404", async () => {
    const expired = await create({ max_age: 1800, max_uses: 0 });
    await app.server.queue.write(({ orm }) => orm.update(invites).set({ expiresAt: "2000-01-01T00:00:00.000Z" }).where(eq(invites.code, expired.code)).run());
    const once = await create({ max_age: 0, max_uses: 1 });
    await g.join(await createAccount(app)).catch(() => {});
    const first = await createAccount(app);
    expect((await api(app, "POST", `/invites/${once.code}`, undefined, first.bearer)).status).toBe(200);
    const revoked = await create({ max_age: 0, max_uses: 0 });
    expect((await api(app, "DELETE", `/invites/${revoked.code}`, undefined, g.owner.bearer)).status).toBe(204);
    const late = await createAccount(app);
    for (const code of [expired.code, once.code, revoked.code, "nope", "../../etc", "<script>"]) {
      const page = await app.fetch(`/invite/${encodeURIComponent(code)}`);
      expect({ code, status: page.status }).toEqual({ code, status: 404 });
      expect(await page.text()).toContain("This invite cannot be used");
      const join = await api(app, "POST", `/invites/${encodeURIComponent(code)}`, undefined, late.bearer);
      expect({ code, status: join.status }).toEqual({ code, status: 404 });
    }
    expect((await api(app, "GET", `/guilds/${g.guildId}`, undefined, late.bearer)).status).toBe(404);
  });

  test("a banned user cannot rejoin until unbanned", async () => {
    const inv = await create({ max_age: 0, max_uses: 0 });
    const troll = await createAccount(app);
    await api(app, "POST", `/invites/${inv.code}`, undefined, troll.bearer);
    expect((await api(app, "PUT", `/guilds/${g.guildId}/bans/${troll.user.id}`, { reason: "spam" }, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/guilds/${g.guildId}`, undefined, troll.bearer)).status).toBe(404);
    const again = await api(app, "POST", `/invites/${inv.code}`, undefined, troll.bearer);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { message: string }).message).toMatch(/banned/);
    const bans = await json<{ user: { id: string }; reason: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/bans`, undefined, g.owner.bearer));
    expect(bans.map((b) => [b.user.id, b.reason])).toContainEqual([troll.user.id, "spam"]);
    await api(app, "DELETE", `/guilds/${g.guildId}/bans/${troll.user.id}`, undefined, g.owner.bearer);
    expect((await api(app, "POST", `/invites/${inv.code}`, undefined, troll.bearer)).status).toBe(200);
  });

  test("only managers or the invite's creator can list and revoke invites", async () => {
    const m = await createAccount(app);
    await g.join(m);
    const mine = await json<{ code: string }>(await api(app, "POST", `/channels/${g.generalId}/invites`, { max_age: 0 }, m.bearer));
    const theirs = await create({ max_age: 0 });
    expect((await api(app, "GET", `/guilds/${g.guildId}/invites`, undefined, m.bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/invites/${theirs.code}`, undefined, m.bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/invites/${mine.code}`, undefined, m.bearer)).status).toBe(204);
    const list = await json<{ code: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/invites`, undefined, g.owner.bearer));
    expect(list.some((i) => i.code === theirs.code)).toBe(true);
    expect(list.some((i) => i.code === mine.code)).toBe(false);
  });

  test("a visitor can register through a server invite on an invite-only instance and lands in the server", async () => {
    await writeSetting(app.server.queue, "registration_mode", "invite");
    const inv = await create({ max_age: 0, max_uses: 0 });
    const form = await (await app.fetch(`/register?invite=${inv.code}`)).text();
    expect(form).toContain(`value="${inv.code}"`);
    const res = await postForm(app, "/register", { invite: inv.code, username: "newcomer", password: "a newcomer's password" });
    expect(res.status).toBe(303);
    const cookie = sessionCookieFrom(res)!;
    expect((await app.fetch(`/channels/${g.guildId}`, { headers: { Cookie: cookie } })).status).toBe(302);
  });
});
