import { raw } from "hono/html";
import type { RenderedMessage } from "../../src/messages/render.ts";
import { Avatar } from "../shared/avatar.tsx";

const time = (id: string) => new Date(Number((BigInt(id) >> 22n) + 1_420_070_400_000n));

/**
 * One message, rendered once and sent as the same bytes to every viewer (page, POST answer,
 * broadcast). What differs per viewer (may I delete it?) is decided by CSS: the user stylesheet
 * shows `.own-only` on their own messages, `.can-manage` on the list shows moderator controls.
 * User content sits inside hx-ignore so injected hx-* attributes do nothing.
 */
export function MessageItem(props: { r: RenderedMessage }) {
  const { message: m, author, authorName, html } = props.r;
  const at = time(m.id);
  return (
    <article class="message" id={`m-${m.id}`} data-author-id={author.id} data-nonce={m.nonce ?? undefined} aria-label={authorName}>
      <Avatar user={author} size={40} />
      <div class="message-body">
        <header class="message-header">
          <strong class="message-author" hx-ignore="">
            {authorName}
          </strong>
          <time datetime={at.toISOString()}>{at.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
          {/* Labels come from hidden elements of the viewer's page, so these bytes suit every language. */}
          {m.editedAt ? (
            <span class="edited muted small" role="note" aria-labelledby="label-edited">
              ✎
            </span>
          ) : null}
          <form method="post" action={`/channels/${m.channelId}/messages/${m.id}/delete`} class="message-actions own-or-manage">
            <button type="submit" class="link-button" aria-labelledby="label-delete">
              🗑
            </button>
          </form>
        </header>
        <div class="message-content" hx-ignore="">
          {raw(html)}
        </div>
      </div>
    </article>
  );
}
