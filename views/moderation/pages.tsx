// Server settings → Moderation: members (kick, ban with purge, timeout), rules and screening,
// reports queue, AutoMod rules, audit log; and the per-message report / move page.
import type { Guild, Channel, Role } from "../../src/guilds/table.ts";
import type { MemberView } from "../../src/members/service.ts";
import { displayName } from "../../src/members/service.ts";
import type { AuditRow, ReportRow } from "../../src/moderation/table.ts";
import type { RuleJson } from "../../src/moderation/automod/rules.ts";
import { AUDIT_ACTION_NAMES, AuditAction } from "../../src/moderation/audit.ts";
import { PURGE_CHOICES, TIMEOUT_CHOICES } from "../../src/moderation/members.ts";
import { isTimedOut } from "../../src/moderation/restrict.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import { SettingsFrame } from "../guilds/settings-frame.tsx";
import { guildNav, type GuildAbilities } from "../guilds/settings.tsx";
import type { Message } from "../../src/messages/table.ts";

export type ModerationSection = "moderation" | "automod" | "reports" | "audit";

const DURATION_KEYS: Record<number, MessageKey> = { 0: "moderation.purge0", 60: "moderation.d60s", 300: "moderation.d5m", 600: "moderation.d10m", 3600: "moderation.d1h", 86_400: "moderation.d1d", 604_800: "moderation.d1w" };

export function Purge(props: { ctx: PageCtx }) {
  return (
    <label>
      {props.ctx.t("moderation.purgeLabel")}{" "}
      <select name="delete_message_seconds">
        {PURGE_CHOICES.map((s) => (
          <option value={String(s)}>{props.ctx.t(DURATION_KEYS[s]!)}</option>
        ))}
      </select>
    </label>
  );
}

export function MembersModeration(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities & { kick: boolean; timeout: boolean }; members: MemberView[]; rules: { rules: string; screening: boolean }; notice?: string; error?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  const others = props.members.filter((m) => m.user.id !== g.ownerId && m.user.id !== props.ctx.user?.id && !m.user.deletedAt);
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("moderation.title")} nav={guildNav(props.ctx, g, "moderation", props.can)} notice={props.notice} error={props.error}>
      <table class="data-table moderation-members" hx-ignore="">
        <tbody>
          {others.map((m) => (
            <tr data-member={m.user.username}>
              <td>
                {displayName(m)} <span class="muted">{m.user.username}</span>
                {isTimedOut(m.member) ? <span class="badge">{t("moderation.timedOutBadge", { until: m.member.communicationDisabledUntil!.slice(0, 16).replace("T", " ") })}</span> : null}
                {m.member.pending ? <span class="badge">{t("moderation.pendingBadge")}</span> : null}
              </td>
              <td class="actions moderation-actions">
                {props.can.timeout ? (
                  isTimedOut(m.member) ? (
                    <form method="post" action={`/guilds/${g.id}/moderation/timeout/${m.user.id}`} class="inline-form">
                      <input type="hidden" name="seconds" value="0" />
                      <button type="submit" class="link-button">{t("moderation.removeTimeout")}</button>
                    </form>
                  ) : (
                    <form method="post" action={`/guilds/${g.id}/moderation/timeout/${m.user.id}`} class="inline-form">
                      <select name="seconds" aria-label={t("moderation.timeoutFor")}>
                        {TIMEOUT_CHOICES.map((s) => (
                          <option value={String(s)}>{t(DURATION_KEYS[s]!)}</option>
                        ))}
                      </select>
                      <button type="submit" class="link-button">{t("moderation.timeout")}</button>
                    </form>
                  )
                ) : null}
                {props.can.kick ? (
                  <form method="post" action={`/guilds/${g.id}/moderation/kick/${m.user.id}`} class="inline-form">
                    <button type="submit" class="link-button danger-text">{t("moderation.kick")}</button>
                  </form>
                ) : null}
                {props.can.ban ? (
                  <form method="post" action={`/guilds/${g.id}/moderation/ban/${m.user.id}`} class="inline-form moderation-ban">
                    <input type="text" name="reason" maxlength={512} placeholder={t("moderation.reason")} aria-label={t("moderation.reason")} />
                    <Purge ctx={props.ctx} />
                    <button type="submit" class="link-button danger-text" aria-label={`${t("guild.ban")}: ${m.user.username}`}>
                      {t("guild.ban")}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.can.manageGuild ? (
        <form method="post" action={`/guilds/${g.id}/moderation/rules`} class="stack">
          <h2>{t("moderation.rulesTitle")}</h2>
          <label for="rules-text">{t("moderation.rulesText")}</label>
          <textarea id="rules-text" name="rules" rows={6} maxlength={6000}>
            {props.rules.rules}
          </textarea>
          <label>
            <input type="checkbox" name="screening" value="1" checked={props.rules.screening} /> {t("moderation.screening")}
          </label>
          <button type="submit" class="primary">{t("common.save")}</button>
        </form>
      ) : null}
    </SettingsFrame>
  );
}

export function ReportsPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; reports: ReportRow[]; names: Map<string, string>; status: string; notice?: string; error?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("moderation.reports")} nav={guildNav(props.ctx, g, "reports", props.can)} notice={props.notice} error={props.error}>
      <nav class="tabs">
        {(["open", "actioned", "dismissed", "all"] as const).map((s) => (
          <a href={`?status=${s}`} aria-current={props.status === s ? "page" : undefined}>
            {t(`moderation.status.${s}`)}
          </a>
        ))}
      </nav>
      {props.reports.length === 0 ? <p class="muted">{t("moderation.noReports")}</p> : null}
      <ul class="report-list">
        {props.reports.map((r) => (
          <li class="report" data-report={r.id} data-status={r.status}>
            <p hx-ignore="">
              <strong>{props.names.get(r.targetUserId) ?? r.targetUserId}</strong> · {t("moderation.reportedBy", { name: props.names.get(r.reporterId) ?? r.reporterId })} · {r.createdAt.slice(0, 16).replace("T", " ")}
            </p>
            <p class="report-reason" hx-ignore="">{r.reason}</p>
            {r.messageId ? <blockquote class="report-content" hx-ignore="">{r.content}</blockquote> : null}
            <p class="muted small">{t(`moderation.status.${r.status}`)}{r.resolution ? ` · ${r.resolution}` : ""}</p>
            {r.status === "open" ? (
              <form method="post" action={`/guilds/${g.id}/moderation/reports/${r.id}`} class="inline-form">
                <select name="action" aria-label={t("moderation.reportAction")}>
                  <option value="dismiss">{t("moderation.act.dismiss")}</option>
                  {r.messageId ? <option value="delete_message">{t("moderation.act.delete")}</option> : null}
                  <option value="timeout">{t("moderation.act.timeout")}</option>
                  <option value="kick">{t("moderation.kick")}</option>
                  <option value="ban">{t("guild.ban")}</option>
                </select>
                <button type="submit" class="button small">{t("moderation.apply")}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </SettingsFrame>
  );
}

export function AuditPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; entries: AuditRow[]; names: Map<string, string>; members: MemberView[]; filter: { userId?: string; action?: number } }) {
  const { t } = props.ctx;
  const g = props.guild;
  const byNumber = new Map(AUDIT_ACTION_NAMES.map((n) => [AuditAction[n] as number, n]));
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("moderation.audit")} nav={guildNav(props.ctx, g, "audit", props.can)}>
      <form method="get" class="inline-form audit-filter">
        <select name="user_id" aria-label={t("moderation.filterUser")}>
          <option value="">{t("moderation.anyone")}</option>
          {props.members.map((m) => (
            <option value={m.user.id} selected={props.filter.userId === m.user.id}>
              {m.user.username}
            </option>
          ))}
        </select>
        <select name="action_type" aria-label={t("moderation.filterAction")}>
          <option value="">{t("moderation.anyAction")}</option>
          {AUDIT_ACTION_NAMES.map((n) => (
            <option value={String(AuditAction[n])} selected={props.filter.action === AuditAction[n]}>
              {n}
            </option>
          ))}
        </select>
        <button type="submit" class="button small">{t("moderation.filter")}</button>
      </form>
      <table class="data-table audit-log" hx-ignore="">
        <tbody>
          {props.entries.map((e) => (
            <tr data-action={byNumber.get(e.actionType) ?? String(e.actionType)}>
              <td>{new Date(Number((BigInt(e.id) >> 22n) + 1_420_070_400_000n)).toISOString().slice(0, 16).replace("T", " ")}</td>
              <td>{e.userId ? (props.names.get(e.userId) ?? e.userId) : "AutoMod"}</td>
              <td>
                <code>{byNumber.get(e.actionType) ?? e.actionType}</code>
              </td>
              <td>{e.targetId ? (props.names.get(e.targetId) ?? e.targetId) : ""}</td>
              <td class="small">
                {e.reason ? <div>{t("moderation.reason")}: {e.reason}</div> : null}
                {(JSON.parse(e.changes) as { key: string; old_value?: unknown; new_value?: unknown }[]).map((c) => (
                  <div>
                    {c.key}: {JSON.stringify(c.old_value ?? null).slice(0, 120)} → {JSON.stringify(c.new_value ?? null).slice(0, 120)}
                  </div>
                ))}
                {e.options ? <div class="muted">{e.options.slice(0, 200)}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SettingsFrame>
  );
}

export function AutomodPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; rules: RuleJson[]; channels: Channel[]; roles: Role[]; notice?: string; error?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  const text = props.channels.filter((c) => c.type === 0);
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("automod.title")} nav={guildNav(props.ctx, g, "automod", props.can)} notice={props.notice} error={props.error}>
      <ul class="automod-rules" hx-ignore="">
        {props.rules.map((r) => (
          <li data-rule={r.name}>
            <strong>{r.name}</strong> <span class="muted">{t(`automod.trigger.${r.trigger_type}` as MessageKey)}</span> {r.enabled ? "" : <span class="badge">{t("automod.disabled")}</span>}
            <form method="post" action={`/guilds/${g.id}/moderation/automod/${r.id}/delete`} class="inline-form">
              <button type="submit" class="link-button danger-text">{t("automod.delete")}</button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`/guilds/${g.id}/moderation/automod`} class="stack automod-form">
        <h2>{t("automod.new")}</h2>
        <label>
          {t("automod.name")} <input type="text" name="name" required maxlength={100} />
        </label>
        <label>
          {t("automod.triggerLabel")}{" "}
          <select name="trigger_type">
            {[1, 4, 5, 3, 100, 101, 6].map((n) => (
              <option value={String(n)}>{t(`automod.trigger.${n}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("automod.keywords")} <textarea name="keywords" rows={3} placeholder="spoiler, *scam*, buy*"></textarea>
        </label>
        <label>
          {t("automod.regex")} <textarea name="regex" rows={2}></textarea>
        </label>
        <fieldset>
          <legend>{t("automod.presets")}</legend>
          <label><input type="checkbox" name="presets" value="1" /> {t("automod.preset.1")}</label>
          <label><input type="checkbox" name="presets" value="2" /> {t("automod.preset.2")}</label>
          <label><input type="checkbox" name="presets" value="3" /> {t("automod.preset.3")}</label>
        </fieldset>
        <label>
          {t("automod.mentionLimit")} <input type="number" name="mention_limit" min={1} max={50} value="5" />
        </label>
        <label>
          {t("automod.allowedDomains")} <input type="text" name="allowed_domains" placeholder="example.org, wikipedia.org" />
        </label>
        <fieldset>
          <legend>{t("automod.actions")}</legend>
          <label><input type="checkbox" name="block" value="1" checked /> {t("automod.block")}</label>
          <label>
            {t("automod.customMessage")} <input type="text" name="custom_message" maxlength={150} />
          </label>
          <label>
            {t("automod.alertChannel")}{" "}
            <select name="alert_channel">
              <option value="">—</option>
              {text.map((c) => (
                <option value={c.id}>#{c.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t("automod.timeoutLabel")}{" "}
            <select name="timeout_seconds">
              <option value="0">—</option>
              {TIMEOUT_CHOICES.map((s) => (
                <option value={String(s)}>{t(DURATION_KEYS[s]!)}</option>
              ))}
            </select>
          </label>
        </fieldset>
        <label>
          {t("automod.exemptRoles")}{" "}
          <select name="exempt_roles" multiple>
            {props.roles.filter((r) => r.id !== g.id).map((r) => (
              <option value={r.id}>{r.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t("automod.exemptChannels")}{" "}
          <select name="exempt_channels" multiple>
            {text.map((c) => (
              <option value={c.id}>#{c.name}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">{t("automod.create")}</button>
      </form>
    </SettingsFrame>
  );
}

/** The per-message page: report it (anyone), move it into a thread (MANAGE_MESSAGES). */
export function MessageModeration(props: { ctx: PageCtx; message: Message; authorName: string; canManage: boolean; threads: Channel[]; error?: string; notice?: string }) {
  const { t } = props.ctx;
  const m = props.message;
  const base = `/channels/${m.channelId}/messages/${m.id}`;
  return (
    <section class="message-moderation stack">
      {props.notice ? <p class="alert alert-success" role="status">{props.notice}</p> : null}
      {props.error ? <p class="alert alert-error" role="alert">{props.error}</p> : null}
      <blockquote hx-ignore="">
        <strong>{props.authorName}</strong>: {m.content.slice(0, 500)}
      </blockquote>
      <form method="post" action={`${base}/report`} class="stack">
        <label for="report-reason">{t("moderation.reportReason")}</label>
        <textarea id="report-reason" name="reason" rows={3} maxlength={1000} required></textarea>
        <button type="submit" class="primary">{t("moderation.report")}</button>
      </form>
      {props.canManage ? (
        <form method="post" action={`${base}/move`} class="stack">
          <label for="move-thread">{t("moderation.moveTo")}</label>
          <select id="move-thread" name="thread_id">
            <option value="">{t("moderation.newThread")}</option>
            {props.threads.map((th) => (
              <option value={th.id}>{th.name}</option>
            ))}
          </select>
          <button type="submit" class="button">{t("moderation.move")}</button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * In place of the composer: why this member cannot write, and until when (or the rules to accept).
 * `data-send-slot` is the server's: a timeout set or removed swaps it live (moderation/live.tsx),
 * and js/moderation-live.js reloads the page when the timeout runs out.
 */
export function SendBlocked(props: { ctx: PageCtx; guildId: string; until: string | null; rules: string | null }) {
  const { t } = props.ctx;
  if (props.until)
    return (
      <p class="composer-disabled moderation-notice" role="status" data-send-slot={props.guildId} data-send-until={props.until}>
        {t("moderation.timedOutUntil", { until: props.until.slice(0, 16).replace("T", " ") + " UTC" })}
      </p>
    );
  return (
    <form method="post" action={`/guilds/${props.guildId}/moderation/accept-rules`} class="composer-disabled moderation-notice rules-gate" data-send-slot={props.guildId}>
      <p>{t("moderation.acceptRulesFirst")}</p>
      <div class="rules-text" hx-ignore="">
        {props.rules}
      </div>
      <button type="submit" class="primary">{t("moderation.acceptRules")}</button>
    </form>
  );
}

/** Sent live when a timeout is removed: the page reloads to bring the composer back (js/moderation-live.js). */
export function SendRestored(props: { ctx: PageCtx; guildId: string }) {
  return (
    <p class="composer-disabled moderation-notice" role="status" data-send-slot={props.guildId} data-send-reload="">
      {props.ctx.t("moderation.timeoutOver")}
    </p>
  );
}
