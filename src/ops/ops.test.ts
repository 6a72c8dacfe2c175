// Operations: /metrics, the overview, appearance (banner, custom CSS) and the instance audit log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture } from "../testing/guilds.ts";
import { setVoiceRooms } from "./metrics.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let admin: TestAccount;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { admin: true });
  member = await createAccount(app);
});
afterAll(() => app.close());

const proxied = { "X-Forwarded-For": "203.0.113.9" };

describe("/metrics", () => {
  test("answers this machine, admins and the scrape token in Prometheus format, and nobody else", async () => {
    const g = await createGuildFixture(app);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "hello metrics" }, g.owner.bearer);
    setVoiceRooms(app.server.core, 3);
    const local = await app.fetch("/metrics");
    expect(local.status).toBe(200);
    expect(local.headers.get("Content-Type")).toContain("text/plain");
    const body = await local.text();
    expect(body).toContain("# TYPE pokynano_http_request_duration_seconds histogram");
    expect(body).toMatch(/^pokynano_http_request_duration_seconds_count\{method="POST",route="\/api\/v10\/channels\/:channel\/messages",status="200"\} 1$/m);
    expect(body).toMatch(/^pokynano_db_commit_duration_seconds_count [1-9]\d*$/m);
    expect(body).toMatch(/^pokynano_connections 0$/m);
    expect(body).toMatch(/^pokynano_hub_events_total [1-9]\d*$/m);
    expect(body).toMatch(/^pokynano_voice_rooms 3$/m);
    expect(body).toContain("pokynano_process_resident_memory_bytes");
    // Through a proxy (forwarded header): anonymous, a member or a wrong token get 404.
    expect((await app.fetch("/metrics", { headers: proxied })).status).toBe(404);
    expect((await app.fetch("/metrics", { headers: { ...proxied, Cookie: member.cookie } })).status).toBe(404);
    expect((await app.fetch("/metrics", { headers: { ...proxied, Authorization: "Bearer pkm.wrongwrongwrongwrongwrongwrong" } })).status).toBe(404);
    expect((await app.fetch("/metrics", { headers: { ...proxied, Cookie: admin.cookie } })).status).toBe(200);
    const { token } = (await (await api(app, "POST", "/admin/metrics-token", undefined, admin.bearer)).json()) as { token: string };
    expect((await app.fetch("/metrics", { headers: { ...proxied, Authorization: `Bearer ${token}` } })).status).toBe(200);
    const again = (await (await api(app, "POST", "/admin/metrics-token", undefined, admin.bearer)).json()) as { token: string };
    expect((await app.fetch("/metrics", { headers: { ...proxied, Authorization: `Bearer ${token}` } })).status).toBe(404);
    expect((await app.fetch("/metrics", { headers: { ...proxied, Authorization: `Bearer ${again.token}` } })).status).toBe(200);
  });
});

describe("overview", () => {
  test("the overview counts users, servers and messages and shows the version; members cannot see it", async () => {
    const res = await api(app, "GET", "/admin/overview", undefined, admin.bearer);
    const { totals, samples } = (await res.json()) as { totals: Record<string, number | string>; samples: unknown[] };
    expect(totals.users).toBeGreaterThanOrEqual(2);
    expect(totals.servers).toBeGreaterThanOrEqual(1);
    expect(totals.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(samples.length).toBeGreaterThanOrEqual(1);
    expect((await api(app, "GET", "/admin/overview", undefined, member.bearer)).status).toBe(403);
    const page = await (await app.fetch("/admin/overview", { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain('id="ops-charts"');
    expect(page).toContain("/static/vendor/uplot.js");
    expect((await app.fetch("/admin/overview", { headers: { Cookie: member.cookie } })).status).toBe(403);
  });
});

describe("appearance", () => {
  test("the announcement shows in the app shell, escaped, and the custom CSS is served last as text/css", async () => {
    const css = "body { outline: 2px solid hotpink; } /* </style><script>alert(1)</script> */";
    const res = await api(app, "PATCH", "/admin/appearance", { announcement: "Maintenance <b>tonight</b>", custom_css: css }, admin.bearer);
    expect(res.status).toBe(200);
    const shell = await (await app.fetch("/", { headers: { Cookie: member.cookie } })).text();
    expect(shell).toContain("Maintenance &lt;b&gt;tonight&lt;/b&gt;");
    expect(shell).toMatch(/href="\/me\.css"[^]*href="\/instance\.css"/);
    const served = await app.fetch("/instance.css");
    expect(served.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await served.text()).toBe(css);
    expect((await app.fetch("/instance.css", { headers: { "If-None-Match": served.headers.get("ETag")! } })).status).toBe(304);
    expect((await api(app, "PATCH", "/admin/appearance", { custom_css: "x" }, member.bearer)).status).toBe(403);
    expect((await api(app, "PATCH", "/admin/appearance", { custom_css: "a".repeat(200_000) }, admin.bearer)).status).toBe(400);
    await api(app, "PATCH", "/admin/appearance", { description: "A server for <the> neighbourhood" }, admin.bearer);
    expect(await (await app.fetch("/login")).text()).toContain("A server for &lt;the&gt; neighbourhood");
    await api(app, "PATCH", "/admin/appearance", { announcement: "" }, admin.bearer);
    expect(await (await app.fetch("/", { headers: { Cookie: member.cookie } })).text()).not.toContain("announcement-banner");
  });
});

describe("instance audit log", () => {
  test("every admin action is recorded with who, what, target and before/after", async () => {
    const target = await createAccount(app);
    await api(app, "PATCH", `/admin/users/${target.user.id}`, { admin: true }, admin.bearer);
    await api(app, "PATCH", `/admin/users/${target.user.id}`, { admin: false }, admin.bearer);
    await postForm(app, `/admin/users/${target.user.id}/active`, { active: "0" }, admin.cookie);
    await postForm(app, `/admin/users/${target.user.id}/reset`, {}, admin.cookie);
    await api(app, "PATCH", "/admin/instance", { name: "Audited", registration: "closed" }, admin.bearer);
    await api(app, "PATCH", "/admin/backups", { interval_hours: 12, keep: 3 }, admin.bearer);
    await api(app, "PATCH", "/admin/instance", { max_file_size_mb: 50 }, admin.bearer);
    await postForm(app, "/admin/files", { max_file_size_mb: "60", storage_quota_mb: "100" }, admin.cookie);
    await api(app, "POST", "/admin/users", { username: "made.by.admin", password: "a long enough password" }, admin.bearer);
    await api(app, "POST", "/admin/invites", { max_uses: 1 }, admin.bearer);
    const g = await createGuildFixture(app, "Doomed");
    await api(app, "DELETE", `/admin/guilds/${g.guildId}`, undefined, admin.bearer);
    await api(app, "DELETE", `/admin/users/${target.user.id}`, undefined, admin.bearer);
    const log = (await (await api(app, "GET", "/admin/audit-log", undefined, admin.bearer)).json()) as { action: string; admin: string; target: string; detail: Record<string, unknown> }[];
    const actions = log.map((e) => e.action);
    for (const a of ["user.admin.grant", "user.admin.revoke", "user.deactivate", "user.password_reset", "instance.update", "backup.schedule", "server.delete", "user.delete", "instance.appearance", "metrics.token", "instance.limits", "user.create", "invite.create"]) expect(actions).toContain(a);
    const limits = log.filter((e) => e.action === "instance.limits").map((e) => e.detail);
    expect(limits).toContainEqual({ before: { max_file_size_mb: 25 }, after: { max_file_size_mb: 50 } });
    expect(limits).toContainEqual({ before: { max_file_size_mb: 50, storage_quota_mb: 2048 }, after: { max_file_size_mb: 60, storage_quota_mb: 100 } });
    const update = log.find((e) => e.action === "instance.update")!;
    expect(update.admin).toBe(admin.user.username);
    expect(update.detail).toEqual({ before: { name: null, registration: null }, after: { name: "Audited", registration: "closed" } });
    expect(log.find((e) => e.action === "server.delete")!.detail.name).toBe("Doomed");
    const filtered = (await (await api(app, "GET", "/admin/audit-log?action=user.", undefined, admin.bearer)).json()) as { action: string }[];
    expect(filtered.every((e) => e.action.startsWith("user."))).toBe(true);
    const page = await (await app.fetch("/admin/audit?action=server", { headers: { Cookie: admin.cookie } })).text();
    expect(page).toContain('data-action="server.delete"');
    expect((await api(app, "GET", "/admin/audit-log", undefined, member.bearer)).status).toBe(403);
  });

  test("an admin sees and revokes a user's sessions", async () => {
    const someone = await createAccount(app);
    const sessions = (await (await api(app, "GET", `/admin/users/${someone.user.id}/sessions`, undefined, admin.bearer)).json()) as { id: string }[];
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    for (const s of sessions) expect((await api(app, "DELETE", `/admin/users/${someone.user.id}/sessions/${s.id}`, undefined, admin.bearer)).status).toBe(204);
    expect((await api(app, "GET", "/users/@me", undefined, someone.bearer)).status).toBe(401);
    expect((await api(app, "DELETE", `/admin/users/${someone.user.id}/sessions/123`, undefined, admin.bearer)).status).toBe(404);
  });
});

describe("logo", () => {
  test("an uploaded logo replaces Pokynano's in the app shell; junk is refused; removing it restores the default", async () => {
    const png = makePng(300, 200);
    const set = await app.fetch("/api/v10/admin/appearance/logo", { method: "PUT", body: png as Uint8Array<ArrayBuffer>, headers: admin.bearer });
    expect(set.status).toBe(200);
    const { logo } = (await set.json()) as { logo: string };
    expect(logo).toMatch(/^\/icons\/[0-9a-f]{64}\.webp$/);
    expect((await app.fetch(logo)).headers.get("Content-Type")).toBe("image/webp");
    expect(await (await app.fetch("/", { headers: { Cookie: member.cookie } })).text()).toContain(`src="${logo}"`);
    expect((await app.fetch("/api/v10/admin/appearance/logo", { method: "PUT", body: "<svg onload=alert(1)>", headers: admin.bearer })).status).toBe(400);
    expect((await app.fetch("/api/v10/admin/appearance/logo", { method: "PUT", body: png as Uint8Array<ArrayBuffer>, headers: member.bearer })).status).toBe(403);
    expect((await api(app, "DELETE", "/admin/appearance/logo", undefined, admin.bearer)).status).toBe(204);
    expect(await (await app.fetch("/", { headers: { Cookie: member.cookie } })).text()).not.toContain(logo);
    const form = new FormData();
    form.set("logo", new File([png as Uint8Array<ArrayBuffer>], "logo.png"));
    expect((await app.fetch("/admin/appearance/logo", { method: "POST", body: form, headers: { Cookie: admin.cookie, Origin: app.url } })).status).toBe(303);
    const log = (await (await api(app, "GET", "/admin/audit-log?action=instance.logo", undefined, admin.bearer)).json()) as unknown[];
    expect(log.length).toBe(3);
  });
});
