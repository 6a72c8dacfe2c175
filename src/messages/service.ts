// Messages: send (idempotent by nonce), read history, edit, delete. Every change is acknowledged
// only after its commit and published to the channel's topics after the commit.
import { auditMessageDelete } from "../moderation/audit-hooks.ts";
import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { readBatch, type Orm } from "../db/client.ts";
import { ids } from "../db/snowflake.ts";
import { requireChannel } from "../guilds/access.ts";
import { channels, type Channel } from "../guilds/table.ts";
import { AppError, ErrorCode, rateLimited } from "../lib/errors.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { messages, type Message } from "./table.ts";
import { readSetting } from "../instance/service.ts";
import { mentionedUsers, recordMentions, type AllowedMentions } from "./read-state.ts";
import { writeComponents, type Components } from "../interactions/components.ts";
import { writeEmbeds, type Embed } from "../embeds/service.ts";
import { customEmojiContent } from "../emoji/content.ts";
import { attachmentIdsOf, attachmentsToDrop, checkAttachments, claimAttachments, dropAttachments, type AttachmentChoice } from "../files/attach.ts";
import { automodChannelText } from "../moderation/automod/enforce.ts";

export const MAX_CONTENT = 4000;
export const MAX_NONCE = 25;
/** Default per-user send limit across channels, per 5 s (Discord allows about 5 per 5 s per channel). */
export const DEFAULT_SEND_LIMIT = 10;
/** The instance's per-user send limit per 5 s; the operator may raise it or set 0 (off), e.g. for load tests. */
function sendLimit(core: Core): number {
  const value = readSetting<number>(core.db.readOrm, "message_rate_limit");
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : DEFAULT_SEND_LIMIT;
}

export const unknownMessage = () => new AppError(404, ErrorCode.unknownRoute, "Unknown message.", { key: "error.notFound" });

/** `bulk`: one of a bulk delete or purge, announced to JSON clients once as MESSAGE_DELETE_BULK (moderation/purge.ts). */
/**
 * What a message that a send just created carries. Anything else (reactions, a thread, link
 * previews) can only come later, so the broadcast render skips those lookups.
 */
export interface FreshParts {
  author: User;
  files: boolean;
  embeds: boolean;
  components: boolean;
}
export type MessageEvent = ({ type: "create" | "update"; message: Message; filesRemoved?: boolean } | { type: "delete"; message: Message; bulk?: boolean }) & {
  /** The message's channel (null: gone); looked up once for every listener when the emitter does not pass it. */
  channel?: Channel | null;
  fresh?: FreshParts;
};
export type ResolvedMessageEvent = MessageEvent & { channel: Channel | null };
type Listener = (core: Core, event: ResolvedMessageEvent) => void;
const listeners: Listener[] = [];
/** The hub (and later features) hear about committed changes here; services never import the hub's users. */
export function onMessageEvent(listener: Listener): void {
  listeners.push(listener);
}
export function emitMessageEvent(core: Core, event: MessageEvent): void {
  emit(core, event);
}
const channelStatements = new WeakMap<Core["db"], ReturnType<typeof buildChannelQuery>>();
const buildChannelQuery = (orm: Core["db"]["readOrm"]) => orm.select().from(channels).where(eq(channels.id, sql.placeholder("id"))).prepare();
function channelRow(core: Core, channelId: string): Channel | null {
  let q = channelStatements.get(core.db);
  if (!q) channelStatements.set(core.db, (q = buildChannelQuery(core.db.readOrm)));
  return q.get({ id: channelId }) ?? null;
}

function emit(core: Core, event: MessageEvent): void {
  // The listeners' lookups (channel, authors, names, reactions) share one read transaction.
  readBatch(core.db, () => {
    const resolved: ResolvedMessageEvent = { ...event, channel: event.channel !== undefined ? event.channel : channelRow(core, event.message.channelId) };
    for (const l of listeners) {
      try {
        l(core, resolved);
      } catch (err) {
        core.logger.error("message listener failed", { err });
      }
    }
  });
}

// The retry check runs on every send that carries a nonce: prepared once per connection.
const nonceQueries = new WeakMap<Core["db"], ReturnType<typeof buildNonceQuery>>();
const buildNonceQuery = (orm: Core["db"]["readOrm"]) => orm.select().from(messages).where(and(eq(messages.authorId, sql.placeholder("author")), eq(messages.nonce, sql.placeholder("nonce")))).prepare();
function nonceQuery(core: Core) {
  let q = nonceQueries.get(core.db);
  if (!q) nonceQueries.set(core.db, (q = buildNonceQuery(core.db.readOrm)));
  return q;
}

// The same check inside the send transaction, and the insert: prepared once per writer connection.
const p = (name: string) => sql.placeholder(name);
const buildWriteQueries = (orm: Orm) => ({
  nonce: buildNonceQuery(orm),
  insert: orm
    .insert(messages)
    // reply_to_id goes to the driver as it is (a bigint or null): the column's encoder would turn null into -1.
    .values({ id: p("id"), channelId: p("channelId"), authorId: p("authorId"), content: p("content"), nonce: p("nonce"), replyToId: sql`${p("replyToId")}`, mentionsEveryone: p("mentionsEveryone") })
    .returning()
    .prepare(),
});
const writeStatements = new WeakMap<Orm, ReturnType<typeof buildWriteQueries>>();
function writeQueries(orm: Orm) {
  let q = writeStatements.get(orm);
  if (!q) writeStatements.set(orm, (q = buildWriteQueries(orm)));
  return q;
}

export interface SendInput {
  content: string;
  nonce?: string | null;
  replyToId?: string | null;
  /** Does a reply mention (notify) the original's author? Discord's API default is no. */
  replyPing?: boolean;
  /** Embeds sent with the message (validated by embeds/schema.ts); with them the content may be empty. */
  embeds?: Embed[];
  /** Staged uploads of the author in this channel (files/): claimed in the same transaction. */
  attachments?: AttachmentChoice[];
  /** Discord's allowed_mentions (parse/users/roles): which mentions notify; absent = all. */
  allowedMentions?: AllowedMentions;
  /** Buttons and select menus (only bots send them: the API checks); clicks go to the author's application. */
  components?: Components;
}

/** `allowEmpty`: a message with attachments may have no text. */
function cleanContent(raw: string, allowEmpty = false): string {
  const content = raw.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "").trim();
  if (content.length === 0 && !allowEmpty) throw new AppError(400, ErrorCode.invalidBody, "A message cannot be empty.", { fields: { content: "Cannot be empty." } });
  if (content.length > MAX_CONTENT) throw new AppError(400, ErrorCode.invalidBody, `A message has at most ${MAX_CONTENT} characters.`, { fields: { content: `At most ${MAX_CONTENT} characters.` } });
  return content;
}

/** Send a message. A repeated nonce from the same author returns the original and creates nothing. */
export async function sendMessage(core: Core, author: User, channelId: string, input: SendInput): Promise<{ message: Message; created: boolean; guildId: string | null }> {
  const access = requireChannel(core, author.id, channelId, Permission.SEND_MESSAGES);
  if (access.channel.type === 4 || access.channel.type === 2) throw new AppError(400, ErrorCode.invalidBody, "Messages cannot be sent in this kind of channel.");
  const nonce = input.nonce ?? null;
  if (nonce !== null && (nonce.length === 0 || nonce.length > MAX_NONCE)) throw new AppError(400, ErrorCode.invalidBody, "A nonce has 1 to 25 characters.", { fields: { nonce: "1 to 25 characters." } });
  if (nonce !== null) {
    const existing = nonceQuery(core).get({ author: BigInt(author.id), nonce });
    if (existing) return { message: existing, created: false, guildId: access.channel.guildId };
  }
  const files = input.attachments ?? [];
  if (files.length > 0) {
    if (!has(access.permissions, Permission.ATTACH_FILES)) throw new AppError(403, ErrorCode.forbidden, "You cannot attach files in this channel.", { key: "error.forbidden" });
    checkAttachments(core, author.id, channelId, files);
  }
  const content = customEmojiContent(core, author.id, access, cleanContent(input.content, files.length > 0 || (input.embeds?.length ?? 0) > 0 || (input.components?.length ?? 0) > 0));
  const limit = sendLimit(core);
  if (limit > 0) {
    const rate = core.limiter.hit(`send:${author.id}`, { max: limit, windowMs: 5000 });
    if (!rate.ok) throw rateLimited(rate.retryAfter);
  }
  const slowmode = access.channel.rateLimitPerUser;
  const exempt = has(access.permissions, Permission.MANAGE_MESSAGES) || has(access.permissions, Permission.MANAGE_CHANNELS);
  if (slowmode > 0 && !exempt) {
    const decision = core.limiter.hit(`slowmode:${channelId}:${author.id}`, { max: 1, windowMs: slowmode * 1000 });
    if (!decision.ok) throw rateLimited(decision.retryAfter);
  }
  await automodChannelText(core, access, author.id, content, "message");
  let replyToId: string | null = null;
  let pinged: string | null = null;
  if (input.replyToId) {
    const original = core.db.readOrm.select({ id: messages.id, authorId: messages.authorId }).from(messages).where(and(eq(messages.id, input.replyToId), eq(messages.channelId, channelId))).get();
    if (!original) throw new AppError(400, ErrorCode.invalidBody, "The message you reply to is not in this channel.", { fields: { message_reference: "Unknown message." } });
    replyToId = original.id;
    if (input.replyPing && original.authorId !== author.id) pinged = original.authorId;
  }
  const everyoneAllowed = !input.allowedMentions || (input.allowedMentions.parse?.includes("everyone") ?? false);
  const mentionsEveryone = everyoneAllowed && /@(everyone|here)\b/.test(content) && has(access.permissions, Permission.MENTION_EVERYONE);
  const id = ids.nextString();
  const result = await core.queue.write((tx) => {
    const { orm } = tx;
    // The nonce is checked again inside the transaction, so two racing retries create one message.
    if (nonce !== null) {
      const raced = writeQueries(orm).nonce.get({ author: author.id, nonce });
      if (raced) return { message: raced, created: false };
    }
    const message = writeQueries(orm).insert.get({ id, channelId, authorId: author.id, content, nonce, replyToId: replyToId === null ? null : BigInt(replyToId), mentionsEveryone });
    const mentioned = mentionedUsers(tx, message, access.channel.guildId, core, input.allowedMentions);
    recordMentions(tx, message, pinged && !mentioned.includes(pinged) ? [...mentioned, pinged] : mentioned);
    if (input.embeds?.length) writeEmbeds(orm, message.id, "api", input.embeds);
    if (files.length > 0) claimAttachments(orm, message.id, author.id, channelId, files);
    // A bot's components go to its application; a person's can only be the server's own (a /poll).
    if (input.components?.length) writeComponents(orm, message.id, author.isBot ? author.id : null, input.components);
    return { message, created: true };
  });
  if (result.created) emit(core, { type: "create", message: result.message, channel: access.channel, fresh: { author, files: files.length > 0, embeds: (input.embeds?.length ?? 0) > 0, components: (input.components?.length ?? 0) > 0 } });
  return { ...result, guildId: access.channel.guildId };
}

export interface HistoryQuery {
  limit?: number;
  before?: string;
  after?: string;
  around?: string;
}

/** History, newest first (as Discord returns it). Needs READ_MESSAGE_HISTORY. */
export function listMessages(core: Core, userId: string, channelId: string, q: HistoryQuery = {}): Message[] {
  requireChannel(core, userId, channelId, Permission.READ_MESSAGE_HISTORY);
  const limit = Math.max(1, Math.min(100, q.limit ?? 50));
  const base = eq(messages.channelId, channelId);
  const orm = core.db.readOrm;
  if (q.around) {
    const half = Math.floor(limit / 2);
    const older = orm.select().from(messages).where(and(base, lt(messages.id, q.around))).orderBy(desc(messages.id)).limit(half).all();
    const newer = orm.select().from(messages).where(and(base, sql`${messages.id} >= ${BigInt(q.around)}`)).orderBy(messages.id).limit(limit - half).all();
    return [...newer.reverse(), ...older];
  }
  if (q.after) return orm.select().from(messages).where(and(base, gt(messages.id, q.after))).orderBy(messages.id).limit(limit).all().reverse();
  const where = q.before ? and(base, lt(messages.id, q.before)) : base;
  return orm.select().from(messages).where(where).orderBy(desc(messages.id)).limit(limit).all();
}

export function findMessage(core: Core, channelId: string, messageId: string): Message {
  const message = core.db.readOrm.select().from(messages).where(and(eq(messages.id, messageId), eq(messages.channelId, channelId))).get();
  if (!message) throw unknownMessage();
  return message;
}

/** Only the author edits a message. */
/**
 * The author edits a message: its text (`undefined`: unchanged) and, as Discord's PATCH
 * `attachments`, the attachments to keep (`undefined`: all). A message with files may have no text.
 */
export async function editMessage(core: Core, userId: string, channelId: string, messageId: string, content: string | undefined, keepAttachments?: string[]): Promise<Message> {
  const access = requireChannel(core, userId, channelId);
  const message = findMessage(core, channelId, messageId);
  if (message.authorId !== userId) throw new AppError(403, ErrorCode.forbidden, "You can only edit your own messages.", { key: "error.forbidden" });
  const files = attachmentIdsOf(core, messageId);
  const drop = keepAttachments ? attachmentsToDrop(files, keepAttachments) : [];
  const withFiles = files.length - drop.length > 0;
  let clean = message.content;
  if (content !== undefined) {
    clean = customEmojiContent(core, userId, access, cleanContent(content, withFiles));
    await automodChannelText(core, access, userId, clean, "edit");
  } else if (!clean && !withFiles && drop.length > 0) cleanContent("");
  const updated = await core.queue.write(({ orm }) => {
    dropAttachments(orm, messageId, drop);
    return orm.update(messages).set({ content: clean, editedAt: new Date().toISOString() }).where(eq(messages.id, messageId)).returning().get();
  });
  emit(core, { type: "update", message: updated, filesRemoved: drop.length > 0 });
  return updated;
}

/** The author, or anyone with MANAGE_MESSAGES in the channel, deletes a message. */
export async function deleteMessage(core: Core, userId: string, channelId: string, messageId: string): Promise<void> {
  const access = requireChannel(core, userId, channelId);
  const message = findMessage(core, channelId, messageId);
  if (message.authorId !== userId && !has(access.permissions, Permission.MANAGE_MESSAGES)) throw new AppError(403, ErrorCode.forbidden, "You cannot delete this message.", { key: "error.forbidden" });
  await core.queue.write(({ orm }) => orm.delete(messages).where(eq(messages.id, messageId)).run());
  emit(core, { type: "delete", message });
  if (message.authorId !== userId) await auditMessageDelete(core, access.channel.guildId, message.authorId, channelId);
}

