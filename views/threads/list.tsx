import type { ThreadView } from "../../src/threads/queries.ts";
import { THREAD_NAME_MAX } from "../../src/threads/rules.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

function Row(props: { ctx: PageCtx; view: ThreadView }) {
  const { channel, state } = props.view;
  const href = `/channels/${channel.guildId}/${channel.parentId}?thread=${channel.id}`;
  const count = props.view.messageCount;
  const date = new Date(state.archiveTimestamp).toLocaleDateString(props.ctx.locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium" });
  return (
    <li class="thread-row">
      <a href={href} hx-get={`/threads/${channel.id}`} hx-target="#thread-pane" hx-swap="innerHTML" hx-push-url={href}>
        <span class="thread-row-name" hx-ignore="">
          🧵 {channel.name}
        </span>
        <span class="muted small">
          {props.ctx.t(new Intl.PluralRules(props.ctx.locale).select(count) === "one" ? "thread.replies.one" : "thread.replies.other", { count })}
          {state.archived ? ` · ${props.ctx.t("thread.archivedOn", { date })}` : ""}
        </span>
      </a>
    </li>
  );
}

/** The channel's threads: a form to start one, then the active and the archived ones. */
export function ThreadList(props: { ctx: PageCtx; guildId: string; channelId: string; active: ThreadView[]; archived: ThreadView[]; canCreate: boolean; error?: string; name?: string }) {
  const { t } = props.ctx;
  const action = `/channels/${props.channelId}/threads`;
  const closeUrl = `/channels/${props.guildId}/${props.channelId}`;
  return (
    <section class="thread-view thread-list" aria-labelledby="thread-list-title">
      <header class="thread-header">
        <h2 id="thread-list-title">🧵 {t("thread.threads")}</h2>
        <a href={closeUrl} class="thread-close" hx-get="/threads/none" hx-target="#thread-pane" hx-swap="innerHTML" hx-push-url={closeUrl} aria-label={t("thread.close")} title={t("thread.close")}>
          ✕
        </a>
      </header>
      {props.canCreate ? (
        <form method="post" action={action} hx-post={action} hx-target="#thread-pane" hx-swap="innerHTML" class="thread-new">
          <label for="thread-new-name">{t("thread.name")}</label>
          <input id="thread-new-name" name="name" maxlength={THREAD_NAME_MAX} required value={props.name ?? ""} aria-invalid={props.error ? "true" : undefined} />
          {props.error ? <p class="field-error" role="alert">{props.error}</p> : null}
          <button type="submit" class="primary">
            {t("thread.start")}
          </button>
        </form>
      ) : null}
      <h3 class="pane-title">{t("thread.active")}</h3>
      {props.active.length ? <ul class="thread-rows">{props.active.map((v) => <Row ctx={props.ctx} view={v} />)}</ul> : <p class="muted">{t("thread.noneActive")}</p>}
      <h3 class="pane-title">{t("thread.archivedList")}</h3>
      {props.archived.length ? <ul class="thread-rows">{props.archived.map((v) => <Row ctx={props.ctx} view={v} />)}</ul> : <p class="muted">{t("thread.noneArchived")}</p>}
    </section>
  );
}
