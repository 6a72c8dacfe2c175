// Everything needed to show messages: authors, mention names, and the Discord-shaped JSON.
import { and, eq, inArray, sql } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { idList } from "../db/columns.ts";
import { channels, members, roles } from "../guilds/table.ts";
import { renderMarkdown, type MentionNames } from "../lib/markdown.ts";
import { publicUser } from "../users/service.ts";
import { messageMentions, messages, type Message } from "./table.ts";
import type { FreshParts } from "./service.ts";
import { reactionSummaries, type ReactionSummary } from "./reactions.ts";
import { threadSummaries, type ThreadSummaryInfo } from "../threads/queries.ts";
import { attachmentsOf, type AttachmentView } from "../files/queries.ts";
import { attachmentJson } from "../files/json.ts";
import { embedJson, embedsFor, type Embed, type EmbedSource } from "../embeds/service.ts";
import { componentsFor, type Components, type StoredComponents } from "../interactions/components.ts";
import { webhookAuthors, type WebhookAuthor } from "../webhooks/render.ts";

export interface RenderedMessage {
  message: Message;
  /** Files posted with the message, in order (one query for the whole list). */
  attachments: AttachmentView[];
  author: User;
  /** The author's name in this channel (server nickname, display name or username). */
  authorName: string;
  html: string;
  reactions: ReactionSummary[];
  /** The thread started from this message, for its "N replies" summary (HTML renders only). */
  thread?: ThreadSummaryInfo;
  /** For a reply: the original (a short quote), or "deleted" when it is gone. */
  reply?: ReplyQuote | "deleted";
  /** Users this message notifies by name (<@id>, or the replied-to author when pinged). */
  mentionIds: string[];
  /** Roles mentioned with <@&id>. */
  roleMentionIds: string[];
  /** The mentioned users that exist (for the API's `mentions`). */
  mentioned: User[];
  /** Embeds to show (none when the author suppressed them): same-origin proxy paths for the page... */
  embeds: Embed[];
  /** ...and the API's objects with absolute proxy URLs. */
  embedsJson: Embed[];
  /** Buttons and select menus (interactions/components.ts). */
  components: Components;
  /** For a webhook message: the name and avatar it was posted as. */
  webhook?: WebhookAuthor;
}

export interface ReplyQuote {
  id: string;
  authorId: string;
  authorName: string;
  author: User | null;
  content: string;
}

const userMention = /<@!?(\d{1,20})>/g;
const roleMention = /<@&(\d{1,20})>/g;
const idsIn = (content: string, pattern: RegExp) => (content.includes("<@") ? [...new Set([...content.matchAll(pattern)].map((m) => m[1]!))] : []);

/** The originals of replies, with who wrote them and whether the reply pinged them (one query each). */
function replyQuotes(core: Core, guildId: string | null, list: Message[]): { quotes: Map<string, ReplyQuote>; pinged: Set<string> } {
  const replyIds = [...new Set(list.flatMap((m) => (m.replyToId ? [m.replyToId] : [])))];
  const quotes = new Map<string, ReplyQuote>();
  const pinged = new Set<string>();
  if (replyIds.length === 0) return { quotes, pinged };
  const originals = core.db.readOrm.select({ id: messages.id, authorId: messages.authorId, content: messages.content }).from(messages).where(inArray(messages.id, replyIds)).all();
  const authorIds = [...new Set(originals.map((o) => o.authorId))];
  const people = authorIds.length ? core.db.readOrm.select().from(users).where(inArray(users.id, authorIds)).all() : [];
  const nicks = new Map(guildId && authorIds.length ? core.db.readOrm.select({ userId: members.userId, nick: members.nick }).from(members).where(and(eq(members.guildId, guildId), inArray(members.userId, authorIds))).all().map((m) => [m.userId, m.nick]) : []);
  const byId = new Map(people.map((u) => [u.id, u]));
  for (const o of originals) {
    const u = byId.get(o.authorId);
    quotes.set(o.id, { id: o.id, authorId: o.authorId, authorName: nicks.get(o.authorId) ?? u?.displayName ?? u?.username ?? "?", author: u ?? null, content: o.content });
  }
  const replies = list.filter((m) => m.replyToId && quotes.has(m.replyToId));
  if (replies.length) {
    const rows = core.db.readOrm.select().from(messageMentions).where(inArray(messageMentions.messageId, replies.map((m) => m.id))).all();
    const hit = new Set(rows.map((r) => `${r.messageId}:${r.userId}`));
    for (const m of replies) if (hit.has(`${m.id}:${quotes.get(m.replyToId!)!.authorId}`)) pinged.add(m.id);
  }
  return { quotes, pinged };
}

// Every message shown or broadcast runs these lookups: prepared once per connection. Lists of ids
// go in as one JSON array (json_each), so one statement serves any number of messages.
const p = (name: string) => sql.placeholder(name);
function build(orm: Core["db"]["readOrm"]) {
  return {
    authors: orm.select().from(users).where(sql`${users.id} in (select value from json_each(${p("ids")}))`).prepare(),
    nicks: orm.select({ userId: members.userId, nick: members.nick }).from(members).where(and(eq(members.guildId, p("guild")), sql`${members.userId} in (select value from json_each(${p("ids")}))`)).prepare(),
    user: orm.select().from(users).where(eq(users.id, p("id"))).prepare(),
    nick: orm.select({ nick: members.nick }).from(members).where(and(eq(members.guildId, p("guild")), eq(members.userId, p("user")))).prepare(),
    role: orm.select({ name: roles.name }).from(roles).where(eq(roles.id, p("id"))).prepare(),
    channel: orm.select({ name: channels.name }).from(channels).where(eq(channels.id, p("id"))).prepare(),
    notified: orm.select().from(messageMentions).where(sql`${messageMentions.messageId} in (select value from json_each(${p("ids")}))`).prepare(),
  };
}
const prepared = new WeakMap<Core["db"], ReturnType<typeof build>>();
const statements = (core: Core) => {
  let s = prepared.get(core.db);
  if (!s) prepared.set(core.db, (s = build(core.db.readOrm)));
  return s;
};

/** Names for mentions, resolved within the channel's server. */
function mentionNames(core: Core, guildId: string | null): MentionNames {
  const q = statements(core);
  return {
    user: (id) => {
      const u = q.user.get({ id });
      if (!u) return null;
      const nick = guildId ? q.nick.get({ guild: guildId, user: id })?.nick : null;
      return nick ?? u.displayName ?? u.username;
    },
    role: (id) => (guildId ? (q.role.get({ id })?.name ?? null) : null),
    channel: (id) => q.channel.get({ id })?.name ?? null,
  };
}

/** Authors and names for messages; `html: false` skips markdown for callers that only need JSON. */
// The create broadcast renders a new message (with HTML) once; the API's answer to its sender
// reuses that instead of rendering it again (the same Message object travels through both).
const justRendered = new WeakMap<Message, RenderedMessage>();
export const rememberRendered = (r: RenderedMessage) => void justRendered.set(r.message, r);
export const renderedBefore = (message: Message) => justRendered.get(message);

/**
 * `fresh`: the list is the one message a send just created (messages/service.ts), with what it
 * was sent with; lookups that can only find nothing yet are skipped (a broadcast of every message
 * ran eight statements, five of them always empty).
 */
export function renderMessages(core: Core, guildId: string | null, list: Message[], opts: { html?: boolean; fresh?: FreshParts } = {}): RenderedMessage[] {
  if (list.length === 0) return [];
  const fresh = list.length === 1 && list[0]!.authorId === opts.fresh?.author.id ? opts.fresh : undefined;
  const authorIds = [...new Set(list.map((m) => m.authorId))];
  const q = statements(core);
  const ids = idList(authorIds);
  const authors = new Map(fresh ? [[fresh.author.id, fresh.author]] : q.authors.all({ ids }).map((u) => [u.id, u]));
  const nicks = new Map<string, string | null>(!guildId ? [] : authorIds.length === 1 ? [[authorIds[0]!, q.nick.get({ guild: guildId, user: authorIds[0]! })?.nick ?? null]] : q.nicks.all({ guild: guildId, ids }).map((m) => [m.userId, m.nick]));
  const names = mentionNames(core, guildId);
  const messageIds = list.map((m) => m.id);
  const reactionsOf = fresh ? new Map<string, ReactionSummary[]>() : reactionSummaries(core, messageIds);
  const threadsOf = opts.html === false || fresh ? new Map<string, ThreadSummaryInfo>() : threadSummaries(core, messageIds);
  const { quotes, pinged } = replyQuotes(core, guildId, list);
  const filesOf = fresh && !fresh.files ? new Map<string, AttachmentView[]>() : attachmentsOf(core, messageIds);
  const embedsOf = fresh && !fresh.embeds ? new Map<string, (Embed & { source: EmbedSource })[]>() : embedsFor(core, list.filter((m) => !m.suppressEmbeds).map((m) => m.id));
  const componentsOf = fresh && !fresh.components ? new Map<string, StoredComponents>() : componentsFor(core, messageIds);
  const hooksOf = webhookAuthors(core, list, authors);
  // Only the people the send actually notified count as mentioned (allowed_mentions may have
  // suppressed some): one query, and only over messages whose text mentions someone.
  const withMentions = list.filter((m) => m.content.includes("<@"));
  const notified = new Set(withMentions.length ? q.notified.all({ ids: idList(withMentions.map((m) => m.id)) }).map((r) => `${r.messageId}:${r.userId}`) : []);
  const mentionLists = list.map((message) => {
    const ids = idsIn(message.content, userMention).filter((id) => notified.has(`${message.id}:${id}`));
    const quote = message.replyToId ? quotes.get(message.replyToId) : undefined;
    if (quote && pinged.has(message.id) && !ids.includes(quote.authorId)) ids.push(quote.authorId);
    return ids;
  });
  const everyMention = [...new Set(mentionLists.flat())];
  const mentionedUsers = new Map(everyMention.length ? core.db.readOrm.select().from(users).where(inArray(users.id, everyMention)).all().map((u) => [u.id, u]) : []);
  return list.map((message, i) => {
    const author = authors.get(message.authorId)!;
    const mentionIds = mentionLists[i]!;
    const reply = message.replyToId ? (quotes.get(message.replyToId) ?? "deleted") : undefined;
    return {
      message,
      author,
      authorName: hooksOf.get(message.id)?.name ?? nicks.get(author.id) ?? author.displayName ?? author.username,
      html: opts.html === false ? "" : renderMarkdown(message.content, names),
      reactions: reactionsOf.get(message.id) ?? [],
      thread: threadsOf.get(message.id),
      reply,
      mentionIds,
      roleMentionIds: idsIn(message.content, roleMention),
      mentioned: mentionIds.flatMap((id) => mentionedUsers.get(id) ?? []),
      attachments: filesOf.get(message.id) ?? [],
      embeds: embedsOf.get(message.id) ?? [],
      embedsJson: (embedsOf.get(message.id) ?? []).map((e) => embedJson(core.config.publicUrl, e)),
      components: componentsOf.get(message.id)?.components ?? [],
      webhook: hooksOf.get(message.id),
    };
  });
}

const emojiJson = (emoji: string) => {
  const custom = /^(\w+):(\d+)$/.exec(emoji);
  return custom ? { id: custom[2], name: custom[1] } : { id: null, name: emoji };
};

const snowflakeTime = (id: string) => new Date(Number((BigInt(id) >> 22n) + 1_420_070_400_000n)).toISOString();

/** Discord's message object; `viewerId` decides each reaction's `me`. */
export function messageJson(r: RenderedMessage, viewerId?: string) {
  const m = r.message;
  return {
    id: m.id,
    type: m.replyToId ? 19 : 0,
    channel_id: m.channelId,
    author: r.webhook ? { ...publicUser(r.author), id: r.webhook.id, username: r.webhook.name, global_name: null, bot: true } : publicUser(r.author),
    webhook_id: r.webhook?.id,
    components: r.components,
    content: m.content,
    timestamp: snowflakeTime(m.id),
    edited_timestamp: m.editedAt,
    tts: false,
    mention_everyone: m.mentionsEveryone,
    mentions: r.mentioned.map(publicUser),
    mention_roles: r.roleMentionIds,
    attachments: r.attachments.map(attachmentJson),
    embeds: r.embedsJson,
    flags: m.suppressEmbeds ? 4 : 0,
    pinned: m.pinned,
    reactions: r.reactions.length ? r.reactions.map((x) => ({ emoji: emojiJson(x.emoji), count: x.count, me: viewerId ? x.userIds.includes(viewerId) : false })) : undefined,
    nonce: m.nonce ?? undefined,
    message_reference: m.replyToId ? { type: 0, message_id: m.replyToId, channel_id: m.channelId } : undefined,
    referenced_message: r.reply === undefined ? undefined : r.reply === "deleted" ? null : { id: r.reply.id, type: 0, channel_id: m.channelId, author: r.reply.author ? publicUser(r.reply.author) : null, content: r.reply.content, timestamp: snowflakeTime(r.reply.id) },
  };
}
