import type { Child } from "hono/jsx";
import { Skeleton } from "../shared/skeleton.tsx";
import type { HistoryView } from "../../src/messages/history.ts";
import type { RenderedMessage } from "../../src/messages/render.ts";
import type { MessageKey } from "../../src/i18n/en.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import { MessageItem } from "./message.tsx";
import { TypingIndicator } from "../presence/typing.tsx";
import { ComposerFiles, FilesTools } from "../files/tools.tsx";
import { ComposerEmoji } from "../emoji/picker.tsx";

/** Labels that messages (rendered once for every language) point at with aria-labelledby. */
const LABELS: [string, MessageKey][] = [
  ["label-delete", "message.delete"],
  ["label-moderate", "moderation.messageTitle"],
  ["label-edited", "message.edited"],
  ["label-edit", "message.edit"],
  ["label-reply", "message.reply"],
  ["label-reply-deleted", "message.replyDeleted"],
  ["label-pin", "message.pin"],
  ["label-unpin", "message.unpin"],
  ["label-pinned", "message.pinned"],
  ["label-actions", "message.actions"],
  ["label-suppress-embeds", "embeds.remove"],
  ["label-add-reaction", "emoji.addReaction"],
  ["label-emoji-picker", "emoji.picker"],
];

/** Scrolling up (or down, after a jump) loads the next page in place of this marker. */
export function HistoryMore(props: { channelId: string; direction: "before" | "after"; cursor: string; label: string }) {
  const url = `/channels/${props.channelId}/history?${props.direction}=${props.cursor}`;
  return (
    <div class={`history-more history-${props.direction}`} hx-get={url} hx-trigger="intersect once" hx-swap="outerHTML">
      <a href={`?around=${props.cursor}#m-${props.cursor}`} class="muted small">
        {props.label}
      </a>
      <Skeleton lines={4} indicator />
    </div>
  );
}

/** A loaded page: the messages, with the marker for the page beyond them when there is one. */
export function HistoryPage(props: { ctx: PageCtx; channelId: string; direction: "before" | "after"; messages: RenderedMessage[]; more: boolean }) {
  const { t } = props.ctx;
  const edge = props.direction === "before" ? props.messages[0]?.message.id : props.messages.at(-1)?.message.id;
  const marker = props.more && edge ? <HistoryMore channelId={props.channelId} direction={props.direction} cursor={edge} label={t(props.direction === "before" ? "message.loadOlder" : "message.loadNewer")} /> : null;
  return (
    <>
      {props.direction === "before" ? marker : null}
      {props.messages.map((r) => (
        <MessageItem r={r} />
      ))}
      {props.direction === "after" ? marker : null}
    </>
  );
}

/**
 * A channel's conversation: history, the live connection (htmx hx-ws: the server pushes
 * <hx-partial> fragments for new, edited and deleted messages) and the composer.
 */
export function MessagePane(props: { ctx: PageCtx; history: HistoryView; intro: string; canSend: boolean; canManage: boolean; canPin: boolean; placeholder: string; sendBlocked?: Child; sendSlot?: string }) {
  const { t } = props.ctx;
  const h = props.history;
  const channelId = h.channelId;
  const first = h.messages[0]?.message.id;
  const last = h.messages.at(-1)?.message.id;
  const listClass = `messages${props.canManage ? " can-manage" : ""}${props.canPin ? " can-pin" : ""}`;
  return (
    <section class="pane-body conversation" aria-label={t("shell.conversation")}>
      {LABELS.map(([id, key]) => (
        <span id={id} hidden>
          {t(key)}
        </span>
      ))}
      {/* Background tabs stay connected: they must keep receiving messages (and, later, unread state). */}
      <div hx-ws:connect={`/ws?channel=${channelId}`} hx-swap="none" hx-config={JSON.stringify({ ws: { pauseOnBackground: false } })} class="live-connection" data-history-url={`/channels/${channelId}/history`}></div>
      <div class="pane-tools">
        <button type="button" class="link-button" hx-get={`/channels/${channelId}/pins`} hx-target="#popover" hx-swap="innerHTML" aria-haspopup="dialog">
          📌 {t("message.pins")}
        </button>
        <FilesTools ctx={props.ctx} channelId={channelId} />
      </div>
      <div class="message-scroll" id="message-scroll">
        {h.hasOlder ? null : (
          <p class="conversation-start muted" hx-ignore="">
            {props.intro}
          </p>
        )}
        <div
          id="messages"
          data-channel-id={channelId}
          data-me={props.ctx.user?.id}
          data-last-read={h.lastReadId ?? undefined}
          data-highlight={h.highlightId ?? undefined}
          data-detached={h.hasNewer ? "" : undefined}
          data-new-label={t("message.newMessages")}
          data-today={t("message.today")}
          data-yesterday={t("message.yesterday")}
          class={listClass}
          role="feed"
          aria-live="polite"
          aria-busy="false"
        >
          {h.hasOlder && first ? <HistoryMore channelId={channelId} direction="before" cursor={first} label={t("message.loadOlder")} /> : null}
          {h.messages.map((r) => (
            <MessageItem r={r} />
          ))}
          {h.hasNewer && last ? <HistoryMore channelId={channelId} direction="after" cursor={last} label={t("message.loadNewer")} /> : null}
        </div>
      </div>
      <div class="jump-present" id="jump-present" hidden={!h.hasNewer}>
        <span class="muted small">{t("message.viewingOlder")}</span>
        <a href="?" class="button small" data-jump-present="">
          {t("message.jumpToPresent")}
        </a>
      </div>
      {props.canSend ? (
        // data-send-slot: a timeout swaps the composer for its notice live (moderation/live.tsx).
        <form id="composer" class="composer" method="post" action={`/channels/${channelId}/messages`} data-composer="" data-send-slot={props.sendSlot} data-mentionables={`/channels/${channelId}/mentionables`} data-commands-label={t("interactions.suggestions")} data-commands-required={t("interactions.required")}>
          <div class="reply-bar" id="reply-bar" hidden>
            <span class="reply-label" data-template={t("message.replyingTo", { name: "{name}" })}></span>
            <label class="reply-ping" title={t("message.replyPingHint")}>
              <input type="checkbox" name="reply_ping" value="1" checked /> @{t("message.replyPing")}
            </label>
            <button type="button" class="link-button" data-cancel-reply="" aria-label={t("message.cancelReply")}>
              ✕
            </button>
            <input type="hidden" name="reply_to" value="" />
          </div>
          <ComposerFiles ctx={props.ctx} channelId={channelId} />
          <ComposerEmoji ctx={props.ctx} channelId={channelId} />
          <label for="composer-input" class="visually-hidden" hx-ignore="">
            {props.placeholder}
          </label>
          <ul class="mention-suggestions" id="mention-suggestions" role="listbox" aria-label={t("message.mentionSuggestions")} hidden></ul>
          <textarea id="composer-input" name="content" rows={1} maxlength={4000} placeholder={props.placeholder} required aria-autocomplete="list" aria-controls="mention-suggestions"></textarea>
          <input type="hidden" name="nonce" value="" />
          <button type="submit" class="primary">
            {t("message.send")}
          </button>
          <p class="composer-error field-error" role="alert" hidden></p>
        </form>
      ) : (
        // A timeout or the server's rules to accept say why instead (moderation/routes.tsx).
        (props.sendBlocked ?? <p class="muted composer-disabled">{t("message.cannotSend")}</p>)
      )}
      <TypingIndicator ctx={props.ctx} />
    </section>
  );
}
