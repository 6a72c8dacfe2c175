// Settings → Developer: a person's bots (create, edit, avatar, reset the token, invite link) and
// examples for curl and discord.js. A token appears once, right after it is made.
import type { Application } from "../../src/bots/table.ts";
import type { User } from "../../src/auth/table.ts";
import { Avatar } from "../shared/avatar.tsx";
import { Alert, Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { SettingsLayout } from "../settings/layout.tsx";
import { BotExamples } from "./examples.tsx";

/** What a new invite link asks for: see, read history, send, react, embed, attach, use threads. */
export const DEFAULT_INVITE_PERMISSIONS = ((1n << 10n) | (1n << 16n) | (1n << 11n) | (1n << 6n) | (1n << 14n) | (1n << 15n) | (1n << 38n)).toString();

export interface DeveloperProps {
  ctx: PageCtx;
  apps: { app: Application; bot: User }[];
  publicUrl: string;
  /** A token just made or reset, with the application it belongs to. */
  token?: { appId: string; value: string };
  errors?: FormErrors;
  notice?: string;
}

export function DeveloperSettings(props: DeveloperProps) {
  const { t } = props.ctx;
  return (
    <SettingsLayout ctx={props.ctx} page="developer" notice={props.notice} error={props.errors?.general} scripts={["js/developer.js"]}>
      <p>{t("bots.intro")}</p>
      <form method="post" action="/settings/developer" class="stack settings-section">
        <h2>{t("bots.create")}</h2>
        <Field label={t("bots.name")} name="name" required maxlength={32} minlength={2} error={props.errors?.fields?.name} />
        <Field label={t("bots.description")} name="description" maxlength={400} error={props.errors?.fields?.description} />
        <button type="submit" class="primary">
          {t("bots.create")}
        </button>
      </form>
      <h2>{t("bots.applications")}</h2>
      {props.apps.length === 0 ? <p class="muted">{t("bots.none")}</p> : null}
      {props.apps.map(({ app, bot }) => (
        <section class="bot-app settings-section" id={`app-${app.id}`} aria-label={app.name}>
          <header class="bot-app-head" hx-ignore="">
            <Avatar user={bot} size={48} />
            <div>
              <h3>
                {app.name} <span class="bot-tag">{t("bots.tag")}</span>
              </h3>
              <p class="muted small">
                {t("bots.username")}: {bot.username} · ID {app.id}
              </p>
            </div>
          </header>
          {props.token?.appId === app.id ? (
            <div class="new-token">
              <Alert kind="success">{t("bots.tokenOnce")}</Alert>
              <code class="token-value" data-testid="bot-token">
                {props.token.value}
              </code>
            </div>
          ) : null}
          <form method="post" action={`/settings/developer/${app.id}`} class="stack">
            <Field label={t("bots.name")} name="name" value={app.name} required maxlength={32} minlength={2} />
            <Field label={t("bots.description")} name="description" value={app.description} maxlength={400} />
            <button type="submit">{t("bots.save")}</button>
          </form>
          <form method="post" action={`/settings/developer/${app.id}/avatar`} enctype="multipart/form-data" class="stack">
            <div class="field">
              <label for={`avatar-${app.id}`}>{t("bots.avatar")}</label>
              <input id={`avatar-${app.id}`} type="file" name="avatar" accept="image/png,image/jpeg,image/webp,image/gif" required />
            </div>
            <button type="submit">{t("bots.save")}</button>
          </form>
          <form method="post" action={`/settings/developer/${app.id}/reset`} class="confirm-form" data-confirm={t("bots.resetConfirm")}>
            <button type="submit" class="danger">
              {t("bots.resetToken")}
            </button>
          </form>
          <form method="post" action={`/settings/developer/${app.id}/delete`} class="confirm-form" data-confirm={t("bots.deleteConfirm")}>
            <button type="submit" class="danger">
              {t("bots.delete")}
            </button>
          </form>
          <div class="field">
            <label for={`invite-${app.id}`}>{t("bots.invite")}</label>
            <input id={`invite-${app.id}`} type="text" readonly value={`${props.publicUrl}/oauth2/authorize?client_id=${app.id}&scope=bot&permissions=${DEFAULT_INVITE_PERMISSIONS}`} />
            <p class="hint">{t("bots.inviteHelp")}</p>
          </div>
        </section>
      ))}
      <BotExamples ctx={props.ctx} publicUrl={props.publicUrl} />
    </SettingsLayout>
  );
}
