// Profile, preferences, avatar, export and deletion: the API and the settings pages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { hugePngHeader, makePng } from "../testing/images.ts";
import { findUser } from "./service.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await createAccount(app, { username: "owner", admin: true });
});
afterAll(() => app.close());

function uploadAvatar(cookie: string, bytes: Uint8Array, name = "me.png", type = "image/png") {
  const form = new FormData();
  form.append("avatar", new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return app.fetch("/settings/avatar", { method: "POST", headers: { Origin: app.url, Cookie: cookie }, body: form });
}

describe("profile and preferences", () => {
  test("PATCH /users/@me updates profile and preferences; text is cleaned and bounded", async () => {
    const acct = await createAccount(app);
    const res = await api(app, "PATCH", "/users/@me", { global_name: "  Zoé\u202e \u200b ", bio: "Bonjour\n\n\n\nà tous", pronouns: "elle", status: "dnd", custom_status: "en réunion", theme: "light", locale: "fr", time_format: "12h" }, acct.bearer);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ global_name: "Zoé", bio: "Bonjour\n\nà tous", pronouns: "elle", status: "dnd", custom_status: "en réunion", theme: "light", locale: "fr", time_format: "12h" });
    const tooLong = await api(app, "PATCH", "/users/@me", { bio: "x".repeat(191) }, acct.bearer);
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { errors: { about: string } }).errors.about).toMatch(/190/);
    for (const bad of [{ locale: "xx" }, { theme: "neon" }, { status: "away" }, { global_name: { a: 1 } }, { is_admin: true }]) {
      expect((await api(app, "PATCH", "/users/@me", bad, acct.bearer)).status).toBe(400);
    }
    expect(findUser(app.server.core, acct.user.id)!.isAdmin).toBe(false);
  });

  test("the appearance form switches theme and language for the next page", async () => {
    const acct = await createAccount(app);
    expect((await postForm(app, "/settings/appearance", { theme: "dark", locale: "fr", time_format: "24h" }, acct.cookie)).status).toBe(303);
    const html = await (await app.fetch("/settings/appearance", { headers: { Cookie: acct.cookie } })).text();
    expect(html).toContain('<html lang="fr" data-theme="dark">');
    expect(html).toContain("Paramètres utilisateur");
  });

  test("usernames can change, keeping the same rules and uniqueness", async () => {
    const acct = await createAccount(app);
    expect((await api(app, "PATCH", "/users/@me", { username: "New.Name" }, acct.bearer)).status).toBe(200);
    const other = await createAccount(app);
    const clash = await api(app, "PATCH", "/users/@me", { username: "new.name" }, other.bearer);
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as { errors: { username: string } }).errors.username).toMatch(/taken/);
    const form = await postForm(app, "/settings/username", { username: "x" }, other.cookie);
    expect(form.status).toBe(400);
    expect(await form.text()).toContain("2 to 32 characters");
  });
});

describe("avatars", () => {
  test("an upload is re-encoded to a square WebP named by its hash and served with safe headers", async () => {
    const acct = await createAccount(app);
    const res = await uploadAvatar(acct.cookie, makePng(300, 300));
    expect(res.status).toBe(303);
    const user = findUser(app.server.core, acct.user.id)!;
    expect(user.avatar).toMatch(/^[0-9a-f]{64}$/);
    const img = await app.fetch(`/avatars/${user.avatar}.webp`);
    expect(img.status).toBe(200);
    expect(img.headers.get("Content-Type")).toBe("image/webp");
    expect(img.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const meta = await new Bun.Image(new Uint8Array(await img.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ width: 256, height: 256, format: "webp" });
    expect(((await (await api(app, "GET", "/users/@me", undefined, acct.bearer)).json()) as { avatar: string }).avatar).toBe(user.avatar!);
  });

  test("bad files are refused with a message and change nothing", async () => {
    const acct = await createAccount(app);
    const cases: [Uint8Array, string, number, RegExp][] = [
      [new TextEncoder().encode("<html><script>alert(1)</script></html>"), "evil.png", 400, /not a PNG, JPEG or WebP/],
      [new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "a.svg", 400, /not a PNG, JPEG or WebP/],
      [new Uint8Array(0), "empty.png", 400, /not a PNG, JPEG or WebP/],
      [hugePngHeader(20000, 20000), "bomb.png", 413, /too many pixels/],
      [new Uint8Array(9 * 1024 * 1024), "big.png", 413, /./],
    ];
    for (const [bytes, name, status, message] of cases) {
      const res = await uploadAvatar(acct.cookie, bytes, name);
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(await res.text()).toMatch(message);
    }
    expect(findUser(app.server.core, acct.user.id)!.avatar).toBeNull();
  });

  test("avatar paths outside the content-hash pattern are 404", async () => {
    for (const path of ["/avatars/..%2f..%2fpokynano.db", "/avatars/pokynano.db", `/avatars/${"a".repeat(64)}.png`, `/avatars/${"a".repeat(64)}.webp`]) {
      expect((await app.fetch(path)).status).toBe(404);
    }
  });
});

describe("export and deletion", () => {
  test("export returns the profile, sessions and tokens as JSON, without secrets", async () => {
    const acct = await createAccount(app, { displayName: "Exporter" });
    await api(app, "POST", "/users/@me/tokens", { name: "cron", scopes: ["read"] }, acct.bearer);
    const res = await app.fetch("/settings/export", { headers: { Cookie: acct.cookie } });
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    const text = await res.text();
    const data = JSON.parse(text) as { format: string; profile: { global_name: string }; sessions: unknown[]; access_tokens: { name: string }[] };
    expect(data.format).toBe("pokynano-export-1");
    expect(data.profile.global_name).toBe("Exporter");
    expect(data.sessions.length).toBe(1);
    expect(data.access_tokens.map((t) => t.name)).toEqual(["cron"]);
    expect(text).not.toContain(acct.token.split(".")[2]!);
    expect(text).not.toContain("argon2");
  });

  test("deleting my account needs my password, erases the profile and signs me out everywhere", async () => {
    const acct = await createAccount(app, { displayName: "Leaving", password: "leaving long password" });
    const wrong = await api(app, "DELETE", "/users/@me", { password: "nope nope" }, acct.bearer);
    expect(wrong.status).toBe(403);
    const res = await api(app, "DELETE", "/users/@me", { password: "leaving long password", delete_messages: true }, acct.bearer);
    expect(res.status).toBe(204);
    const user = findUser(app.server.core, acct.user.id)!;
    expect(user).toMatchObject({ displayName: "Deleted user", passwordHash: null, deleteMessages: true });
    expect(user.deletedAt).not.toBeNull();
    expect((await api(app, "GET", "/users/@me", undefined, acct.bearer)).status).toBe(401);
    expect((await api(app, "POST", "/auth/login", { login: acct.user.username, password: "leaving long password" })).status).toBe(401);
    // The name is free again for someone else.
    expect((await createAccount(app, { username: acct.user.username })).user.username).toBe(acct.user.username);
  });

  test("the delete form keeps messages by default", async () => {
    const acct = await createAccount(app, { password: "form delete password" });
    const res = await postForm(app, "/settings/delete", { password: "form delete password", messages: "keep" }, acct.cookie);
    expect(res.headers.get("Location")).toBe("/login");
    expect(findUser(app.server.core, acct.user.id)!.deleteMessages).toBe(false);
  });
});
