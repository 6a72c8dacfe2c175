import type { Child } from "hono/jsx";
import { Skeleton } from "../shared/skeleton.tsx";
import type { User } from "../../src/auth/table.ts";
import type { InstanceInvite } from "../../src/instance/invites.ts";
import type { RegistrationMode } from "../../src/instance/service.ts";
import { Document } from "../layouts/document.tsx";
import { Alert, Choice, Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

export type AdminPage = "overview" | "users" | "servers" | "settings" | "appearance" | "operations" | "audit" | "ipBans";
const NAV: [AdminPage, string, string][] = [
  ["overview", "/admin/overview", "ops.overview"],
  ["users", "/admin/users", "admin.users"],
  ["servers", "/admin/servers", "ops.servers"],
  ["settings", "/admin/settings", "admin.settings"],
  ["appearance", "/admin/appearance", "ops.appearance"],
  ["operations", "/admin/operations", "ops.operations"],
  ["ipBans", "/admin/ip-bans", "moderation.ipBans"],
  ["audit", "/admin/audit", "ops.audit"],
];

export function AdminLayout(props: { ctx: PageCtx; page: AdminPage; children: Child; notice?: Child; error?: string; scripts?: string[]; title?: string }) {
  const { t } = props.ctx;
  return (
    <Document title={`${t("admin.title")} · ${props.ctx.instanceName}`} locale={props.ctx.locale} theme={props.ctx.theme} bodyClass="settings-page" scripts={props.scripts}>
      <div class="settings-shell">
        <nav class="settings-nav" aria-label={t("admin.title")}>
          <a href="/" class="back-link">
            ← {props.ctx.instanceName}
          </a>
          <h2>{t("admin.title")}</h2>
          <ul>
            {NAV.map(([page, href, key]) => (
              <li>
                <a href={href} aria-current={props.page === page ? "page" : undefined}>
                  {t(key as Parameters<typeof t>[0])}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="settings-main" id="main" tabindex={-1}>
          <h1>{props.title ?? t(NAV.find(([page]) => page === props.page)![2] as Parameters<typeof t>[0])}</h1>
          {props.notice ? <div class="alert alert-success" role="status">{props.notice}</div> : null}
          {props.error ? <Alert kind="error">{props.error}</Alert> : null}
          {props.children}
        </main>
      </div>
    </Document>
  );
}

const actionForm = (action: string, label: string, cls = "link-button", extra?: Child) => (
  <form method="post" action={action} class="inline-form">
    {extra}
    <button type="submit" class={cls}>
      {label}
    </button>
  </form>
);

export function AdminUsersPage(props: { ctx: PageCtx; users: User[]; total: number; query: string; notice?: Child; errors?: FormErrors; values?: Record<string, string> }) {
  const { t } = props.ctx;
  const me = props.ctx.user!;
  const f = props.errors?.fields ?? {};
  return (
    <AdminLayout ctx={props.ctx} page="users" notice={props.notice} error={props.errors?.general}>
      <form method="get" action="/admin/users" class="search-form" role="search">
        <label for="f-q">{t("admin.search")}</label>
        <input id="f-q" type="search" name="q" value={props.query} maxlength={64} />
        <button type="submit">{t("admin.search")}</button>
      </form>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t("common.username")}</th>
            <th scope="col">{t("common.displayName")}</th>
            <th scope="col">{t("admin.role")}</th>
            <th scope="col">{t("admin.state")}</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody hx-ignore="">
          {props.users.map((u) => (
            <tr data-user={u.username}>
              <td>{u.username}</td>
              <td>{u.displayName ?? ""}</td>
              <td>{u.isAdmin ? "admin" : ""}</td>
              <td>{u.deletedAt ? t("admin.deleted") : u.deactivatedAt ? t("admin.deactivated") : t("admin.active")}</td>
              <td class="actions">
                {u.deletedAt || u.id === me.id ? null : (
                  <>
                    {actionForm(`/admin/users/${u.id}/admin`, u.isAdmin ? t("admin.removeAdmin") : t("admin.makeAdmin"), "link-button", <input type="hidden" name="admin" value={u.isAdmin ? "0" : "1"} />)}
                    {actionForm(`/admin/users/${u.id}/active`, u.deactivatedAt ? t("admin.reactivate") : t("admin.deactivate"), "link-button", <input type="hidden" name="active" value={u.deactivatedAt ? "1" : "0"} />)}
                    {actionForm(`/admin/users/${u.id}/reset`, t("admin.resetLink"))}
                    <a href={`/admin/users/${u.id}/sessions`} class="link-button">
                      {t("ops.sessions")}
                    </a>
                    {actionForm(`/admin/users/${u.id}/delete`, t("admin.deleteUser"), "link-button danger-text")}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{props.total}</p>
      <section class="settings-section" aria-labelledby="create-title">
        <h2 id="create-title">{t("admin.createUser")}</h2>
        <form method="post" action="/admin/users" class="stack">
          <Field label={t("common.username")} name="username" required value={props.values?.username} error={f.username} hint={t("register.usernameHint")} />
          <Field label={t("common.displayName")} name="display_name" value={props.values?.display_name} error={f.display_name} />
          <Field label={t("common.password")} name="password" type="password" required autocomplete="new-password" error={f.password} />
          <label class="choice-option">
            <input type="checkbox" name="admin" value="1" /> admin
          </label>
          <button type="submit" class="primary">
            {t("admin.createUser")}
          </button>
        </form>
      </section>
    </AdminLayout>
  );
}

export function AdminSettingsPage(props: { ctx: PageCtx; mode: RegistrationMode; serverCreation: "everyone" | "admins"; auditRetentionDays: number; invites: InstanceInvite[]; notice?: string; errors?: FormErrors; publicUrl: string }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="settings" notice={props.notice} error={props.errors?.general}>
      <form method="post" action="/admin/settings" class="stack settings-section">
        <Field label={t("setup.instanceName")} name="instance_name" value={props.ctx.instanceName} required maxlength={64} error={props.errors?.fields?.instance_name} />
        <Choice legend={t("setup.registration")} name="registration" selected={props.mode} options={(["open", "invite", "closed"] as const).map((m) => ({ value: m, label: t(`registration.${m}`) }))} />
        <Choice legend={t("guild.creation")} name="server_creation" selected={props.serverCreation} options={(["everyone", "admins"] as const).map((m) => ({ value: m, label: t(`guild.creation.${m}`) }))} />
        <Field label={t("moderation.auditRetention")} hint={t("moderation.auditRetentionHint")} name="audit_log_retention_days" type="number" inputmode="numeric" value={String(props.auditRetentionDays)} required error={props.errors?.fields?.audit_log_retention_days} />
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
      {/* File size and storage quota (src/files/admin.tsx). */}
      <div hx-get="/admin/files" hx-trigger="load" hx-swap="outerHTML">
        <Skeleton lines={3} />
      </div>
      <section class="settings-section" aria-labelledby="invites-title">
        <h2 id="invites-title">{t("admin.invites")}</h2>
        <form method="post" action="/admin/invites" class="inline-fields">
          <Field label={t("admin.inviteUses")} name="max_uses" type="number" value="10" />
          <Field label={`${t("admin.inviteExpires")} (days)`} name="max_age_days" type="number" value="7" />
          <button type="submit">{t("admin.inviteCreate")}</button>
        </form>
        <table class="data-table">
          <tbody>
            {props.invites.map((inv) => (
              <tr>
                <td>
                  <code>{`${props.publicUrl}/register?invite=${inv.code}`}</code>
                </td>
                <td>
                  {inv.uses}/{inv.maxUses ?? "∞"}
                </td>
                <td>{inv.expiresAt?.slice(0, 10) ?? t("common.never")}</td>
                <td>{actionForm(`/admin/invites/${inv.code}/delete`, t("common.delete"))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </AdminLayout>
  );
}
