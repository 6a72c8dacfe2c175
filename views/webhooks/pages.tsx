import type { Channel, Guild } from "../../src/guilds/table.ts";
import type { Webhook } from "../../src/webhooks/table.ts";
import { channelNav } from "../channels/settings.tsx";
import { SettingsFrame } from "../guilds/settings-frame.tsx";
import { Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

/** Channel settings → Webhooks: create, the URL once (with a copy button), a new URL, delete. */
export function WebhooksPage(props: { ctx: PageCtx; guild: Guild; channel: Channel; hooks: { hook: Webhook; creator: string | null }[]; shown?: { id: string; url: string }; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const c = props.channel;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsFrame ctx={props.ctx} guild={props.guild} title={`${t("webhooks.title")}: ${c.name}`} nav={channelNav(props.ctx, c, "webhooks")} notice={props.notice} error={props.errors?.general} scripts={["js/webhooks.js"]}>
      <p class="muted">{t("webhooks.intro")}</p>
      {props.shown ? (
        <div class="alert alert-info secret-once" role="status">
          <p>{t("webhooks.urlOnce")}</p>
          <div class="copy-row">
            <label class="visually-hidden" for="webhook-url">
              {t("webhooks.url")}
            </label>
            <input id="webhook-url" type="text" readonly value={props.shown.url} class="copy-source" />
            <button type="button" class="button small" data-copy="#webhook-url" data-copied={t("webhooks.copied")}>
              {t("webhooks.copy")}
            </button>
          </div>
        </div>
      ) : null}
      <form method="post" action={`/channels/${c.id}/webhooks`} class="stack webhook-form">
        <Field label={t("webhooks.name")} name="name" required maxlength={80} error={f.name} />
        <button type="submit" class="primary">
          {t("webhooks.create")}
        </button>
      </form>
      {props.hooks.length === 0 ? (
        <p class="muted">{t("webhooks.none")}</p>
      ) : (
        <ul class="webhook-list">
          {props.hooks.map(({ hook, creator }) => (
            <li class="webhook-row" id={`webhook-${hook.id}`}>
              <strong hx-ignore="">{hook.name}</strong>
              {creator ? (
                <span class="muted small" hx-ignore="">
                  {" "}
                  {t("webhooks.createdBy", { name: creator })}
                </span>
              ) : null}
              <form method="post" action={`/channels/${c.id}/webhooks/${hook.id}/token`} class="inline-form confirm-form" data-confirm={t("webhooks.resetConfirm")}>
                <button type="submit" class="link-button">
                  {t("webhooks.reset")}
                </button>
              </form>
              <form method="post" action={`/channels/${c.id}/webhooks/${hook.id}/delete`} class="inline-form confirm-form" data-confirm={t("webhooks.deleteConfirm")}>
                <button type="submit" class="link-button danger">
                  {t("webhooks.delete")}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </SettingsFrame>
  );
}
