import type { Session } from "../../src/auth/table.ts";
import type { Enrolment } from "../../src/auth/mfa.ts";
import { Alert, Field } from "../shared/form.tsx";
import { TableHead } from "../shared/table-head.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { SettingsLayout } from "./layout.tsx";

export interface SecurityState {
  enrolment?: Enrolment;
  recoveryCodes?: string[];
  recoveryLeft: number;
}

export function SecuritySettings(props: { ctx: PageCtx; state: SecurityState; notice?: string; errors?: FormErrors; mfaError?: string }) {
  const { t } = props.ctx;
  const user = props.ctx.user!;
  const f = props.errors?.fields ?? {};
  const { enrolment, recoveryCodes } = props.state;
  return (
    <SettingsLayout ctx={props.ctx} page="security" notice={props.notice} error={props.errors?.general}>
      <section class="settings-section" aria-labelledby="pw-title">
        <h2 id="pw-title">{t("security.password")}</h2>
        <form method="post" action="/settings/password" class="stack">
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <Field label={t("security.currentPassword")} name="current_password" type="password" required autocomplete="current-password" error={f.current_password} />
          <Field label={t("security.newPassword")} name="new_password" type="password" required autocomplete="new-password" minlength={8} error={f.new_password} />
          <button type="submit">{t("security.password")}</button>
        </form>
      </section>
      <section class="settings-section" aria-labelledby="mfa-title">
        <h2 id="mfa-title">{t("security.mfa")}</h2>
        {props.mfaError ? <Alert kind="error">{props.mfaError}</Alert> : null}
        {recoveryCodes ? (
          <div class="recovery">
            <h3>{t("security.recoveryTitle")}</h3>
            <p>{t("security.recoveryIntro")}</p>
            <ul class="recovery-codes" aria-label={t("security.recoveryTitle")}>
              {recoveryCodes.map((c) => (
                <li>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {user.totpSecret ? (
          <>
            <p>{t("security.mfaOn")}</p>
            <p class="muted">{t("security.recoveryLeft", { count: props.state.recoveryLeft })}</p>
            <form method="post" action="/settings/2fa/disable" class="stack">
              <p class="hint">{t("security.mfaDisableHint")}</p>
              <Field label={t("common.password")} name="password" type="password" required autocomplete="current-password" />
              <button type="submit" class="danger">
                {t("security.mfaDisable")}
              </button>
            </form>
          </>
        ) : enrolment ? (
          <div class="enrol">
            <p>{t("security.mfaScan")}</p>
            <img src={enrolment.qrDataUrl} alt={enrolment.uri} width="200" height="200" class="qr" />
            <p>
              {t("security.mfaKey")}: <code class="mfa-key">{enrolment.secret}</code>
            </p>
            <form method="post" action="/settings/2fa/confirm" class="stack">
              <Field label={t("login.mfaCode")} name="code" required autocomplete="one-time-code" inputmode="numeric" maxlength={8} />
              <button type="submit" class="primary">
                {t("security.mfaConfirm")}
              </button>
            </form>
          </div>
        ) : (
          <>
            <p>{t("security.mfaOff")}</p>
            <form method="post" action="/settings/2fa/start">
              <button type="submit" class="primary">
                {t("security.mfaEnable")}
              </button>
            </form>
          </>
        )}
      </section>
    </SettingsLayout>
  );
}

const when = (iso: string, locale: string) => new Date(iso).toLocaleString(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export function SessionsSettings(props: { ctx: PageCtx; sessions: Session[]; currentId: string | null; notice?: string }) {
  const { t, locale } = props.ctx;
  return (
    <SettingsLayout ctx={props.ctx} page="sessions" notice={props.notice}>
      <p>{t("sessions.intro")}</p>
      <table class="data-table">
        <TableHead columns={[t("sessions.device"), t("sessions.ip"), t("sessions.created"), t("sessions.lastSeen")]} actions={t("common.revoke")} />
        <tbody hx-ignore="">
          {props.sessions.map((s) => (
            <tr data-session-id={s.id}>
              <td>
                {s.device} {s.id === props.currentId ? <strong class="badge">{t("sessions.current")}</strong> : null}
              </td>
              <td>{s.ip}</td>
              <td>{when(s.createdAt, locale)}</td>
              <td>{when(s.lastSeenAt, locale)}</td>
              <td>
                <form method="post" action={`/settings/sessions/${s.id}/revoke`}>
                  <button type="submit" class="link-button" aria-label={`${t("common.revoke")}: ${s.device}`}>
                    {t("common.revoke")}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/settings/sessions/revoke-others">
        <button type="submit" class="danger">
          {t("sessions.revokeOthers")}
        </button>
      </form>
    </SettingsLayout>
  );
}
