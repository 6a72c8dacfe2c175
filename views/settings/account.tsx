import type { AccessToken } from "../../src/auth/table.ts";
import { parseScopes } from "../../src/auth/access-tokens.ts";
import { Alert, Field } from "../shared/form.tsx";
import { TableHead } from "../shared/table-head.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { SettingsLayout } from "./layout.tsx";

export function TokensSettings(props: { ctx: PageCtx; tokens: AccessToken[]; created?: string; errors?: FormErrors; notice?: string }) {
  const { t } = props.ctx;
  const user = props.ctx.user!;
  const scopes = user.isAdmin ? (["read", "write", "admin"] as const) : (["read", "write"] as const);
  return (
    <SettingsLayout ctx={props.ctx} page="tokens" notice={props.notice} error={props.errors?.general}>
      <p>{t("tokens.intro")}</p>
      {props.created ? (
        <div class="new-token">
          <Alert kind="success">{t("tokens.created")}</Alert>
          <code class="token-value" data-testid="new-token">
            {props.created}
          </code>
        </div>
      ) : null}
      <form method="post" action="/settings/tokens" class="stack settings-section">
        <Field label={t("tokens.name")} name="name" required maxlength={64} />
        <fieldset class="choice">
          <legend>{t("tokens.scopes")}</legend>
          {scopes.map((s) => (
            <label class="choice-option">
              <input type="checkbox" name="scopes" value={s} checked={s === "read"} /> {t(`tokens.scope.${s}`)}
            </label>
          ))}
          {props.errors?.fields?.scopes ? <p class="field-error">{props.errors.fields.scopes}</p> : null}
        </fieldset>
        <button type="submit" class="primary">
          {t("tokens.create")}
        </button>
      </form>
      {props.tokens.length === 0 ? (
        <p class="muted">{t("tokens.none")}</p>
      ) : (
        <table class="data-table">
          <TableHead columns={[t("tokens.name"), t("tokens.scopes"), t("tokens.lastUsed")]} actions={t("common.revoke")} />
          <tbody hx-ignore="">
            {props.tokens.map((tok) => (
              <tr>
                <td>{tok.name}</td>
                <td>{parseScopes(tok.scopes).join(", ")}</td>
                <td>{tok.lastUsedAt?.slice(0, 10) ?? t("common.never")}</td>
                <td>
                  <form method="post" action={`/settings/tokens/${tok.id}/revoke`}>
                    <button type="submit" class="link-button" aria-label={`${t("common.revoke")}: ${tok.name}`}>
                      {t("common.revoke")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SettingsLayout>
  );
}

export function AccountSettings(props: { ctx: PageCtx; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const user = props.ctx.user!;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsLayout ctx={props.ctx} page="account" notice={props.notice} error={props.errors?.general}>
      <section class="settings-section" aria-labelledby="username-title">
        <h2 id="username-title">{t("account.username")}</h2>
        <form method="post" action="/settings/username" class="stack">
          <Field label={t("common.username")} name="username" value={user.username} required hint={t("register.usernameHint")} error={f.username} />
          <button type="submit">{t("common.save")}</button>
        </form>
      </section>
      <section class="settings-section" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{t("dm.title")}</h2>
        <form method="post" action="/settings/dm-privacy" class="stack">
          <label class="choice-option">
            <input type="checkbox" name="allow" value="1" checked={user.allowMemberDms} /> {t("dm.privacy")}
          </label>
          <p class="hint">{t("dm.privacyHint")}</p>
          <button type="submit">{t("common.save")}</button>
        </form>
      </section>
      <section class="settings-section" aria-labelledby="export-title">
        <h2 id="export-title">{t("account.export")}</h2>
        <p>{t("account.exportHint")}</p>
        <a class="button" href="/settings/export" download="">
          {t("account.exportButton")}
        </a>
      </section>
      <section class="settings-section danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">{t("account.delete")}</h2>
        <p>{t("account.deleteHint")}</p>
        <form method="post" action="/settings/delete" class="stack">
          <fieldset class="choice">
            <legend>{t("account.delete")}</legend>
            <label class="choice-option">
              <input type="radio" name="messages" value="keep" checked /> {t("account.deleteKeep")}
            </label>
            <label class="choice-option">
              <input type="radio" name="messages" value="remove" /> {t("account.deleteRemove")}
            </label>
          </fieldset>
          <Field label={t("account.deleteConfirm")} name="password" type="password" required autocomplete="current-password" error={f.password} />
          <button type="submit" class="danger">
            {t("account.delete")}
          </button>
        </form>
      </section>
    </SettingsLayout>
  );
}
