import type { RenderedMessage } from "../../src/messages/render.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import { MessageItem } from "./message.tsx";

/**
 * A channel's conversation: history, the live connection (htmx hx-ws: the server pushes
 * <hx-partial> fragments for new, edited and deleted messages) and the composer.
 */
export function MessagePane(props: { ctx: PageCtx; channelId: string; intro: string; messages: RenderedMessage[]; canSend: boolean; canManage: boolean; placeholder: string }) {
  const { t } = props.ctx;
  return (
    <section class="pane-body conversation" aria-label={t("shell.conversation")}>
      <span id="label-delete" hidden>
        {t("message.delete")}
      </span>
      <span id="label-edited" hidden>
        {t("message.edited")}
      </span>
      {/* Background tabs stay connected: they must keep receiving messages (and, later, unread state). */}
      <div hx-ws:connect={`/ws?channel=${props.channelId}`} hx-swap="none" hx-config={JSON.stringify({ ws: { pauseOnBackground: false } })} class="live-connection"></div>
      <div class="message-scroll" id="message-scroll">
        <p class="conversation-start muted" hx-ignore="">
          {props.intro}
        </p>
        <div id="messages" data-channel-id={props.channelId} class={`messages${props.canManage ? " can-manage" : ""}`} role="feed" aria-live="polite" aria-busy="false">
          {props.messages.map((r) => (
            <MessageItem r={r} />
          ))}
        </div>
      </div>
      {props.canSend ? (
        <form id="composer" class="composer" method="post" action={`/channels/${props.channelId}/messages`} data-composer="">
          <label for="composer-input" class="visually-hidden">
            {props.placeholder}
          </label>
          <textarea id="composer-input" name="content" rows={1} maxlength={4000} placeholder={props.placeholder} required></textarea>
          <input type="hidden" name="nonce" value="" />
          <button type="submit" class="primary">
            {t("message.send")}
          </button>
          <p class="composer-error field-error" role="alert" hidden></p>
        </form>
      ) : (
        <p class="muted composer-disabled">{t("message.cannotSend")}</p>
      )}
    </section>
  );
}
