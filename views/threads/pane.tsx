import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { RenderedMessage } from "../../src/messages/render.ts";
import type { ThreadMemberView } from "../../src/threads/members.ts";
import type { ThreadView } from "../../src/threads/queries.ts";
import { AUTO_ARCHIVE_DURATIONS } from "../../src/threads/rules.ts";
import { EmojiButton } from "../emoji/picker.tsx";
import { ComposerFiles } from "../files/tools.tsx";
import { MessageItem } from "../messages/message.tsx";
import { Avatar } from "../shared/avatar.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

export interface ThreadPaneProps {
  ctx: PageCtx;
  view: ThreadView;
  starter: RenderedMessage | null;
  messages: RenderedMessage[];
  members: ThreadMemberView[];
  joined: boolean;
  can: { send: boolean; manageMessages: boolean; edit: boolean };
  error?: string;
}

/** A small form that posts one action of the thread and redraws the pane (a page load without JavaScript). */
function Action(props: { url: string; children: Child; class?: string }) {
  return (
    <form method="post" action={props.url} hx-post={props.url} hx-target="#thread-pane" hx-swap="innerHTML" class={props.class ?? "thread-action"}>
      {props.children}
    </form>
  );
}

function Settings(props: { ctx: PageCtx; view: ThreadView }) {
  const { t } = props.ctx;
  const { channel, state } = props.view;
  const url = `/threads/${channel.id}/settings`;
  return (
    <div class="thread-settings">
      {state.archived ? null : (
        <form method="post" action={url} hx-post={url} hx-trigger="change" hx-target="#thread-pane" hx-swap="innerHTML" class="thread-archive-after">
          <label for={`archive-after-${channel.id}`}>{t("thread.autoArchive")}</label>
          <select id={`archive-after-${channel.id}`} name="auto_archive_duration">
            {AUTO_ARCHIVE_DURATIONS.map((d) => (
              <option value={String(d)} selected={d === state.autoArchiveDuration}>
                {t(`thread.after.${d}`)}
              </option>
            ))}
          </select>
          <noscript>
            <button type="submit">{t("common.save")}</button>
          </noscript>
        </form>
      )}
      <Action url={url}>
        <input type="hidden" name="archived" value={state.archived ? "0" : "1"} />
        <button type="submit" class="link-button">
          {t(state.archived ? "thread.unarchive" : "thread.archive")}
        </button>
      </Action>
    </div>
  );
}

/** An open thread beside its channel: members, settings, its own messages (live over its own socket) and a composer. */
export function ThreadPane(props: ThreadPaneProps) {
  const { t } = props.ctx;
  const { channel, state } = props.view;
  const id = channel.id;
  const closeUrl = `/channels/${channel.guildId}/${channel.parentId}`;
  return (
    <section class="thread-view" aria-labelledby={`thread-title-${id}`} data-thread-id={id}>
      <header class="thread-header">
        <h2 id={`thread-title-${id}`} hx-ignore="">
          🧵 {channel.name}
        </h2>
        <a href={closeUrl} class="thread-close" hx-get="/threads/none" hx-target="#thread-pane" hx-swap="innerHTML" hx-push-url={closeUrl} aria-label={t("thread.close")} title={t("thread.close")}>
          ✕
        </a>
      </header>
      {props.error ? <p class="alert alert-error" role="alert">{props.error}</p> : null}
      {state.archived ? <p class="alert thread-state">{state.locked ? t("thread.lockedNote") : t("thread.archivedNote")}</p> : null}
      <div class="thread-tools">
        {state.archived && !props.joined ? null : (
          <Action url={`/threads/${id}/${props.joined ? "leave" : "join"}`}>
            <button type="submit" class={props.joined ? "" : "primary"}>
              {t(props.joined ? "thread.leave" : "thread.join")}
            </button>
          </Action>
        )}
        {props.can.edit ? <Settings ctx={props.ctx} view={props.view} /> : null}
      </div>
      <details class="thread-members">
        <summary>{t("thread.members", { count: props.members.length })}</summary>
        <ul class="member-list">
          {props.members.map((m) => (
            <li class="member-row">
              <Avatar user={m.user} size={24} />
              <span class="member-name" hx-ignore="">
                {m.name}
              </span>
            </li>
          ))}
        </ul>
      </details>
      {/* Its own socket: the thread's topic carries its messages, the parent's carries only the summary. */}
      <div hx-ws:connect={`/ws?channel=${id}`} hx-swap="none" hx-config={JSON.stringify({ ws: { pauseOnBackground: false } })} class="live-connection"></div>
      <div class="thread-scroll">
        {props.starter ? (
          <div class="thread-starter">
            <p class="muted small" hx-ignore="">
              {t("thread.startedFrom", { name: props.starter.authorName })}
            </p>
            <div class="message-content" hx-ignore="">
              {raw(props.starter.html)}
            </div>
          </div>
        ) : null}
        <p class="conversation-start muted" hx-ignore="">
          {t("thread.intro", { name: channel.name })}
        </p>
        <div id="thread-messages" data-channel-id={id} class={`messages thread-messages${props.can.manageMessages ? " can-manage" : ""}`} role="feed" aria-live="polite">
          {props.messages.map((r) => (
            <MessageItem r={r} />
          ))}
        </div>
      </div>
      {props.can.send ? (
        <form class="composer thread-composer" method="post" action={`/threads/${id}/messages`} data-thread-composer="">
          <ComposerFiles ctx={props.ctx} channelId={id} script={false} />
          <EmojiButton ctx={props.ctx} />
          <label for={`thread-input-${id}`} class="visually-hidden">
            {t("thread.placeholder", { name: channel.name })}
          </label>
          <textarea id={`thread-input-${id}`} name="content" rows={1} maxlength={4000} placeholder={t("thread.placeholder", { name: channel.name })} required></textarea>
          <input type="hidden" name="nonce" value="" />
          <button type="submit" class="primary">
            {t("message.send")}
          </button>
          <p class="composer-error field-error" role="alert" hidden></p>
        </form>
      ) : (
        <p class="muted composer-disabled">{t("thread.cannotSend")}</p>
      )}
    </section>
  );
}
