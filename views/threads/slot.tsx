import type { Child } from "hono/jsx";
import { assetUrl } from "../../src/assets/registry.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * The right-hand pane of a channel page where a thread or the thread list opens (empty, and so
 * hidden, until then), with the labels that thread controls rendered once for everyone point at.
 */
export function ThreadSlot(props: { ctx: PageCtx; canCreate: boolean; children?: Child }) {
  const { t } = props.ctx;
  return (
    <>
      <link rel="stylesheet" href="/threads/labels.css" />
      <script src={assetUrl("js/threads.js")} defer></script>
      {/* The thread composer's files (the channel's composer may load it too: it runs once). */}
      <script src={assetUrl("js/attachments.js")} defer></script>
      <span id="label-thread-create" hidden>
        {t("thread.create")}
      </span>
      <span id="label-thread-open" hidden>
        {t("thread.threads")}
      </span>
      <aside id="thread-pane" class="thread-pane" aria-label={t("thread.threads")} data-can-create={props.canCreate ? "" : undefined}>
        {props.children}
      </aside>
    </>
  );
}

/** The channel header's "Threads" button: opens the list in the pane (a page of its own without JavaScript). */
export function ThreadsButton(props: { ctx: PageCtx; guildId: string; channelId: string }) {
  const href = `/channels/${props.guildId}/${props.channelId}?threads=1`;
  return (
    <a class="header-link threads-button" href={href} hx-get={`/channels/${props.channelId}/threads`} hx-target="#thread-pane" hx-swap="innerHTML" hx-push-url={href}>
      🧵 {props.ctx.t("thread.threads")}
    </a>
  );
}
