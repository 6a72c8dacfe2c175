// The instance admin's file limits on the admin settings page.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { maxFileMb, quotaMb } from "./limits.ts";

let app: TestApp;
let admin: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { admin: true });
});
afterAll(() => app.close());

test("the admin settings page loads the file limits form, and saving it changes the limits at once", async () => {
  const page = await (await app.fetch("/admin/settings", { headers: { Cookie: admin.cookie } })).text();
  expect(page).toContain('hx-get="/admin/files"');
  const form = await (await app.fetch("/admin/files", { headers: { Cookie: admin.cookie } })).text();
  expect(form).toContain('name="max_file_size_mb"');
  expect(form).toContain('value="25"');
  expect(form).toContain('value="2048"');
  const saved = await postForm(app, "/admin/files", { max_file_size_mb: "100", storage_quota_mb: "0" }, admin.cookie);
  expect(saved.status).toBe(303);
  expect([maxFileMb(app.server.core), quotaMb(app.server.core)]).toEqual([100, 0]);
  expect((await postForm(app, "/admin/files", { max_file_size_mb: "5000", storage_quota_mb: "0" }, admin.cookie)).status).toBe(400);
});

test("only an instance admin sees or changes the file limits", async () => {
  const member = await createAccount(app);
  expect((await app.fetch("/admin/files", { headers: { Cookie: member.cookie } })).status).toBe(403);
  expect((await postForm(app, "/admin/files", { max_file_size_mb: "1", storage_quota_mb: "1" }, member.cookie)).status).toBe(403);
  expect(maxFileMb(app.server.core)).not.toBe(1);
});
