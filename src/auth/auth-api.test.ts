// The JSON auth API, tried with the bad-input list of shared/SECURITY.md.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { sessions } from "./table.ts";

let app: TestApp;
let ownerId: string;
beforeAll(async () => {
  app = await createTestApp();
  ownerId = (await createAccount(app, { username: "owner", admin: true })).user.id;
  await writeSetting(app.server.queue, "registration_mode", "open");
});
afterAll(() => app.close());

const me = (headers: Record<string, string>) => api(app, "GET", "/users/@me", undefined, headers);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("register", () => {
  test("creates an account and returns a working bearer token", async () => {
    const res = await api(app, "POST", "/auth/register", { username: "Camille.R", password: "une phrase de passe", global_name: "Camille" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; user: { username: string; global_name: string; admin: boolean } };
    expect(body.user).toMatchObject({ username: "Camille.R", global_name: "Camille", admin: false });
    expect(((await (await me({ Authorization: `Bearer ${body.token}` })).json()) as { username: string }).username).toBe("Camille.R");
  });

  test("usernames follow the rules and are unique regardless of case", async () => {
    const cases: [string, number, RegExp][] = [
      ["a", 400, /2 to 32 characters/],
      ["x".repeat(33), 400, /2 to 32 characters/],
      ["аdmin2", 400, /letters, digits/], // Cyrillic а: a homoglyph
      ["bad\u0000name", 400, /letters, digits/],
      ["zero\u200bwidth", 400, /letters, digits/],
      ["with space", 400, /letters, digits/],
      ["..dots", 400, /dot/],
      ["everyone", 400, /reserved/],
      ["CAMILLE.r", 400, /taken/],
      ["<script>", 400, /letters, digits/],
    ];
    for (const [username, status, message] of cases) {
      const res = await api(app, "POST", "/auth/register", { username, password: "une phrase de passe" });
      expect(res.status).toBe(status);
      const body = (await res.json()) as { code: number; errors: Record<string, string> };
      expect(body.code).toBe(50035);
      expect(body.errors.username).toMatch(message);
    }
  });

  test("weak passwords are refused: too short, too long, among the 1,000 most common, equal to the username", async () => {
    for (const [password, message] of [
      ["short", /at least 8/],
      ["x".repeat(300), /at most 256/],
      ["password1", /too common/],
      ["Iloveyou", /too common/],
      ["qwertyuiop", /too common/],
      ["samename", /cannot be your username/],
    ] as const) {
      const res = await api(app, "POST", "/auth/register", { username: "samename", password });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { password: string } }).errors.password).toMatch(message);
    }
  });

  test("type confusion and unknown fields are a 400 that names the field", async () => {
    for (const body of [
      { username: { $ne: "" }, password: "une phrase de passe" },
      { username: ["a", "b"], password: "une phrase de passe" },
      { username: null, password: "une phrase de passe" },
      { username: "okname", password: 12345678901234567890 },
      { username: "okname", password: "une phrase de passe", admin: true },
      [],
      "string",
    ]) {
      const res = await api(app, "POST", "/auth/register", body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: number }).code).toBe(50035);
    }
    const malformed = await app.fetch("/api/v10/auth/register", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/not valid JSON/);
  });

  test("invite-only mode needs a valid invite, closed mode refuses everyone", async () => {
    await writeSetting(app.server.queue, "registration_mode", "invite");
    const none = await api(app, "POST", "/auth/register", { username: "invitee", password: "une phrase de passe" });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { message: string }).message).toMatch(/invite/);
    const bad = await api(app, "POST", "/auth/register", { username: "invitee", password: "une phrase de passe", invite: "nope" });
    expect(bad.status).toBe(400);
    const { createInstanceInvite } = await import("../instance/invites.ts");
    const invite = await createInstanceInvite(app.server.core, ownerId, { maxUses: 1 });
    const ok = await api(app, "POST", "/auth/register", { username: "invitee", password: "une phrase de passe", invite: invite.code });
    expect(ok.status).toBe(201);
    const usedUp = await api(app, "POST", "/auth/register", { username: "invitee2", password: "une phrase de passe", invite: invite.code });
    expect(usedUp.status).toBe(400);
    await writeSetting(app.server.queue, "registration_mode", "closed");
    const closed = await api(app, "POST", "/auth/register", { username: "invitee3", password: "une phrase de passe", invite: invite.code });
    expect(closed.status).toBe(403);
    expect(((await closed.json()) as { message: string }).message).toMatch(/closed/);
    await writeSetting(app.server.queue, "registration_mode", "open");
  });
});

describe("login and logout", () => {
  test("unknown user and wrong password fail the same way", async () => {
    await createAccount(app, { username: "dana", password: "dana's long password" });
    const wrong = await api(app, "POST", "/auth/login", { login: "dana", password: "not it at all" });
    const unknown = await api(app, "POST", "/auth/login", { login: "nobody_here", password: "not it at all" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  test("login returns a token; logout kills it at once", async () => {
    const res = await api(app, "POST", "/auth/login", { login: "DANA", password: "dana's long password" });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}` };
    expect((await me(auth)).status).toBe(200);
    expect((await api(app, "POST", "/auth/logout", undefined, auth)).status).toBe(204);
    const after = await me(auth);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { message: string }).message).toMatch(/not valid/);
  });

  test("a deactivated account cannot log in and its tokens stop working", async () => {
    const eve = await createAccount(app, { username: "eve", password: "eve's long password" });
    const { setDeactivated } = await import("../users/lifecycle.ts");
    await setDeactivated(app.server.core, eve.user.id, true);
    expect((await me(eve.bearer)).status).toBe(401);
    const res = await api(app, "POST", "/auth/login", { login: "eve", password: "eve's long password" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/deactivated/);
  });

  test("every bad token of the security checklist is a 401", async () => {
    const victim = await createAccount(app, { password: "victim's long password" });
    const [, sessionId] = victim.token.split(".");
    // Expired session: same row, expiry in the past.
    const expired = await createAccount(app);
    const expiredId = expired.token.split(".")[1]!;
    await app.server.queue.write(({ orm }) => orm.update(sessions).set({ expiresAt: "2000-01-01T00:00:00.000Z" }).where(eq(sessions.id, expiredId)).run());
    // After a password change, the old session token dies.
    const changed = await createAccount(app, { password: "old long password" });
    const other = await api(app, "POST", "/auth/login", { login: changed.user.username, password: "old long password" });
    const { token: keep } = (await other.json()) as { token: string };
    expect((await api(app, "POST", "/users/@me/password", { password: "old long password", new_password: "a brand new long password" }, { Authorization: `Bearer ${keep}` })).status).toBe(204);

    const bad: Record<string, string> = {
      empty: "Bearer ",
      null: "Bearer null",
      whitespace: "Bearer    ",
      idDash: `Bearer ${sessionId}-`,
      idOnly: `Bearer pks.${sessionId}.`,
      wrongSecret: `Bearer pks.${sessionId}.${"A".repeat(43)}`,
      algNone: `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: victim.user.id, aud: "pokynano" })}.`,
      hs256WithPublicKey: `Bearer ${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: victim.user.id })}.${Buffer.from("signed-with-the-public-key").toString("base64url")}`,
      wrongAudience: `Bearer ${b64({ alg: "RS256", typ: "JWT" })}.${b64({ sub: victim.user.id, aud: "someone-else", exp: 9999999999 })}.sig`,
      expired: `Bearer ${expired.token}`,
      afterPasswordChange: `Bearer ${changed.token}`,
      noScheme: victim.token,
      basic: `Basic ${Buffer.from("a:b").toString("base64")}`,
    };
    for (const [name, header] of Object.entries(bad)) {
      const res = await me({ Authorization: header });
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    }
    expect((await me({ Authorization: `Bearer ${keep}` })).status).toBe(200);
    expect((await me(victim.bearer)).status).toBe(200);
  });

  test("a 10 MB Authorization header is refused before it is read", async () => {
    const res = await app.fetch("/api/v10/users/@me", { headers: { Authorization: `Bearer ${"a".repeat(10 * 1024 * 1024)}` } }).catch(() => null);
    expect(res === null || res.status === 431).toBe(true);
  });

  test("the Bot scheme takes only bot tokens: a Discord-looking token or a user's token under it is a 401", async () => {
    const acct = await createAccount(app);
    for (const header of ["Bot MTIzNDU2Nzg5.abc.def", `Bot ${acct.token}`]) expect((await me({ Authorization: header })).status).toBe(401);
  });

  test("a session cookie works for the API too; a tampered cookie makes you anonymous", async () => {
    const acct = await createAccount(app);
    expect((await me({ Cookie: acct.cookie })).status).toBe(200);
    const tampered = await me({ Cookie: `${acct.cookie.slice(0, -2)}xx` });
    expect(tampered.status).toBe(401);
    expect(tampered.headers.getSetCookie().join()).toContain("pokynano_session=;");
  });
});

describe("rate limits", () => {
  test("repeated failures for one account are refused with 429 and Retry-After, without locking out other addresses", async () => {
    const local = await createTestApp({ trustProxy: true });
    try {
      await createAccount(local, { username: "target", password: "target's long password" });
      const attempt = (ip: string, password = "guessing wrong") => api(local, "POST", "/auth/login", { login: "target", password }, { "X-Forwarded-For": ip });
      for (let i = 0; i < 10; i++) expect((await attempt("203.0.113.9")).status).toBe(401);
      const limited = await attempt("203.0.113.9");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(((await limited.json()) as { retry_after: number }).retry_after).toBeGreaterThan(0);
      // The real owner, elsewhere, still gets in: no lockout an attacker can cause.
      expect((await attempt("198.51.100.7", "target's long password")).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  test("one address cannot try many accounts without limit", async () => {
    const local = await createTestApp({ trustProxy: true });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await api(local, "POST", "/auth/login", { login: `nobody${i}`, password: "whatever it is" }, { "X-Forwarded-For": "192.0.2.1" })).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses[30]).toBe(429);
    } finally {
      await local.close();
    }
  });
});

describe("registration limits", () => {
  test("one address can create at most 10 accounts an hour; failed attempts do not use that allowance", async () => {
    const local = await createTestApp({ trustProxy: true });
    try {
      await createAccount(local, { username: "owner", admin: true });
      await writeSetting(local.server.queue, "registration_mode", "open");
      const reg = (username: string, password = "une phrase de passe") => api(local, "POST", "/auth/register", { username, password }, { "X-Forwarded-For": "192.0.2.50" });
      for (let i = 0; i < 5; i++) expect((await reg(`weak${i}`, "password")).status).toBe(400);
      for (let i = 0; i < 10; i++) expect((await reg(`bulk${i}`)).status).toBe(201);
      const limited = await reg("bulk10");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("Retry-After")).not.toBeNull();
    } finally {
      await local.close();
    }
  });
});
