// Admin → IP bans in the browser, through the real app: the page lists bans, bans a range with a
// reason and a purge period, refuses bad input next to the field, lifts a ban; only admins get it;
// and every IP ban action, from the page or the API, is in the instance audit log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { json } from "../testing/guilds.ts";

let app: TestApp;
let admin: TestAccount;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { username: "warden", admin: true });
  member = await createAccount(app, { username: "not_admin" });
});
afterAll(() => app.close());

const page = (who: TestAccount) => app.fetch("/admin/ip-bans", { headers: { Cookie: who.cookie } });
type Action = { action: string; target: string; admin_id: string | null; detail: Record<string, unknown> };
const actions = async (prefix: string) => json<Action[]>(await api(app, "GET", `/admin/audit-log?action=${prefix}`, undefined, admin.bearer));

describe("admin IP bans page", () => {
  test("an admin bans a range from the page (listed with its reason and who), bad input is refused next to the field, and the ban is lifted", async () => {
    expect((await page(member)).status).toBe(403);
    const empty = await (await page(admin)).text();
    expect(empty).toContain("No address is banned.");
    expect(empty).toContain('href="/admin/ip-bans"');

    const bad = await postForm(app, "/admin/ip-bans", { ip: "not an address", reason: "", delete_message_seconds: "0" }, admin.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="f-ip-error"/);
    expect((await json<unknown[]>(await api(app, "GET", "/admin/ip-bans", undefined, admin.bearer))).length).toBe(0);

    const made = await postForm(app, "/admin/ip-bans", { ip: "198.51.100.0/24", reason: "spam wave", delete_message_seconds: "3600" }, admin.cookie);
    expect(made.status).toBe(303);
    const listed = await (await page(admin)).text();
    expect(listed).toContain("<code>198.51.100.0/24</code>");
    expect(listed).toContain("spam wave");
    expect(listed).toContain("warden");
    const [ban] = await json<{ id: string; ip: string }[]>(await api(app, "GET", "/admin/ip-bans", undefined, admin.bearer));
    expect(ban!.ip).toBe("198.51.100.0/24");

    expect((await postForm(app, `/admin/ip-bans/${ban!.id}/delete`, {}, member.cookie)).status).toBe(403);
    expect((await postForm(app, `/admin/ip-bans/${ban!.id}/delete`, {}, admin.cookie)).status).toBe(303);
    expect(await (await page(admin)).text()).toContain("No address is banned.");
  });

  test("IP bans made and lifted from the page or the API are in the instance audit log, with the range, reason and what the ban did", async () => {
    const viaApi = await json<{ id: string }>(await api(app, "POST", "/admin/ip-bans", { ip: "192.0.2.7", reason: "api ban", delete_message_seconds: 0 }, admin.bearer));
    expect((await api(app, "DELETE", `/admin/ip-bans/${viaApi.id}`, undefined, admin.bearer)).status).toBe(204);
    expect((await api(app, "DELETE", `/admin/ip-bans/${viaApi.id}`, undefined, admin.bearer)).status).toBe(404);
    const made = await actions("ip_ban.create");
    expect(made.map((a) => a.target).sort()).toEqual(["192.0.2.7/32", "198.51.100.0/24"]);
    expect(made.find((a) => a.target === "198.51.100.0/24")).toMatchObject({ admin_id: admin.user.id, detail: { reason: "spam wave", delete_message_seconds: 3600, users_signed_out: 0, messages_deleted: 0 } });
    const lifted = await actions("ip_ban.delete");
    expect(lifted.map((a) => a.target).sort()).toEqual(["192.0.2.7/32", "198.51.100.0/24"]);
    expect(lifted.find((a) => a.target === "192.0.2.7/32")).toMatchObject({ admin_id: admin.user.id, detail: { reason: "api ban" } });
  });
});
