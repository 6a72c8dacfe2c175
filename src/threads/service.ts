// Threads: start one from a message or in a channel, change its name and archive settings,
// delete it. A thread is a channel (type 11) under a text channel; its permissions come from that
// channel (guilds/access.ts), its messages go through the normal message code.
import { and, eq } from "drizzle-orm";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { missingPermission, requireChannel, type ChannelAccess } from "../guilds/access.ts";
import { automodChannelText } from "../moderation/automod/enforce.ts";
import { auditThread } from "../moderation/audit-hooks.ts";
import { channels, type Channel } from "../guilds/table.ts";
import { ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { unknownMessage } from "../messages/service.ts";
import { messages } from "../messages/table.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { emitThreadEvent } from "./events.ts";
import { requireThread } from "./queries.ts";
import { DEFAULT_AUTO_ARCHIVE, isAutoArchiveDuration, PUBLIC_THREAD, THREAD_NAME_MAX } from "./rules.ts";
import { threadMembers, threads, type ThreadRow } from "./table.ts";

/** Discord's JSON error codes for thread refusals. */
export const ThreadErrorCode = { wrongChannelType: 50024, archived: 50083, alreadyCreated: 160004 } as const;
export const MAX_THREAD_SLOWMODE = 21_600;

export interface NewThread {
  name: string;
  autoArchiveDuration?: number;
  rateLimitPerUser?: number;
  type?: number;
}

function threadName(raw: string): string {
  const name = cleanText(raw);
  const length = [...name].length;
  if (length < 1 || length > THREAD_NAME_MAX) throw fieldError({ name: "thread.nameLength" });
  return name;
}

function checkDuration(value: number | undefined): number | undefined {
  if (value !== undefined && !isAutoArchiveDuration(value)) throw fieldError({ auto_archive_duration: "thread.duration" });
  return value;
}

function checkSlowmode(value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_THREAD_SLOWMODE)) throw fieldError({ rate_limit_per_user: "thread.slowmode" });
  return value;
}

/** Threads grow from a server's text channels only (not a DM, a voice channel, a category or another thread). */
function threadParent(core: Core, userId: string, channelId: string): ChannelAccess {
  const access = requireChannel(core, userId, channelId);
  if (!access.guild || access.channel.type !== 0) throw keyedError(400, ThreadErrorCode.wrongChannelType, "thread.wrongChannel");
  if (!has(access.permissions, Permission.CREATE_PUBLIC_THREADS)) throw missingPermission();
  return access;
}

async function insertThread(core: Core, userId: string, parent: Channel, id: string, starterMessageId: string | null, input: NewThread): Promise<Channel | null> {
  const name = threadName(input.name);
  await automodChannelText(core, requireChannel(core, userId, parent.id), userId, name, "thread");
  const duration = checkDuration(input.autoArchiveDuration) ?? DEFAULT_AUTO_ARCHIVE;
  const slowmode = checkSlowmode(input.rateLimitPerUser) ?? 0;
  const now = new Date();
  const thread = await core.queue.write(({ orm }) => {
    // Checked again inside the transaction: two people starting a thread on one message make one.
    if (orm.select({ id: channels.id }).from(channels).where(eq(channels.id, id)).get()) return null;
    const channel = orm
      .insert(channels)
      .values({ id, guildId: parent.guildId, type: PUBLIC_THREAD, name, topic: "", position: 0, parentId: parent.id, rateLimitPerUser: slowmode, nsfw: parent.nsfw, synced: true, ownerId: userId, createdAt: now.toISOString() })
      .returning()
      .get();
    orm.insert(threads).values({ channelId: id, starterMessageId, archived: false, locked: false, autoArchiveDuration: duration, archiveTimestamp: now.toISOString(), activeAt: now.getTime() }).run();
    orm.insert(threadMembers).values({ threadId: id, userId, joinTimestamp: now.toISOString() }).run();
    return channel;
  });
  if (thread) {
    emitThreadEvent(core, { type: "create", thread });
    const created = { ...thread, archived: false, locked: false, autoArchiveDuration: duration };
    await auditThread(core, thread.guildId, null, created);
  }
  return thread;
}

/** Start a thread from a message: the thread takes the message's id, as in Discord. */
export async function startThreadFromMessage(core: Core, userId: string, channelId: string, messageId: string, input: NewThread): Promise<Channel> {
  const { channel: parent } = threadParent(core, userId, channelId);
  const message = core.db.readOrm.select({ id: messages.id }).from(messages).where(and(eq(messages.id, messageId), eq(messages.channelId, channelId))).get();
  if (!message) throw unknownMessage();
  const thread = await insertThread(core, userId, parent, message.id, message.id, input);
  if (!thread) throw keyedError(400, ThreadErrorCode.alreadyCreated, "thread.exists");
  return thread;
}

/** Start a thread with no starter message. Public threads only: private ones (type 12) are refused, not faked. */
export async function startThread(core: Core, userId: string, channelId: string, input: NewThread): Promise<Channel> {
  if (input.type !== undefined && input.type !== PUBLIC_THREAD) throw fieldError({ type: "thread.publicOnly" });
  const { channel: parent } = threadParent(core, userId, channelId);
  return (await insertThread(core, userId, parent, ids.nextString(), null, input))!;
}

export interface ThreadPatch {
  name?: string;
  archived?: boolean;
  locked?: boolean;
  autoArchiveDuration?: number;
  rateLimitPerUser?: number;
}

/**
 * Its owner or anyone with MANAGE_THREADS renames, archives and reopens a thread; locking and
 * slowmode need MANAGE_THREADS. While archived, a thread only takes being reopened (Discord), and
 * a locked one is reopened only by MANAGE_THREADS.
 */
export async function updateThread(core: Core, userId: string, threadId: string, patch: ThreadPatch): Promise<Channel> {
  const { channel, state, permissions } = requireThread(core, userId, threadId);
  const manage = has(permissions, Permission.MANAGE_THREADS);
  if (!manage && channel.ownerId !== userId) throw missingPermission();
  if (!manage && (patch.locked !== undefined || patch.rateLimitPerUser !== undefined)) throw missingPermission();
  const reopening = patch.archived === false && state.archived;
  if (reopening && state.locked && !manage) throw keyedError(403, ErrorCode.forbidden, "thread.locked");
  const editsContent = patch.name !== undefined || patch.autoArchiveDuration !== undefined || patch.rateLimitPerUser !== undefined;
  if (state.archived && patch.archived !== false && editsContent) throw keyedError(400, ThreadErrorCode.archived, "thread.archived");
  const setChannel: Partial<Channel> = {};
  if (patch.name !== undefined) setChannel.name = threadName(patch.name);
  if (setChannel.name !== undefined) await automodChannelText(core, requireChannel(core, userId, threadId), userId, setChannel.name, "thread");
  const slowmode = checkSlowmode(patch.rateLimitPerUser);
  if (slowmode !== undefined) setChannel.rateLimitPerUser = slowmode;
  const setState: Partial<ThreadRow> = {};
  const duration = checkDuration(patch.autoArchiveDuration);
  if (duration !== undefined) setState.autoArchiveDuration = duration;
  if (patch.locked !== undefined) setState.locked = patch.locked;
  if (patch.archived !== undefined && patch.archived !== state.archived) {
    const now = new Date();
    setState.archived = patch.archived;
    setState.archiveTimestamp = now.toISOString();
    // Reopening starts a new period of activity: otherwise the next sweep would archive it again at once.
    if (!patch.archived) setState.activeAt = now.getTime();
  }
  if (Object.keys(setChannel).length === 0 && Object.keys(setState).length === 0) return channel;
  const updated = await core.queue.write(({ orm }) => {
    if (Object.keys(setState).length) orm.update(threads).set(setState).where(eq(threads.channelId, threadId)).run();
    return Object.keys(setChannel).length ? orm.update(channels).set(setChannel).where(eq(channels.id, threadId)).returning().get() : channel;
  });
  emitThreadEvent(core, { type: "update", thread: updated });
  await auditThread(core, channel.guildId, { ...channel, ...state }, { ...updated, ...state, ...setState });
  return updated;
}

/** MANAGE_THREADS deletes a thread and its messages. */
export async function deleteThread(core: Core, userId: string, threadId: string): Promise<Channel> {
  const { channel, state } = requireThread(core, userId, threadId, Permission.MANAGE_THREADS);
  await core.queue.write(({ orm }) => orm.delete(channels).where(eq(channels.id, threadId)).run());
  emitThreadEvent(core, { type: "delete", thread: channel, starterMessageId: state.starterMessageId });
  await auditThread(core, channel.guildId, { ...channel, ...state }, null);
  // Sockets listening to the thread lose it like any deleted channel.
  core.hub.recheckAccess();
  return channel;
}
