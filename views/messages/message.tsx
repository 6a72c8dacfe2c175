import { raw } from "hono/html";
import type { RenderedMessage } from "../../src/messages/render.ts";
import { Avatar } from "../shared/avatar.tsx";

const QUICK = ["👍", "❤️", "😂", "🎉", "😮", "😢"];

/** Reaction chips (click toggles yours) and a few quick ones to add; yours are marked by /me.css. */
function Reactions(props: { r: RenderedMessage }) {
  const { message: m, reactions } = props.r;
  const action = `/channels/${m.channelId}/messages/${m.id}/reactions`;
  const chip = (emoji: string, extra: { count?: number; reactors?: string; names?: string; cls: string }) => (
    <form method="post" action={action} hx-post={action} hx-swap="none" class="reaction-form">
      <input type="hidden" name="emoji" value={emoji} />
      <button type="submit" class={extra.cls} data-reactors={extra.reactors} title={extra.names} aria-pressed="false">
        {emoji}
        {extra.count ? <span class="reaction-count">{extra.count}</span> : null}
      </button>
    </form>
  );
  return (
    <div class="reactions">
      {reactions.map((x) => chip(x.emoji, { count: x.count, reactors: x.userIds.join(" "), names: x.names.join(", "), cls: "reaction" }))}
      <span class="reaction-quick">{QUICK.filter((e) => !reactions.some((x) => x.emoji === e)).map((e) => chip(e, { cls: "reaction quick" }))}</span>
    </div>
  );
}

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
        <Reactions r={props.r} />
      </div>
    </article>
  );
}
