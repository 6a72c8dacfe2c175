// Pages of a visitor who is not signed in: first-run setup, log in (and its 2FA step), register,
// password reset. Plain forms: they work without JavaScript.
import type { Child } from "hono/jsx";
import { LOCALES } from "../../src/i18n/index.ts";
import { Document } from "../layouts/document.tsx";
import { Alert, Choice, Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

function AuthPage(props: { ctx: PageCtx; title: string; children: Child }) {
  const { ctx } = props;
  return (
    <Document title={`${props.title} · ${ctx.instanceName}`} locale={ctx.locale} theme={ctx.theme} bodyClass="centered-page">
      <main class="card narrow" id="main">
        <p class="brand">{ctx.instanceName}</p>
        {ctx.description ? (
          <p class="muted instance-description" hx-ignore="">
            {ctx.description}
          </p>
        ) : null}
        <h1>{props.title}</h1>
        {props.children}
        <form method="post" action="/language" class="language-switch">
          <label for="lang-switch" class="visually-hidden">
            Language
          </label>
          <select id="lang-switch" name="locale">
            {Object.entries(LOCALES).map(([code, name]) => (
              <option value={code} selected={code === ctx.locale}>
                {name}
              </option>
            ))}
          </select>
          <button type="submit" class="link-button">
            OK
          </button>
        </form>
      </main>
    </Document>
  );
}

export function SetupPage(props: { ctx: PageCtx; errors?: FormErrors; values?: Record<string, string> }) {
  const { t } = props.ctx;
  const f = props.errors?.fields ?? {};
  const v = props.values ?? {};
  return (
    <AuthPage ctx={props.ctx} title={t("setup.title")}>
      <p>{t("setup.intro")}</p>
      {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
      <form method="post" action="/setup" class="stack">
        <Field label={t("setup.instanceName")} name="instance_name" value={v.instance_name ?? "Pokynano"} required maxlength={64} error={f.instance_name} />
        <Field label={t("common.username")} name="username" value={v.username} required autocomplete="username" hint={t("register.usernameHint")} error={f.username} />
        <Field label={t("common.password")} name="password" type="password" required autocomplete="new-password" minlength={8} error={f.password} />
        <Choice
          legend={t("setup.registration")}
          name="registration"
          selected={v.registration ?? "invite"}
          options={(["open", "invite", "closed"] as const).map((m) => ({ value: m, label: t(`registration.${m}`) }))}
        />
        <button type="submit" class="primary">
          {t("setup.submit")}
        </button>
      </form>
    </AuthPage>
  );
}

export function LoginPage(props: { ctx: PageCtx; errors?: FormErrors; login?: string; next?: string; canRegister: boolean }) {
  const { t } = props.ctx;
  return (
    <AuthPage ctx={props.ctx} title={t("login.title")}>
      {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="next" value={props.next ?? "/"} />
        <Field label={t("login.login")} name="login" value={props.login} required autocomplete="username" autofocus />
        <Field label={t("common.password")} name="password" type="password" required autocomplete="current-password" />
        <button type="submit" class="primary">
          {t("login.submit")}
        </button>
      </form>
      {props.canRegister ? (
        <p class="muted">
          {t("login.noAccount")} <a href="/register">{t("login.register")}</a>
        </p>
      ) : null}
    </AuthPage>
  );
}

export function MfaPage(props: { ctx: PageCtx; ticket: string; next?: string; error?: string }) {
  const { t } = props.ctx;
  return (
    <AuthPage ctx={props.ctx} title={t("login.mfaTitle")}>
      <p>{t("login.mfaIntro")}</p>
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      <form method="post" action="/login/2fa" class="stack">
        <input type="hidden" name="ticket" value={props.ticket} />
        <input type="hidden" name="next" value={props.next ?? "/"} />
        <Field label={t("login.mfaCode")} name="code" required autocomplete="one-time-code" inputmode="numeric" autofocus maxlength={32} />
        <button type="submit" class="primary">
          {t("login.verify")}
        </button>
      </form>
    </AuthPage>
  );
}

export function RegisterPage(props: { ctx: PageCtx; mode: "open" | "invite" | "closed"; errors?: FormErrors; values?: Record<string, string> }) {
  const { t } = props.ctx;
  const f = props.errors?.fields ?? {};
  const v = props.values ?? {};
  if (props.mode === "closed") {
    return (
      <AuthPage ctx={props.ctx} title={t("register.title")}>
        <Alert kind="info">{t("register.closed")}</Alert>
        <p>
          <a href="/login">{t("login.title")}</a>
        </p>
      </AuthPage>
    );
  }
  return (
    <AuthPage ctx={props.ctx} title={t("register.title")}>
      {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
      <form method="post" action="/register" class="stack">
        {props.mode === "invite" ? (
          <Field label={t("register.invite")} name="invite" value={v.invite} required error={f.invite} hint={t("register.inviteNeeded")} />
        ) : v.invite ? (
          <input type="hidden" name="invite" value={v.invite} />
        ) : null}
        <Field label={t("common.username")} name="username" value={v.username} required autocomplete="username" hint={t("register.usernameHint")} error={f.username} />
        <Field label={`${t("common.displayName")} (${t("common.optional")})`} name="display_name" value={v.display_name} maxlength={32} error={f.display_name} />
        <Field label={t("common.password")} name="password" type="password" required autocomplete="new-password" minlength={8} error={f.password} />
        <button type="submit" class="primary">
          {t("register.submit")}
        </button>
      </form>
      <p class="muted">
        {t("register.haveAccount")} <a href="/login">{t("login.submit")}</a>
      </p>
    </AuthPage>
  );
}

export function ResetPage(props: { ctx: PageCtx; token: string; valid: boolean; username?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  return (
    <AuthPage ctx={props.ctx} title={t("reset.title")}>
      {!props.valid ? (
        <Alert kind="error">{t("reset.invalid")}</Alert>
      ) : (
        <form method="post" action={`/reset/${props.token}`} class="stack">
          {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
          <p>{props.username}</p>
          <Field label={t("security.newPassword")} name="new_password" type="password" required autocomplete="new-password" minlength={8} error={props.errors?.fields?.new_password} />
          <button type="submit" class="primary">
            {t("reset.submit")}
          </button>
        </form>
      )}
    </AuthPage>
  );
}
