// Everything needed to show messages: authors, mention names, and the Discord-shaped JSON.
import { and, eq, inArray } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { channels, members, roles } from "../guilds/table.ts";
import { renderMarkdown, type MentionNames } from "../lib/markdown.ts";
import { publicUser } from "../users/service.ts";
import type { Message } from "./table.ts";
import { reactionSummaries, type ReactionSummary } from "./reactions.ts";

export interface RenderedMessage {
  message: Message;
  author: User;
  /** The author's name in this channel (server nickname, display name or username). */
  authorName: string;
  html: string;
  reactions: ReactionSummary[];
}

/** Names for mentions, resolved within the channel's server. */
function mentionNames(core: Core, guildId: string | null): MentionNames {
  return {
    user: (id) => {
      const u = core.db.readOrm.select().from(users).where(eq(users.id, id)).get();
      if (!u) return null;
      const nick = guildId ? core.db.readOrm.select({ nick: members.nick }).from(members).where(and(eq(members.guildId, guildId), eq(members.userId, id))).get()?.nick : null;
      return nick ?? u.displayName ?? u.username;
    },
    role: (id) => (guildId ? (core.db.readOrm.select().from(roles).where(eq(roles.id, id)).get()?.name ?? null) : null),
    channel: (id) => core.db.readOrm.select().from(channels).where(eq(channels.id, id)).get()?.name ?? null,
  };
}

/** Authors and names for messages; `html: false` skips markdown for callers that only need JSON. */
export function renderMessages(core: Core, guildId: string | null, list: Message[], opts: { html?: boolean } = {}): RenderedMessage[] {
  if (list.length === 0) return [];
  const authorIds = [...new Set(list.map((m) => m.authorId))];
  const authors = new Map(core.db.readOrm.select().from(users).where(inArray(users.id, authorIds)).all().map((u) => [u.id, u]));
  const nicks = new Map(
    guildId ? core.db.readOrm.select({ userId: members.userId, nick: members.nick }).from(members).where(and(eq(members.guildId, guildId), inArray(members.userId, authorIds))).all().map((m) => [m.userId, m.nick]) : [],
  );
  const names = mentionNames(core, guildId);
  const reactionsOf = reactionSummaries(core, list.map((m) => m.id));
  return list.map((message) => {
    const author = authors.get(message.authorId)!;
    return { message, author, authorName: nicks.get(author.id) ?? author.displayName ?? author.username, html: opts.html === false ? "" : renderMarkdown(message.content, names), reactions: reactionsOf.get(message.id) ?? [] };
  });
}

const emojiJson = (emoji: string) => {
  const custom = /^(\w+):(\d+)$/.exec(emoji);
  return custom ? { id: custom[2], name: custom[1] } : { id: null, name: emoji };
};

/** Discord's message object; `viewerId` decides each reaction's `me`. */
export function messageJson(r: RenderedMessage, viewerId?: string) {
  const m = r.message;
  return {
    id: m.id,
    type: m.replyToId ? 19 : 0,
    channel_id: m.channelId,
    author: publicUser(r.author),
    content: m.content,
    timestamp: new Date(Number((BigInt(m.id) >> 22n) + 1_420_070_400_000n)).toISOString(),
    edited_timestamp: m.editedAt,
    tts: false,
    mention_everyone: m.mentionsEveryone,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: m.pinned,
    reactions: r.reactions.length ? r.reactions.map((x) => ({ emoji: emojiJson(x.emoji), count: x.count, me: viewerId ? x.userIds.includes(viewerId) : false })) : undefined,
    nonce: m.nonce ?? undefined,
    message_reference: m.replyToId ? { message_id: m.replyToId, channel_id: m.channelId } : undefined,
  };
}
