import { raw } from "hono/html";
import type { RenderedMessage } from "../../src/messages/render.ts";
import { Avatar } from "../shared/avatar.tsx";
import { ThreadControls } from "../threads/summary.tsx";
import { Actions, Reactions } from "./message-controls.ts";
import { Attachments } from "../files/attachments.tsx";
import { Embeds } from "../embeds/embed.tsx";
import { MessageComponents } from "../interactions/components.tsx";

const time = (id: string) => new Date(Number((BigInt(id) >> 22n) + 1_420_070_400_000n));

/** The quoted original above a reply; the link jumps to it (in place when it is on screen). */
function ReplyQuote(props: { r: RenderedMessage }) {
  const { reply } = props.r;
  if (reply === undefined) return null;
  if (reply === "deleted")
    return (
      <p class="reply-quote deleted muted small" role="note" aria-labelledby="label-reply-deleted">
        ↪ …
      </p>
    );
  const snippet = reply.content.replace(/\s+/g, " ").slice(0, 120);
  return (
    <a class="reply-quote small" href={`?around=${reply.id}#m-${reply.id}`} data-jump={reply.id} hx-ignore="" data-reply-author={reply.authorId}>
      <span aria-hidden="true">↪ </span>
      <strong>{reply.authorName}</strong> <span class="muted">{snippet}</span>
    </a>
  );
}

/**
 * One message, rendered once and sent as the same bytes to every viewer (page, POST answer,
 * broadcast). What differs per viewer (may I edit or delete it? does it mention me?) is decided by
 * CSS: the user stylesheet /me.css matches their id in data-author-id and data-mentions, and
 * classes on the list (.can-manage, .can-pin) show moderator controls. Labels come from hidden
 * elements of the viewer's page, so these bytes suit every language. User content sits inside
 * hx-ignore so injected hx-* attributes do nothing.
 */
export function MessageItem(props: { r: RenderedMessage }) {
  const { message: m, author, authorName, html } = props.r;
  const at = time(m.id);
  const cls = `message${m.replyToId ? " is-reply" : ""}${m.mentionsEveryone ? " mentions-everyone" : ""}${m.pinned ? " is-pinned" : ""}`;
  return (
    <article
      class={cls}
      id={`m-${m.id}`}
      data-author-id={author.id}
      data-nonce={m.nonce ?? undefined}
      data-mentions={props.r.mentionIds.length ? props.r.mentionIds.join(" ") : undefined}
      data-mention-roles={props.r.roleMentionIds.length ? props.r.roleMentionIds.join(" ") : undefined}
      aria-label={authorName}
      tabindex={-1}
    >
      {props.r.webhook?.avatarSrc ? <img class="avatar" src={props.r.webhook.avatarSrc} alt="" width={40} height={40} /> : <Avatar user={author} size={40} />}
      <div class="message-body">
        <ReplyQuote r={props.r} />
        <header class="message-header">
          <strong class="message-author" hx-ignore="">
            {authorName}
          </strong>
          {/* Rendered once for every reader: "BOT" is the same word in each language we ship, as on Discord. */}
          {author.isBot ? <span class="bot-tag">BOT</span> : null}
          <time datetime={at.toISOString()}>{at.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
          {m.editedAt ? (
            <span class="edited muted small" role="note" aria-labelledby="label-edited">
              ✎
            </span>
          ) : null}
          {m.pinned ? (
            <span class="pinned-mark small" role="note" aria-labelledby="label-pinned">
              📌
            </span>
          ) : null}
          <Actions r={props.r} />
        </header>
        <div class="message-content" hx-ignore="">
          {raw(html)}
        </div>
        <Embeds channelId={m.channelId} messageId={m.id} embeds={props.r.embeds} />
        <Attachments files={props.r.attachments} />
        <MessageComponents channelId={m.channelId} messageId={m.id} components={props.r.components} />
        <div class="message-edit-slot" id={`edit-${m.id}`}></div>
        <Reactions r={props.r} />
        <ThreadControls messageId={m.id} channelId={m.channelId} thread={props.r.thread} />
      </div>
    </article>
  );
}
