import type { Channel, Guild, Role } from "../../src/guilds/table.ts";
import type { MemberView } from "../../src/members/service.ts";
import { displayName } from "../../src/members/service.ts";
import { has, Permission, PERMISSION_INFO, type Overwrite } from "../../src/permissions/permissions.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import { Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { SettingsFrame } from "../guilds/settings-frame.tsx";
import { CategorySelect } from "./category-select.tsx";

export function ChannelSettingsPage(props: { ctx: PageCtx; guild: Guild; channel: Channel; categories: Channel[]; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const c = props.channel;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsFrame ctx={props.ctx} guild={props.guild} title={`${t("channel.settings")}: ${c.name}`} nav={channelNav(props.ctx, c, "settings")} notice={props.notice} error={props.errors?.general}>
      <form method="post" action={`/channels/${c.id}/settings`} class="stack settings-section">
        <Field label={t("channel.name")} name="name" value={c.name} required maxlength={100} error={f.name} />
        {c.type === 0 ? (
          <>
            <div class="field">
              <label for="f-topic">{t("channel.topic")}</label>
              <textarea id="f-topic" name="topic" maxlength={1024} rows={3}>
                {c.topic}
              </textarea>
              {f.topic ? <p class="field-error">{f.topic}</p> : null}
            </div>
            <Field label={t("channel.slowmodeLabel")} name="rate_limit_per_user" type="number" value={String(c.rateLimitPerUser)} error={f.rate_limit_per_user} />
            <label class="choice-option">
              <input type="checkbox" name="nsfw" value="1" checked={c.nsfw} /> {t("channel.nsfw")}
            </label>
          </>
        ) : null}
        {c.type !== 4 ? <CategorySelect ctx={props.ctx} categories={props.categories} selected={c.parentId} /> : null}
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
      <div class="settings-section inline-fields">
        <form method="post" action={`/channels/${c.id}/move`}>
          <input type="hidden" name="direction" value="up" />
          <button type="submit">↑ {t("channel.moveUp")}</button>
        </form>
        <form method="post" action={`/channels/${c.id}/move`}>
          <input type="hidden" name="direction" value="down" />
          <button type="submit">↓ {t("channel.moveDown")}</button>
        </form>
      </div>
      <form method="post" action={`/channels/${c.id}/delete`} class="settings-section danger-zone">
        <button type="submit" class="danger">
          {t("channel.delete")}
        </button>
      </form>
    </SettingsFrame>
  );
}

export function channelNav(ctx: PageCtx, c: Channel, current: "settings" | "permissions" | "webhooks") {
  return [
    { href: `/channels/${c.id}/settings`, label: ctx.t("channel.settings"), current: current === "settings" },
    { href: `/channels/${c.id}/permissions`, label: ctx.t("channel.permissions"), current: current === "permissions" },
    // Text and announcement channels take webhooks (src/webhooks/routes.tsx).
    ...([0, 5].includes(c.type) ? [{ href: `/channels/${c.id}/webhooks`, label: ctx.t("webhooks.title"), current: current === "webhooks" }] : []),
  ];
}

export interface OverwriteTarget {
  id: string;
  type: 0 | 1;
  name: string;
}

/** Tri-state editor: for the chosen role or member, allow / inherit / deny each permission. */
export function ChannelPermissionsPage(props: {
  ctx: PageCtx;
  guild: Guild;
  channel: Channel;
  parent: Channel | null;
  overwrites: Overwrite[];
  targets: OverwriteTarget[];
  selected: OverwriteTarget;
  addable: { roles: Role[]; members: MemberView[] };
  notice?: string;
  error?: string;
}) {
  const { t } = props.ctx;
  const c = props.channel;
  const current = props.overwrites.find((o) => o.id === props.selected.id) ?? { id: props.selected.id, type: props.selected.type, allow: 0n, deny: 0n };
  const relevant = PERMISSION_INFO.filter((p) => p.scope === "channel" && (c.type === 2 ? p.group !== "text" : c.type === 0 ? p.group !== "voice" : true));
  return (
    <SettingsFrame ctx={props.ctx} guild={props.guild} title={`${t("channel.permissions")}: ${c.name}`} nav={channelNav(props.ctx, c, "permissions")} notice={props.notice} error={props.error}>
      {props.parent ? (
        <div class="settings-section">
          <p>{c.synced ? t("channel.synced", { name: props.parent.name }) : t("channel.notSynced")}</p>
          {!c.synced ? (
            <form method="post" action={`/channels/${c.id}/permissions/sync`}>
              <button type="submit">{t("channel.sync")}</button>
            </form>
          ) : null}
        </div>
      ) : null}
      <nav class="overwrite-targets" aria-label={t("channel.permissions")} hx-ignore="">
        <ul>
          {props.targets.map((target) => (
            <li>
              <a href={`/channels/${c.id}/permissions?target=${target.id}`} aria-current={target.id === props.selected.id ? "page" : undefined}>
                {target.name}
              </a>
            </li>
          ))}
        </ul>
        <form method="get" action={`/channels/${c.id}/permissions`} class="inline-fields">
          <div class="field">
            <label for="f-target">{t("channel.addOverwrite")}</label>
            <select id="f-target" name="target">
              {props.addable.roles.map((r) => (
                <option value={r.id}>@{r.name}</option>
              ))}
              {props.addable.members.map((m) => (
                <option value={m.user.id}>{displayName(m)}</option>
              ))}
            </select>
          </div>
          <button type="submit">{t("channel.addOverwrite")}</button>
        </form>
      </nav>
      <form method="post" action={`/channels/${c.id}/permissions`} class="settings-section permission-editor">
        <h2 hx-ignore="">{t("channel.overwriteFor", { name: props.selected.name })}</h2>
        <input type="hidden" name="target" value={props.selected.id} />
        <input type="hidden" name="type" value={String(props.selected.type)} />
        <table class="data-table">
          <tbody>
            {relevant.map((p) => {
              const bit = Permission[p.name];
              const state = has(current.allow, bit) ? "allow" : has(current.deny, bit) ? "deny" : "inherit";
              return (
                <tr>
                  <th scope="row">
                    <span class="perm-name">{t(`permission.${p.name}` as MessageKey)}</span>
                    <span class="hint">{t(`permission.${p.name}.desc` as MessageKey)}</span>
                  </th>
                  <td>
                    <fieldset class="tri-state">
                      <legend class="visually-hidden">{t(`permission.${p.name}` as MessageKey)}</legend>
                      {(["deny", "inherit", "allow"] as const).map((s) => (
                        <label class={`tri-${s}`}>
                          <input type="radio" name={p.name} value={s} checked={state === s} /> {t(`perm.${s}`)}
                        </label>
                      ))}
                    </fieldset>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
      {props.selected.id !== props.guild.id && props.overwrites.some((o) => o.id === props.selected.id) ? (
        <form method="post" action={`/channels/${c.id}/permissions/${props.selected.id}/delete`}>
          <button type="submit" class="link-button danger-text">
            {t("channel.removeOverwrite")}
          </button>
        </form>
      ) : null}
    </SettingsFrame>
  );
}
