import type { Guild } from "../../src/guilds/table.ts";
import { SUBSCRIBABLE_EVENTS } from "../../src/subscriptions/events.ts";
import { eventsOf } from "../../src/subscriptions/service.ts";
import type { Delivery, Subscription } from "../../src/subscriptions/table.ts";
import { guildNav, type GuildAbilities } from "../guilds/settings.tsx";
import { SettingsFrame } from "../guilds/settings-frame.tsx";
import { Choice, Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

export interface SubscriptionRow {
  sub: Subscription;
  deliveries: Delivery[];
}

const time = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

/** Server settings → Event subscriptions: subscribe a URL, the secret once, test, pause, log. */
export function SubscriptionsPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; rows: SubscriptionRow[]; secret?: { id: string; value: string }; notice?: string; errors?: FormErrors; form?: { url: string; events: string[] } }) {
  const { t } = props.ctx;
  const g = props.guild;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("subscriptions.title")} nav={guildNav(props.ctx, g, "subscriptions", props.can)} notice={props.notice} error={props.errors?.general}>
      <p class="muted">{t("subscriptions.intro")}</p>
      {props.secret ? (
        <div class="alert alert-info secret-once" role="status" hx-ignore="">
          <p>{t("subscriptions.secretOnce")}</p>
          <code class="copyable" id={`secret-${props.secret.id}`}>
            {props.secret.value}
          </code>
        </div>
      ) : null}
      <form method="post" action={`/guilds/${g.id}/subscriptions`} class="stack subscription-form">
        <Field label={t("subscriptions.url")} name="url" type="url" required maxlength={2048} value={props.form?.url} error={f.url} hint={t("subscriptions.urlHint")} />
        <Choice legend={t("subscriptions.events")} name="events" type="checkbox" selected="" checked={props.form?.events ?? ["MESSAGE_CREATE"]} options={SUBSCRIBABLE_EVENTS.map((e) => ({ value: e, label: e }))} />
        {f.events ? <p class="field-error">{f.events}</p> : null}
        <button type="submit" class="primary">
          {t("subscriptions.create")}
        </button>
      </form>
      {props.rows.length === 0 ? <p class="muted">{t("subscriptions.none")}</p> : null}
      {props.rows.map(({ sub, deliveries }) => (
        <section class={`subscription${sub.enabled ? "" : " subscription-disabled"}`} id={`sub-${sub.id}`} aria-labelledby={`sub-${sub.id}-url`}>
          <h2 id={`sub-${sub.id}-url`} hx-ignore="">
            {sub.url}
          </h2>
          <p class="muted small" hx-ignore="">
            {eventsOf(sub).join(", ")}
          </p>
          {sub.enabled ? null : <p class="subscription-state">{sub.failures > 0 ? t("subscriptions.disabled") : t("subscriptions.paused")}</p>}
          <div class="subscription-actions">
            <form method="post" action={`/guilds/${g.id}/subscriptions/${sub.id}/ping`} class="inline-form">
              <button type="submit" class="link-button">
                {t("subscriptions.ping")}
              </button>
            </form>
            <form method="post" action={`/guilds/${g.id}/subscriptions/${sub.id}/${sub.enabled ? "pause" : "enable"}`} class="inline-form">
              <button type="submit" class="link-button">
                {sub.enabled ? t("subscriptions.pause") : t("subscriptions.enable")}
              </button>
            </form>
            <form method="post" action={`/guilds/${g.id}/subscriptions/${sub.id}/secret`} class="inline-form">
              <button type="submit" class="link-button">
                {t("subscriptions.rotate")}
              </button>
            </form>
            <form method="post" action={`/guilds/${g.id}/subscriptions/${sub.id}/delete`} class="inline-form">
              <button type="submit" class="link-button danger">
                {t("subscriptions.delete")}
              </button>
            </form>
          </div>
          <h3>{t("subscriptions.log")}</h3>
          {deliveries.length === 0 ? (
            <p class="muted small">{t("subscriptions.noDeliveries")}</p>
          ) : (
            <table class="delivery-log">
              <thead>
                <tr>
                  <th scope="col">{t("subscriptions.when")}</th>
                  <th scope="col">{t("subscriptions.event")}</th>
                  <th scope="col">{t("subscriptions.result")}</th>
                  <th scope="col">{t("subscriptions.detail")}</th>
                </tr>
              </thead>
              <tbody hx-ignore="">
                {deliveries.map((d) => (
                  <tr class={`delivery delivery-${d.status}`}>
                    <td>{time(d.createdAt)}</td>
                    <td>{d.event}</td>
                    <td>
                      {t(`subscriptions.status.${d.status}`)} · {t("subscriptions.attempts", { count: d.attempts })}
                    </td>
                    <td>
                      {d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "")}
                      {d.status === "pending" && d.attempts > 0 ? ` · ${t("subscriptions.nextAt", { time: time(d.nextAttemptAt) })}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </SettingsFrame>
  );
}
