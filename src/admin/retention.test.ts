// The server audit logs' retention period is an instance setting an admin changes from the
// settings page or PATCH /admin/instance; the change is in the instance audit log and the hourly
// prune uses it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { auditRetentionDays } from "../moderation/audit.ts";

let app: TestApp;
let admin: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { username: "keeper", admin: true });
});
afterAll(() => app.close());

type Action = { action: string; detail: { before?: Record<string, unknown>; after?: Record<string, unknown> } };
const lastUpdate = async () => ((await (await api(app, "GET", "/admin/audit-log?action=instance.update", undefined, admin.bearer)).json()) as Action[])[0];

describe("audit log retention", () => {
  test("PATCH /admin/instance sets audit_log_retention_days (1-3650), GET shows it, the prune reads it and the change is in the instance audit log", async () => {
    expect(((await (await api(app, "GET", "/admin/instance", undefined, admin.bearer)).json()) as { audit_log_retention_days: number }).audit_log_retention_days).toBe(90);
    const res = await api(app, "PATCH", "/admin/instance", { audit_log_retention_days: 30 }, admin.bearer);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { audit_log_retention_days: number }).audit_log_retention_days).toBe(30);
    expect(auditRetentionDays(app.server.core)).toBe(30);
    expect(await lastUpdate()).toMatchObject({ action: "instance.update", detail: { after: { auditRetentionDays: 30 } } });
    for (const bad of [0, 3651, 2.5, "30"]) {
      expect((await api(app, "PATCH", "/admin/instance", { audit_log_retention_days: bad }, admin.bearer)).status).toBe(400);
    }
    expect(auditRetentionDays(app.server.core)).toBe(30);
  });

  test("the admin settings page has the field with the current value, saves it, and refuses a bad value with an error next to the field", async () => {
    const page = await (await app.fetch("/admin/settings", { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain('name="audit_log_retention_days"');
    expect(page).toContain("Keep server audit logs for (days)");
    const saved = await postForm(app, "/admin/settings", { instance_name: "Pokynano", registration: "open", server_creation: "everyone", audit_log_retention_days: "365" }, admin.cookie);
    expect(saved.status).toBe(303);
    expect(auditRetentionDays(app.server.core)).toBe(365);
    expect(await (await app.fetch("/admin/settings", { headers: { Cookie: admin.cookie } })).text()).toContain('value="365"');
    const bad = await postForm(app, "/admin/settings", { instance_name: "Pokynano", registration: "open", server_creation: "everyone", audit_log_retention_days: "0" }, admin.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/f-audit_log_retention_days-error/);
    expect(auditRetentionDays(app.server.core)).toBe(365);
  });
});
