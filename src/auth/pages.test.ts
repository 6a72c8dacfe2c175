// The browser side of accounts: forms, cookies, CSRF, escaping, and live sockets closing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, sessionCookieFrom, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { findUser } from "../users/service.ts";
import { confirmEnrolment, currentCode, startEnrolment } from "./mfa.ts";

describe("first-run setup", () => {
  test("the first visitor creates the owner; afterwards the setup page is gone", async () => {
    const app = await createTestApp();
    try {
      expect((await app.fetch("/")).headers.get("Location")).toBe("/setup");
      expect((await app.fetch("/login")).headers.get("Location")).toBe("/setup");
      expect((await app.fetch("/setup")).status).toBe(200);
      const res = await postForm(app, "/setup", { instance_name: "Les Copains", username: "owner", password: "tr0ub4dor and horses", registration: "open" });
      expect(res.status).toBe(303);
      const setCookie = res.headers.getSetCookie().join("\n");
      expect(setCookie).toMatch(/pokynano_session=pks\.\d+\.[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/);
      expect(setCookie).not.toContain("Secure");
      const shell = await (await app.fetch("/", { headers: { Cookie: sessionCookieFrom(res)! } })).text();
      expect(shell).toContain("Les Copains");
      expect(shell).toContain("/admin/overview");
      expect((await app.fetch("/setup")).status).toBe(404);
      const again = await postForm(app, "/setup", { instance_name: "Mine now", username: "intruder", password: "tr0ub4dor and horses", registration: "open" });
      expect(again.status).toBe(404);
    } finally {
      await app.close();
    }
  });

  test("behind https the cookie is Secure and __Host- prefixed", async () => {
    const app = await createTestApp({ publicUrl: "https://chat.example.org" });
    try {
      const res = await app.fetch("/setup", {
        method: "POST",
        headers: { Origin: "https://chat.example.org", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ instance_name: "X", username: "owner", password: "tr0ub4dor and horses", registration: "invite" }),
      });
      expect(res.headers.getSetCookie().join()).toMatch(/^__Host-pokynano_session=.*; Path=\/; HttpOnly; Secure; SameSite=Lax/);
      expect(res.headers.get("Strict-Transport-Security")).toContain("max-age=");
    } finally {
      await app.close();
    }
  });
});

describe("pages of a running instance", () => {
  let app: TestApp;
  let owner: TestAccount;
  beforeAll(async () => {
    app = await createTestApp();
    owner = await createAccount(app, { username: "owner", admin: true, password: "owner's long password" });
  });
  afterAll(() => app.close());

  test("logging in sets the cookie and follows only same-site next paths", async () => {
    const ok = await postForm(app, "/login", { login: "owner", password: "owner's long password", next: "/settings/profile" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("Location")).toBe("/settings/profile");
    expect(sessionCookieFrom(ok)).not.toBeNull();
    for (const next of ["//evil.example/", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await postForm(app, "/login", { login: "owner", password: "owner's long password", next });
      expect(res.headers.get("Location")).toBe("/");
    }
  });

  test("a wrong password re-renders the form with the message and keeps the username", async () => {
    const res = await postForm(app, "/login", { login: "owner", password: "nope nope nope" });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain("Invalid username or password.");
    expect(html).toContain('value="owner"');
  });

  test("with 2FA on, the password step leads to a code step; a wrong code stays there", async () => {
    const acct = await createAccount(app, { password: "second factor user" });
    const core = app.server.core;
    const { secret } = await startEnrolment(core, acct.user, "X");
    await confirmEnrolment(core, findUser(core, acct.user.id)!, currentCode(secret));
    const step1 = await postForm(app, "/login", { login: acct.user.username, password: "second factor user" });
    expect(step1.status).toBe(200);
    expect(sessionCookieFrom(step1)).toBeNull();
    const ticket = /name="ticket" value="([\w-]+)"/.exec(await step1.text())![1]!;
    const wrong = await postForm(app, "/login/2fa", { ticket, code: "000000" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That code is not valid");
    const right = await postForm(app, "/login/2fa", { ticket, code: currentCode(secret, Date.now() + 30_000) });
    expect(right.status).toBe(303);
    expect(sessionCookieFrom(right)).not.toBeNull();
    const reused = await postForm(app, "/login/2fa", { ticket, code: currentCode(secret, Date.now() + 30_000) });
    expect(await reused.text()).toContain("took too long");
  });

  test("a form posted from another site is refused and changes nothing", async () => {
    const acct = await createAccount(app);
    for (const origin of ["https://evil.example", "null", `${app.url}.evil.com`]) {
      const res = await app.fetch("/settings/profile", {
        method: "POST",
        headers: { Origin: origin, Cookie: acct.cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ display_name: "pwned" }),
      });
      expect(res.status).toBe(403);
    }
    const login = await app.fetch("/login", { method: "POST", headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" }, body: "login=owner&password=x" });
    expect(login.status).toBe(403);
    expect(findUser(app.server.core, acct.user.id)!.displayName).toBeNull();
  });

  test("script and htmx payloads in names and profile text render as text", async () => {
    const acct = await createAccount(app);
    const payloads = { display_name: "<script>alert(1)</script>", about: '<img src=x onerror="alert(1)"> <a hx-get="/admin">x</a>', pronouns: "<svg onload=alert(1)>", custom_status: "javascript:alert(1)" };
    expect((await postForm(app, "/settings/profile", payloads, acct.cookie)).status).toBe(303);
    for (const page of ["/", "/settings/profile"]) {
      const html = await (await app.fetch(page, { headers: { Cookie: acct.cookie } })).text();
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("<img src=x");
      expect(html).not.toContain("<svg onload");
      expect(html).not.toContain('<a hx-get="/admin"');
    }
    // Where user text is shown, htmx processing is switched off (htmx 4: hx-ignore).
    expect(await (await app.fetch("/", { headers: { Cookie: acct.cookie } })).text()).toContain('<footer class="user-panel" hx-ignore="">');
    const profile = await (await app.fetch("/settings/profile", { headers: { Cookie: acct.cookie } })).text();
    expect(profile).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const typed = await postForm(app, "/register", { username: '"><script>x</script>', password: "whatever long" });
    expect(await typed.text()).not.toContain("<script>x</script>");
  });

  test("settings pages require a session: anonymous visitors are sent to log in", async () => {
    for (const page of ["/settings/profile", "/settings/security", "/settings/sessions", "/settings/tokens", "/settings/account", "/admin/users"]) {
      const res = await app.fetch(page);
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toStartWith("/login?next=");
    }
  });

  test("the language can be chosen before logging in", async () => {
    const res = await postForm(app, "/language", { locale: "fr" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("pokynano_lang=fr"));
    expect(cookie).toBeDefined();
    const page = await (await app.fetch("/login", { headers: { Cookie: "pokynano_lang=fr" } })).text();
    expect(page).toContain('lang="fr"');
    expect(page).toContain("Se connecter");
    const byHeader = await (await app.fetch("/login", { headers: { "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5" } })).text();
    expect(byHeader).toContain("Se connecter");
  });
});

describe("revocation closes live sockets", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await createAccount(app, { username: "boss", admin: true });
  });
  afterAll(() => app.close());

  async function socket(cookie: string) {
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws`, { headers: { Cookie: cookie, Origin: app.url } } as never);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const closed = new Promise<{ code: number; at: number }>((resolve) => (ws.onclose = (e) => resolve({ code: e.code, at: Date.now() })));
    return { ws, closed };
  }
  const within5s = async (closed: Promise<{ code: number; at: number }>, started: number) => {
    const result = await Promise.race([closed, Bun.sleep(5000).then(() => ({ code: -1, at: Date.now() }))]);
    expect(result.code).toBe(4004);
    expect(result.at - started).toBeLessThan(5000);
  };

  test("logging out closes that session's socket", async () => {
    const acct = await createAccount(app);
    const { closed } = await socket(acct.cookie);
    const started = Date.now();
    await postForm(app, "/logout", {}, acct.cookie);
    await within5s(closed, started);
  });

  test("revoking a session from the sessions page closes its socket and leaves the current one", async () => {
    const acct = await createAccount(app, { password: "two devices user" });
    const phone = sessionCookieFrom(await postForm(app, "/login", { login: acct.user.username, password: "two devices user" }))!;
    const phoneSocket = await socket(phone);
    const laptopSocket = await socket(acct.cookie);
    const page = await (await app.fetch("/settings/sessions", { headers: { Cookie: acct.cookie } })).text();
    const phoneId = phone.split(".")[1]!;
    expect(page).toContain(`data-session-id="${phoneId}"`);
    const started = Date.now();
    expect((await postForm(app, `/settings/sessions/${phoneId}/revoke`, {}, acct.cookie)).status).toBe(303);
    await within5s(phoneSocket.closed, started);
    expect(laptopSocket.ws.readyState).toBe(WebSocket.OPEN);
    laptopSocket.ws.close();
  });

  test("changing the password closes the other sessions' sockets", async () => {
    const acct = await createAccount(app, { password: "old long password" });
    const other = sessionCookieFrom(await postForm(app, "/login", { login: acct.user.username, password: "old long password" }))!;
    const otherSocket = await socket(other);
    const started = Date.now();
    const res = await postForm(app, "/settings/password", { current_password: "old long password", new_password: "new long password!" }, acct.cookie);
    expect(res.headers.get("Location")).toBe("/settings/security?changed=1");
    await within5s(otherSocket.closed, started);
    expect((await app.fetch("/settings/profile", { headers: { Cookie: acct.cookie } })).status).toBe(200);
  });

  test("deactivation by an admin closes every socket of the user", async () => {
    const admin = await createAccount(app, { admin: true });
    const acct = await createAccount(app);
    const s = await socket(acct.cookie);
    const started = Date.now();
    expect((await api(app, "PATCH", `/admin/users/${acct.user.id}`, { deactivated: true }, admin.bearer)).status).toBe(200);
    await within5s(s.closed, started);
  });
});
