// The admin console's operations pages. Live parts are plain HTML first: the overview figures are
// server-rendered and static/js/admin-overview.js adds the charts; job rows are rendered here and
// static/js/admin-jobs.js keeps their progress bars current from /admin/jobs/events.
import type { Child } from "hono/jsx";
import type { AuditEntry } from "../../src/admin/audit.ts";
import type { ServerRow } from "../../src/admin/servers.ts";
import type { Appearance } from "../../src/instance/appearance.ts";
import type { JobEvent } from "../../src/jobs/runner.ts";
import type { BackupFile } from "../../src/backup/service.ts";
import type { Totals } from "../../src/ops/overview.ts";
import { formatBytes } from "../../src/files/limits.ts";
import { Field } from "../shared/form.tsx";
import { assetUrl } from "../../src/assets/registry.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import { AdminLayout } from "./pages.tsx";

type T = PageCtx["t"];
const uptime = (s: number) => `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h ${Math.floor((s % 3600) / 60)}m`;

export function OverviewPage(props: { ctx: PageCtx; totals: Totals }) {
  const { t } = props.ctx;
  const x = props.totals;
  const figures: [string, string, string][] = [
    ["users", t("ops.users"), String(x.users)],
    ["servers", t("ops.servers"), String(x.servers)],
    ["messages", t("ops.messages"), String(x.messages)],
    ["storage", t("ops.storage"), formatBytes(x.storageBytes)],
    ["connections", t("ops.connections"), String(x.connections)],
    ["messagesPerMin", t("ops.messagesPerMin"), String(x.messagesPerMin)],
    ["requestP99", t("ops.requestP99"), String(x.requestP99)],
    ["commitP99", t("ops.commitP99"), String(x.commitP99)],
    ["rssMb", t("ops.rss"), String(x.rssMb)],
    ["db", t("ops.dbSize"), formatBytes(x.dbBytes)],
    ["uptime", t("ops.uptime"), uptime(x.uptimeSeconds)],
    ["version", t("ops.version"), x.version],
  ];
  return (
    <AdminLayout ctx={props.ctx} page="overview" scripts={["vendor/uplot.js", "js/admin-overview.js"]}>
      <link rel="stylesheet" href={assetUrl("vendor/uplot.css")} />
      <dl class="ops-figures" id="ops-figures">
        {figures.map(([key, label, value]) => (
          <div class="ops-figure">
            <dt>{label}</dt>
            <dd data-figure={key}>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">{t("ops.chartsHint")}</p>
      <div class="ops-charts" id="ops-charts" data-source="/admin/overview.json">
        <figure class="ops-chart" data-series="connections,messagesPerMin" data-labels={`${t("ops.connections")}|${t("ops.messagesPerMin")}`}>
          <figcaption>{`${t("ops.connections")} · ${t("ops.messagesPerMin")}`}</figcaption>
        </figure>
        <figure class="ops-chart" data-series="requestP99,commitP99" data-labels={`${t("ops.requestP99")}|${t("ops.commitP99")}`}>
          <figcaption>{`${t("ops.requestP99")} · ${t("ops.commitP99")}`}</figcaption>
        </figure>
        <figure class="ops-chart" data-series="rssMb" data-labels={t("ops.rss")}>
          <figcaption>{t("ops.rss")}</figcaption>
        </figure>
      </div>
    </AdminLayout>
  );
}

export function JobRow(props: { t: T; job: JobEvent }) {
  const { t, job } = props;
  const pct = Math.round(job.progress * 100);
  const file = typeof job.result?.file === "string" ? job.result.file : null;
  return (
    <li class="ops-job" id={`job-${job.id}`} data-job={job.id} data-status={job.status}>
      <span class="ops-job-kind">{t(`ops.job.${job.kind}` as Parameters<T>[0])}</span>
      <progress max="100" value={String(pct)} aria-label={`${pct}%`}></progress>
      <span class="ops-job-status" data-role="status">
        {t(`ops.status.${job.status}`)}
      </span>
      <span class="ops-job-detail muted small" data-role="detail">
        {job.error ?? job.detail}
      </span>
      {file && job.kind === "export" ? (
        <a href={`/api/v10/admin/exports/${file}`} class="link-button" data-role="link">
          {t("ops.download")}
        </a>
      ) : null}
      {job.status === "queued" || job.status === "running" ? (
        <form method="post" action={`/admin/jobs/${job.id}/cancel`} class="inline-form" data-role="cancel">
          <button type="submit" class="link-button danger-text">
            {t("ops.cancel")}
          </button>
        </form>
      ) : null}
    </li>
  );
}

export function OperationsPage(props: { ctx: PageCtx; jobs: JobEvent[]; backups: BackupFile[]; hours: number; keep: number; servers: ServerRow[]; notice?: Child; error?: string }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="operations" scripts={["js/admin-jobs.js"]} notice={props.notice} error={props.error}>
      <section class="settings-section" aria-labelledby="jobs-title">
        <h2 id="jobs-title">{t("ops.jobs")}</h2>
        <ul class="ops-jobs" id="ops-jobs" data-events="/admin/jobs/events">
          {props.jobs.length ? props.jobs.map((job) => <JobRow t={t} job={job} />) : <li class="muted">{t("ops.noJobs")}</li>}
        </ul>
      </section>
      <section class="settings-section" aria-labelledby="backups-title">
        <h2 id="backups-title">{t("ops.backups")}</h2>
        <form method="post" action="/admin/backups" class="inline-form">
          <button type="submit" class="primary">
            {t("ops.backupNow")}
          </button>
        </form>
        <form method="post" action="/admin/backups/schedule" class="inline-fields">
          <Field label={t("ops.backupEvery")} name="interval_hours" type="number" value={String(props.hours)} />
          <Field label={t("ops.backupKeep")} name="keep" type="number" value={String(props.keep)} />
          <button type="submit">{t("common.save")}</button>
        </form>
        {props.backups.length ? (
          <table class="data-table">
            <tbody>
              {props.backups.map((b) => (
                <tr>
                  <td>
                    <code>{b.name}</code>
                  </td>
                  <td>{formatBytes(b.bytes)}</td>
                  <td>
                    <a href={`/api/v10/admin/backups/${b.name}`} class="link-button">
                      {t("ops.download")}
                    </a>
                  </td>
                  <td>
                    <form method="post" action={`/admin/backups/${b.name}/verify`} class="inline-form">
                      <button type="submit" class="link-button">
                        {t("ops.verify")}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">{t("ops.noBackups")}</p>
        )}
        <p class="hint">{t("ops.restoreHint")}</p>
      </section>
      <section class="settings-section" aria-labelledby="exports-title">
        <h2 id="exports-title">{t("ops.exports")}</h2>
        <form method="post" action="/admin/exports" class="stack">
          <label for="f-guild">{t("ops.exportServer")}</label>
          <select id="f-guild" name="guild_id" required>
            {props.servers.map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
          <Field label={t("ops.exportChannel")} name="channel_id" />
          <fieldset>
            <legend>{t("ops.exportFormat")}</legend>
            {(["json", "csv", "html"] as const).map((f, i) => (
              <label class="choice-option">
                <input type="radio" name="format" value={f} checked={i === 0} /> {t(`ops.format.${f}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t("ops.exportStart")}</button>
        </form>
      </section>
      <section class="settings-section" aria-labelledby="imports-title">
        <h2 id="imports-title">{t("ops.imports")}</h2>
        <p class="hint">{t("ops.importHint")}</p>
        <form method="post" action="/admin/imports" enctype="multipart/form-data" class="stack">
          <label for="f-import">{t("ops.importFile")}</label>
          <input id="f-import" type="file" name="file" accept=".zip,.json,application/zip,application/json" required />
          <button type="submit">{t("ops.importStart")}</button>
        </form>
      </section>
      <section class="settings-section" aria-labelledby="metrics-title">
        <h2 id="metrics-title">{t("ops.metrics")}</h2>
        <p class="hint">{t("ops.metricsHint")}</p>
        <form method="post" action="/admin/metrics-token" class="inline-form">
          <button type="submit">{t("ops.metricsToken")}</button>
        </form>
      </section>
    </AdminLayout>
  );
}

export function ServersPage(props: { ctx: PageCtx; servers: ServerRow[]; query: string; notice?: Child }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="servers" notice={props.notice}>
      <form method="get" action="/admin/servers" class="search-form" role="search">
        <label for="f-q">{t("ops.filter")}</label>
        <input id="f-q" type="search" name="q" value={props.query} maxlength={64} />
        <button type="submit">{t("ops.filter")}</button>
      </form>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t("ops.servers")}</th>
            <th scope="col">{t("ops.owner")}</th>
            <th scope="col">{t("ops.members")}</th>
            <th scope="col">{t("ops.messages")}</th>
            <th scope="col">{t("ops.size")}</th>
            <th scope="col">{t("ops.created")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("ops.deleteServer")}</span>
            </th>
          </tr>
        </thead>
        <tbody hx-ignore="">
          {props.servers.map((s) => (
            <tr data-server={s.id}>
              <td>{s.name}</td>
              <td>{s.owner}</td>
              <td>{s.members}</td>
              <td>{s.messages}</td>
              <td>{formatBytes(s.attachment_bytes)}</td>
              <td>{s.created_at.slice(0, 10)}</td>
              <td>
                <details>
                  <summary class="link-button danger-text">{t("ops.deleteServer")}</summary>
                  <form method="post" action={`/admin/servers/${s.id}/delete`} class="stack">
                    <p>{t("ops.deleteServerConfirm")}</p>
                    <Field label={t("ops.confirmName")} name="confirm" required />
                    <button type="submit" class="danger">
                      {t("ops.deleteServer")}
                    </button>
                  </form>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

export function AppearancePage(props: { ctx: PageCtx; values: Appearance; logo: string; notice?: Child; error?: string }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="appearance" notice={props.notice} error={props.error}>
      <form method="post" action="/admin/appearance/logo" enctype="multipart/form-data" class="stack settings-section">
        <label for="f-logo">{t("ops.logo")}</label>
        <img src={props.logo ? `/icons/${props.logo}.webp` : assetUrl("icons/logo.svg")} alt="" width="64" height="64" class="ops-logo" />
        <input id="f-logo" type="file" name="logo" accept="image/png,image/jpeg,image/gif,image/webp" />
        <p class="hint">{t("ops.logoHint")}</p>
        <div class="inline-fields">
          <button type="submit">{t("common.save")}</button>
          {props.logo ? (
            <button type="submit" name="remove" value="1" class="link-button">
              {t("ops.logoRemove")}
            </button>
          ) : null}
        </div>
      </form>
      <form method="post" action="/admin/appearance" class="stack settings-section">
        <Field label={t("ops.announcement")} name="announcement" value={props.values.announcement} maxlength={500} hint={t("ops.announcementHint")} />
        <label for="f-description">{t("ops.description")}</label>
        <textarea id="f-description" name="description" maxlength={500} rows={3}>
          {props.values.description}
        </textarea>
        <label for="f-css">{t("ops.customCss")}</label>
        <textarea id="f-css" name="custom_css" rows={12} class="code-input" spellcheck={false} aria-describedby="f-css-hint">
          {props.values.custom_css}
        </textarea>
        <p class="hint" id="f-css-hint">
          {t("ops.customCssHint")}
        </p>
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
    </AdminLayout>
  );
}

export function AuditPage(props: { ctx: PageCtx; entries: AuditEntry[]; action: string }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="audit">
      <form method="get" action="/admin/audit" class="search-form" role="search">
        <label for="f-action">{t("ops.action")}</label>
        <input id="f-action" type="search" name="action" value={props.action} maxlength={64} />
        <button type="submit">{t("ops.filter")}</button>
      </form>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t("ops.when")}</th>
            <th scope="col">{t("ops.who")}</th>
            <th scope="col">{t("ops.action")}</th>
            <th scope="col">{t("ops.target")}</th>
            <th scope="col">{t("ops.detail")}</th>
          </tr>
        </thead>
        <tbody hx-ignore="">
          {props.entries.map((e) => (
            <tr data-action={e.action}>
              <td>{e.at.replace("T", " ").slice(0, 19)}</td>
              <td>{e.admin ?? t("ops.system")}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target}</td>
              <td>
                <code class="small">{JSON.stringify(e.detail).slice(0, 300)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

export function SessionsPage(props: { ctx: PageCtx; userId: string; name: string; sessions: { id: string; kind: string; device: string; ip: string; lastSeenAt: string }[] }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="users" title={t("ops.sessionsOf", { name: props.name })}>
      {props.sessions.length ? (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t("ops.device")}</th>
              <th scope="col">{t("ops.ip")}</th>
              <th scope="col">{t("ops.lastSeen")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("common.revoke")}</span>
              </th>
            </tr>
          </thead>
          <tbody hx-ignore="">
            {props.sessions.map((s) => (
              <tr>
                <td>
                  {s.device} ({s.kind})
                </td>
                <td>{s.ip}</td>
                <td>{s.lastSeenAt.replace("T", " ").slice(0, 16)}</td>
                <td>
                  <form method="post" action={`/admin/users/${props.userId}/sessions/${s.id}/revoke`} class="inline-form">
                    <button type="submit" class="link-button danger-text">
                      {t("common.revoke")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t("ops.noSessions")}</p>
      )}
    </AdminLayout>
  );
}
