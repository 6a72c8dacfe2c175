// Two-factor authentication and personal access tokens through the API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { findUser } from "../users/service.ts";
import { confirmEnrolment, currentCode, startEnrolment } from "./mfa.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const STEP = 30_000;

async function withMfa(): Promise<TestAccount & { secret: string; recovery: string[] }> {
  const acct = await createAccount(app, { password: "a long mfa password" });
  const core = app.server.core;
  const { secret } = await startEnrolment(core, acct.user, "Test");
  const recovery = await confirmEnrolment(core, findUser(core, acct.user.id)!, currentCode(secret));
  return { ...acct, secret, recovery };
}

const login = (acct: TestAccount, code?: string) => api(app, "POST", "/auth/login", { login: acct.user.username, password: acct.password, ...(code === undefined ? {} : { code }) });

describe("two-factor login", () => {
  test("enrolment needs a correct code and yields ten distinct one-time recovery codes", async () => {
    const acct = await createAccount(app);
    const core = app.server.core;
    const { secret, qrDataUrl, uri } = await startEnrolment(core, acct.user, "Les Copains");
    expect(uri).toStartWith("otpauth://totp/");
    expect(qrDataUrl).toStartWith("data:image/svg+xml;base64,");
    await expect(confirmEnrolment(core, findUser(core, acct.user.id)!, "000000")).rejects.toThrow(/not valid/);
    const codes = await confirmEnrolment(core, findUser(core, acct.user.id)!, currentCode(secret));
    expect(new Set(codes).size).toBe(10);
    expect(findUser(core, acct.user.id)!.totpSecret).toBe(secret);
  });

  test("scenario table: missing, wrong, current, replayed and recovery codes", async () => {
    const acct = await withMfa();
    const missing = await login(acct);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { code: number }).code).toBe(60008);

    const wrong = await login(acct, "123456");
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { code: number }).code).toBe(60009);

    const next = currentCode(acct.secret, Date.now() + STEP);
    expect((await login(acct, next)).status).toBe(200);
    // The same code again (an observed code replayed) is refused.
    expect((await login(acct, next)).status).toBe(401);

    const recovery = acct.recovery[0]!;
    expect((await login(acct, recovery.toUpperCase())).status).toBe(200);
    expect((await login(acct, recovery)).status).toBe(401);
    expect((await login(acct, acct.recovery[1]!.replace("-", ""))).status).toBe(200);
  });

  test("a wrong password is refused before the code is even looked at", async () => {
    const acct = await withMfa();
    const res = await api(app, "POST", "/auth/login", { login: acct.user.username, password: "not the password", code: currentCode(acct.secret, Date.now() + STEP) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: number }).code).toBe(40001);
  });
});

describe("turning 2FA off", () => {
  test("needs the password; afterwards the password alone logs in again", async () => {
    const acct = await withMfa();
    const wrong = await postForm(app, "/settings/2fa/disable", { password: "not my password" }, acct.cookie);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("The current password is wrong.");
    expect(findUser(app.server.core, acct.user.id)!.totpSecret).not.toBeNull();
    expect((await postForm(app, "/settings/2fa/disable", { password: acct.password }, acct.cookie)).status).toBe(303);
    expect(findUser(app.server.core, acct.user.id)!.totpSecret).toBeNull();
    expect((await login(acct)).status).toBe(200);
  });

  test("the security page walks through enrolment: QR and key, then recovery codes", async () => {
    const acct = await createAccount(app);
    expect((await postForm(app, "/settings/2fa/start", {}, acct.cookie)).headers.get("Location")).toBe("/settings/security");
    const page = await (await app.fetch("/settings/security", { headers: { Cookie: acct.cookie } })).text();
    const secret = /class="mfa-key">([A-Z2-7]+)</.exec(page)![1]!;
    expect(page).toContain('src="data:image/svg+xml;base64,');
    const done = await postForm(app, "/settings/2fa/confirm", { code: currentCode(secret) }, acct.cookie);
    const html = await done.text();
    expect(html.match(/<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/g)?.length).toBe(10);
    expect(html).toContain("Two-factor authentication is on.");
  });
});

describe("personal access tokens", () => {
  test("a token is shown once, works as a bearer token, and obeys its scopes", async () => {
    const acct = await createAccount(app);
    const created = await api(app, "POST", "/users/@me/tokens", { name: "backup script", scopes: ["read"] }, acct.bearer);
    expect(created.status).toBe(201);
    const { token, id, scopes } = (await created.json()) as { token: string; id: string; scopes: string[] };
    expect(token).toStartWith("pkt.");
    expect(scopes).toEqual(["read"]);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await api(app, "GET", "/users/@me", undefined, auth)).status).toBe(200);
    const write = await api(app, "PATCH", "/users/@me", { bio: "hello" }, auth);
    expect(write.status).toBe(403);
    expect(((await write.json()) as { message: string }).message).toMatch(/read scope/);
    // The list never shows the secret again.
    const list = await (await api(app, "GET", "/users/@me/tokens", undefined, acct.bearer)).text();
    expect(list).toContain("backup script");
    expect(list).not.toContain(token.split(".")[2]!);
    expect((await api(app, "DELETE", `/users/@me/tokens/${id}`, undefined, acct.bearer)).status).toBe(204);
    expect((await api(app, "GET", "/users/@me", undefined, auth)).status).toBe(401);
  });

  test("write tokens can act; admin scope is granted only to admins and needed for admin routes", async () => {
    const member = await createAccount(app);
    const res = await api(app, "POST", "/users/@me/tokens", { name: "bot", scopes: ["read", "write", "admin"] }, member.bearer);
    const body = (await res.json()) as { token: string; scopes: string[] };
    expect(body.scopes).toEqual(["read", "write"]);
    const auth = { Authorization: `Bearer ${body.token}` };
    expect((await api(app, "PATCH", "/users/@me", { bio: "from a script" }, auth)).status).toBe(200);
    expect((await api(app, "GET", "/admin/users", undefined, auth)).status).toBe(403);

    const admin = await createAccount(app, { admin: true });
    const readOnly = (await (await api(app, "POST", "/users/@me/tokens", { name: "ro", scopes: ["read"] }, admin.bearer)).json()) as { token: string };
    expect((await api(app, "GET", "/admin/users", undefined, { Authorization: `Bearer ${readOnly.token}` })).status).toBe(403);
    const full = (await (await api(app, "POST", "/users/@me/tokens", { name: "ops", scopes: ["read", "write", "admin"] }, admin.bearer)).json()) as { token: string };
    expect((await api(app, "GET", "/admin/users", undefined, { Authorization: `Bearer ${full.token}` })).status).toBe(200);
  });

  test("someone else's token or session id cannot be revoked (404, nothing changes)", async () => {
    const a = await createAccount(app);
    const b = await createAccount(app);
    const tok = (await (await api(app, "POST", "/users/@me/tokens", { name: "mine", scopes: ["read"] }, a.bearer)).json()) as { id: string; token: string };
    expect((await api(app, "DELETE", `/users/@me/tokens/${tok.id}`, undefined, b.bearer)).status).toBe(404);
    expect((await api(app, "DELETE", `/users/@me/sessions/${a.token.split(".")[1]}`, undefined, b.bearer)).status).toBe(404);
    expect((await api(app, "DELETE", `/users/@me/sessions/../../x`, undefined, b.bearer)).status).toBe(404);
    expect((await api(app, "GET", "/users/@me", undefined, { Authorization: `Bearer ${tok.token}` })).status).toBe(200);
    expect((await api(app, "GET", "/users/@me", undefined, a.bearer)).status).toBe(200);
  });
});
