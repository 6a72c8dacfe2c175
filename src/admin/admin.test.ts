// Instance administration: who may, what it does, and what it must refuse.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { findUser } from "../users/service.ts";

let app: TestApp;
let admin: TestAccount;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { username: "chief", admin: true });
  member = await createAccount(app, { username: "member1", displayName: "Membre Un" });
});
afterAll(() => app.close());

describe("access to administration", () => {
  test("scenario table: anonymous 401, member 403, deactivated 401, admin 200", async () => {
    const deactivated = await createAccount(app, { admin: true });
    await api(app, "PATCH", `/admin/users/${deactivated.user.id}`, { deactivated: true }, admin.bearer);
    const cases: [string, Record<string, string>, number][] = [
      ["anonymous", {}, 401],
      ["member", member.bearer, 403],
      ["deactivated admin", deactivated.bearer, 401],
      ["admin", admin.bearer, 200],
    ];
    for (const [who, headers, status] of cases) {
      for (const path of ["/admin/users", "/admin/instance", "/admin/invites"]) {
        const res = await api(app, "GET", path, undefined, headers);
        expect({ who, path, status: res.status }).toEqual({ who, path, status });
      }
    }
    expect((await app.fetch("/admin/users", { headers: { Cookie: member.cookie } })).status).toBe(403);
    expect((await app.fetch("/admin/users", { headers: { Cookie: admin.cookie } })).status).toBe(200);
  });
});

describe("managing users", () => {
  test("search finds users by username or display name, treating wildcards literally", async () => {
    const found = (await (await api(app, "GET", "/admin/users?q=Membre", undefined, admin.bearer)).json()) as { users: { username: string }[] };
    expect(found.users.map((u) => u.username)).toEqual(["member1"]);
    const wildcard = (await (await api(app, "GET", "/admin/users?q=%25", undefined, admin.bearer)).json()) as { users: unknown[] };
    expect(wildcard.users).toEqual([]);
    const page = await (await app.fetch("/admin/users?q=member", { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain('data-user="member1"');
  });

  test("an admin can create users, grant and revoke admin, but the last admin stays", async () => {
    const created = await api(app, "POST", "/admin/users", { username: "newbie", password: "newbie's long password", admin: false }, admin.bearer);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await api(app, "PATCH", `/admin/users/${id}`, { admin: true }, admin.bearer)).status).toBe(200);
    expect(findUser(app.server.core, id)!.isAdmin).toBe(true);
    expect((await api(app, "PATCH", `/admin/users/${id}`, { admin: false }, admin.bearer)).status).toBe(200);
    const solo = await createTestApp();
    try {
      const only = await createAccount(solo, { admin: true });
      const res = await api(solo, "PATCH", `/admin/users/${only.user.id}`, { admin: false }, only.bearer);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { message: string }).message).toMatch(/at least one admin/);
    } finally {
      await solo.close();
    }
  });

  test("deactivating signs the user out; reactivating lets them log in again", async () => {
    const acct = await createAccount(app, { password: "on and off again" });
    expect((await postForm(app, `/admin/users/${acct.user.id}/active`, { active: "0" }, admin.cookie)).status).toBe(303);
    expect((await api(app, "GET", "/users/@me", undefined, acct.bearer)).status).toBe(401);
    expect((await api(app, "POST", "/auth/login", { login: acct.user.username, password: "on and off again" })).status).toBe(403);
    expect((await postForm(app, `/admin/users/${acct.user.id}/active`, { active: "1" }, admin.cookie)).status).toBe(303);
    expect((await api(app, "POST", "/auth/login", { login: acct.user.username, password: "on and off again" })).status).toBe(200);
  });

  test("a forced reset cancels the password and sessions; the one-time link sets a new one, once", async () => {
    const acct = await createAccount(app, { password: "forgotten password" });
    const page = await postForm(app, `/admin/users/${acct.user.id}/reset`, {}, admin.cookie);
    const link = /class="reset-link">([^<]+)</.exec(await page.text())![1]!;
    const path = new URL(link).pathname;
    expect((await api(app, "GET", "/users/@me", undefined, acct.bearer)).status).toBe(401);
    expect((await api(app, "POST", "/auth/login", { login: acct.user.username, password: "forgotten password" })).status).toBe(401);
    expect((await app.fetch(path)).status).toBe(200);
    const weak = await postForm(app, path, { new_password: "password" });
    expect(weak.status).toBe(400);
    expect((await postForm(app, path, { new_password: "a fresh long password" })).headers.get("Location")).toBe("/login");
    expect((await api(app, "POST", "/auth/login", { login: acct.user.username, password: "a fresh long password" })).status).toBe(200);
    expect((await app.fetch(path)).status).toBe(404);
    expect((await postForm(app, path, { new_password: "another long password" })).status).toBe(404);
    expect((await app.fetch("/reset/pkr.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
  });

  test("admins cannot deactivate, reset or delete themselves by accident; unknown ids are 404", async () => {
    expect((await api(app, "PATCH", `/admin/users/${admin.user.id}`, { deactivated: true }, admin.bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/admin/users/${admin.user.id}`, undefined, admin.bearer)).status).toBe(403);
    for (const id of ["999999999999", "abc", "../1"]) {
      expect((await api(app, "PATCH", `/admin/users/${id}`, { deactivated: true }, admin.bearer)).status).toBe(404);
    }
  });

  test("an admin can delete an account", async () => {
    const acct = await createAccount(app);
    expect((await api(app, "DELETE", `/admin/users/${acct.user.id}?delete_messages=true`, undefined, admin.bearer)).status).toBe(204);
    expect(findUser(app.server.core, acct.user.id)!.deletedAt).not.toBeNull();
  });
});

describe("instance settings", () => {
  test("the name and registration mode change from the admin page and API", async () => {
    expect((await postForm(app, "/admin/settings", { instance_name: "Les Copains", registration: "open" }, admin.cookie)).status).toBe(303);
    expect(await (await api(app, "GET", "/admin/instance", undefined, admin.bearer)).json()).toEqual({ name: "Les Copains", registration: "open", server_creation: "everyone", message_rate_limit: 10, max_file_size_mb: 25, storage_quota_mb: 2048, api_rate_limit: { max: 50, window_ms: 5000 }, search_rate_limit: 30, audit_log_retention_days: 90 });
    const bad = await api(app, "PATCH", "/admin/instance", { registration: "anyone" }, admin.bearer);
    expect(bad.status).toBe(400);
    const blank = await api(app, "PATCH", "/admin/instance", { name: "   " }, admin.bearer);
    expect(blank.status).toBe(400);
  });

  test("an instance invite lets someone register on an invite-only instance", async () => {
    await api(app, "PATCH", "/admin/instance", { registration: "invite" }, admin.bearer);
    const invite = (await (await api(app, "POST", "/admin/invites", { max_uses: 2, max_age: 3600 }, admin.bearer)).json()) as { code: string; url: string };
    expect(invite.url).toContain(`/register?invite=${invite.code}`);
    const form = await (await app.fetch(`/register?invite=${invite.code}`)).text();
    expect(form).toContain(`value="${invite.code}"`);
    const res = await postForm(app, "/register", { invite: invite.code, username: "invited.one", password: "invited long password" });
    expect(res.status).toBe(303);
  });
});
