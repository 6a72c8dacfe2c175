import type { ThreadSummaryInfo } from "../../src/threads/queries.ts";

export const threadPageUrl = (t: { guildId: string; parentId: string; id: string }) => `/channels/${t.guildId}/${t.parentId}?thread=${t.id}`;

/**
 * "🧵 name · N replies" under a starter message. Rendered once for every viewer (page and
 * broadcast), so it holds no words: the count's label comes from /threads/labels.css in the
 * reader's language, and the link's name from the hidden #label-thread-open of the page.
 */
export function ThreadSummary(props: { thread: ThreadSummaryInfo }) {
  const { thread } = props;
  const href = threadPageUrl(thread);
  return (
    <a class={`thread-summary${thread.archived ? " archived" : ""}`} href={href} hx-get={`/threads/${thread.id}`} hx-target="#thread-pane" hx-swap="innerHTML" hx-push-url={href} aria-describedby="label-thread-open" data-thread-id={thread.id}>
      <span aria-hidden="true">🧵</span>
      <span class="thread-summary-name" hx-ignore="">
        {thread.name}
      </span>
      <span class="thread-summary-count" data-count={String(thread.messageCount)}>
        {thread.messageCount}
      </span>
    </a>
  );
}

/**
 * Under every message in a channel: the slot its thread summary lives in (so a thread started
 * later can be swapped in live), and the "Create thread" action. CSS shows the action only where
 * the viewer may create threads and the message has none yet.
 */
export function ThreadControls(props: { messageId: string; channelId: string; thread?: ThreadSummaryInfo }) {
  const action = `/channels/${props.channelId}/messages/${props.messageId}/threads`;
  return (
    <>
      <form method="post" action={action} hx-post={action} hx-target="#thread-pane" hx-swap="innerHTML" class="thread-create">
        <button type="submit" class="link-button" aria-labelledby="label-thread-create">
          🧵
        </button>
      </form>
      <div class="thread-slot" id={`thread-slot-${props.messageId}`}>
        {props.thread ? <ThreadSummary thread={props.thread} /> : null}
      </div>
    </>
  );
}
