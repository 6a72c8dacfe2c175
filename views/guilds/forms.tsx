import type { Child } from "hono/jsx";
import type { Channel, Guild } from "../../src/guilds/table.ts";
import { INVITE_AGES, type InviteView } from "../../src/invites/service.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import { CategorySelect } from "../channels/category-select.tsx";
import { Document } from "../layouts/document.tsx";
import { Alert, Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

/** A page with one card in the middle: creating a server, a channel, an invite; an invite landing. */
export function CardPage(props: { ctx: PageCtx; title: string; children: Child; back?: string }) {
  return (
    <Document title={`${props.title} · ${props.ctx.instanceName}`} locale={props.ctx.locale} theme={props.ctx.theme} bodyClass="centered-page">
      <main class="card narrow" id="main">
        {props.back ? (
          <p>
            <a href={props.back}>← {props.ctx.t("common.back")}</a>
          </p>
        ) : null}
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </Document>
  );
}

export function NewGuildPage(props: { ctx: PageCtx; errors?: FormErrors; values?: Record<string, string> }) {
  const { t } = props.ctx;
  return (
    <CardPage ctx={props.ctx} title={t("guild.create")} back="/">
      <p>{t("guild.createIntro")}</p>
      {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
      <form method="post" action="/guilds" class="stack" enctype="multipart/form-data">
        <Field label={t("guild.name")} name="name" required maxlength={100} value={props.values?.name} error={props.errors?.fields?.name} autofocus />
        <Field label={`${t("guild.description")} (${t("common.optional")})`} name="description" maxlength={300} value={props.values?.description} error={props.errors?.fields?.description} />
        <div class="field">
          <label for="f-icon">{`${t("guild.icon")} (${t("common.optional")})`}</label>
          <input id="f-icon" name="icon" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby="f-icon-hint" />
          <p class="hint" id="f-icon-hint">
            {t("profile.avatarHint")}
          </p>
          {props.errors?.fields?.icon ? <p class="field-error">{props.errors.fields.icon}</p> : null}
        </div>
        <button type="submit" class="primary">
          {t("guild.create")}
        </button>
      </form>
    </CardPage>
  );
}

export function NewChannelPage(props: { ctx: PageCtx; guild: Guild; categories: Channel[]; parentId?: string; errors?: FormErrors; values?: Record<string, string> }) {
  const { t } = props.ctx;
  const type = props.values?.type ?? "0";
  return (
    <CardPage ctx={props.ctx} title={t("channel.create")} back={`/channels/${props.guild.id}`}>
      {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
      <form method="post" action={`/guilds/${props.guild.id}/channels`} class="stack">
        <fieldset class="choice">
          <legend>{t("channel.typeLabel")}</legend>
          {(["0", "2", "4"] as const).map((v) => (
            <label class="choice-option">
              <input type="radio" name="type" value={v} checked={v === type} /> {t(`channel.type.${v}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t("channel.name")} name="name" required maxlength={100} value={props.values?.name} error={props.errors?.fields?.name} autofocus />
        <CategorySelect ctx={props.ctx} categories={props.categories} selected={props.parentId} />
        <button type="submit" class="primary">
          {t("channel.create")}
        </button>
      </form>
    </CardPage>
  );
}

export function CreateInvitePage(props: { ctx: PageCtx; channel: Channel; link?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  return (
    <CardPage ctx={props.ctx} title={t("invite.create")} back={`/channels/${props.channel.guildId}/${props.channel.id}`}>
      {props.link ? (
        <div class="new-token">
          <p>{t("invite.link")}</p>
          <code class="token-value" data-testid="invite-link">
            {props.link}
          </code>
        </div>
      ) : null}
      {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
      <form method="post" action={`/channels/${props.channel.id}/invite`} class="stack">
        <div class="field">
          <label for="f-max-age">{t("invite.expiry")}</label>
          <select id="f-max-age" name="max_age">
            {INVITE_AGES.map((age) => (
              <option value={String(age)} selected={age === 604800}>
                {t(`invite.age.${age}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <Field label={t("invite.maxUses")} name="max_uses" type="number" value="0" />
        <button type="submit" class="primary">
          {t("invite.create")}
        </button>
      </form>
    </CardPage>
  );
}

export function InviteLanding(props: { ctx: PageCtx; view: InviteView | null; canRegister: boolean; error?: string }) {
  const { t, user } = props.ctx;
  if (!props.view) {
    return (
      <CardPage ctx={props.ctx} title={t("invite.invalidTitle")}>
        <Alert kind="error">{props.error ?? t("invite.invalid")}</Alert>
        <p>
          <a href="/">{props.ctx.instanceName}</a>
        </p>
      </CardPage>
    );
  }
  const { guild, invite, memberCount } = props.view;
  return (
    <CardPage ctx={props.ctx} title={guild.name}>
      <p class="muted">{t("invite.invitedTo")}</p>
      {guild.description ? <p hx-ignore="">{guild.description}</p> : null}
      <p>{t("invite.members", { count: memberCount })}</p>
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      {user ? (
        <form method="post" action={`/invite/${invite.code}`} class="stack">
          <p class="muted">{t("invite.joinAs", { name: user.username })}</p>
          <button type="submit" class="primary">
            {t("invite.join")}
          </button>
        </form>
      ) : (
        <div class="stack">
          <a class="button primary-link" href={`/login?next=${encodeURIComponent(`/invite/${invite.code}`)}`}>
            {t("invite.loginToJoin")}
          </a>
          {props.canRegister ? (
            <a class="button" href={`/register?invite=${invite.code}`}>
              {t("invite.registerToJoin")}
            </a>
          ) : null}
        </div>
      )}
    </CardPage>
  );
}
