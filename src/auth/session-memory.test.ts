// Sessions are remembered between requests (auth/sessions.ts) but the secret is checked every
// time, and a sign-out, a profile change or a deletion by another process applies at once.
import { Database } from "bun:sqlite";
import { OTHER_PROCESS_MS } from "../db/table-version.ts";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { api, createAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { parseToken } from "./tokens.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const me = (token: string) => api(app, "GET", "/users/@me", undefined, { Authorization: `Bearer ${token}` });

test("a wrong secret for a real session is refused every time and never locks out the real token", async () => {
  const acct = await createAccount(app);
  const { id, secret } = parseToken(acct.token)!;
  const forged = acct.token.replace(`.${id}.${secret}`, `.${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`);
  expect((await me(acct.token)).status).toBe(200);
  expect((await me(forged)).status).toBe(401);
  expect((await me(acct.token)).status).toBe(200);
  expect((await me(forged)).status).toBe(401);
});

test("a profile change shows on the next request, and a sign-out refuses the token at once", async () => {
  const acct = await createAccount(app);
  expect((await api(app, "PATCH", "/users/@me", { global_name: "Nouveau nom" }, acct.bearer)).status).toBe(200);
  expect(((await (await me(acct.token)).json()) as { global_name: string }).global_name).toBe("Nouveau nom");
  expect((await api(app, "POST", "/auth/logout", undefined, acct.bearer)).status).toBeLessThan(300);
  expect((await me(acct.token)).status).toBe(401);
});

test("a session deleted by another process (the admin command line) is refused within moments", async () => {
  const acct = await createAccount(app);
  expect((await me(acct.token)).status).toBe(200);
  const other = new Database(app.server.db.path);
  try {
    other.run("PRAGMA busy_timeout = 5000");
    other.query("DELETE FROM sessions WHERE id = ?").run(BigInt(parseToken(acct.token)!.id));
  } finally {
    other.close();
  }
  await Bun.sleep(OTHER_PROCESS_MS);
  expect((await me(acct.token)).status).toBe(401);
});
