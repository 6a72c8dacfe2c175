// What a thread is and what may be done in one, free of I/O so every layer can share it.
import { has, Permission } from "../permissions/permissions.ts";

export const PUBLIC_THREAD = 11;
export const PRIVATE_THREAD = 12;
export const THREAD_TYPES: readonly number[] = [PUBLIC_THREAD, PRIVATE_THREAD];
export const isThreadType = (type: number) => THREAD_TYPES.includes(type);

/** Discord's choices, in minutes: 1 hour, 24 hours, 3 days, 1 week. */
export const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;
export type AutoArchiveDuration = (typeof AUTO_ARCHIVE_DURATIONS)[number];
export const DEFAULT_AUTO_ARCHIVE: AutoArchiveDuration = 1440;
export const THREAD_NAME_MAX = 100;
/** How long a name taken from the starter message may be before it is cut. */
export const DEFAULT_NAME_LENGTH = 40;

export const isAutoArchiveDuration = (value: number): value is AutoArchiveDuration => (AUTO_ARCHIVE_DURATIONS as readonly number[]).includes(value);

/** These mean nothing without the right to send, as in channelPermissions for text channels. */
const NEEDS_SEND = Permission.MENTION_EVERYONE | Permission.SEND_TTS_MESSAGES | Permission.ATTACH_FILES | Permission.EMBED_LINKS;

/**
 * A thread's permissions come from its parent channel (Discord): inside a thread,
 * SEND_MESSAGES_IN_THREADS plays the part of SEND_MESSAGES, so the message code keeps asking for
 * SEND_MESSAGES and needs no thread special case. A locked thread takes messages only from people
 * who manage threads.
 */
export function threadPermissions(parent: bigint, state: { locked: boolean }): bigint {
  const canSend = has(parent, Permission.SEND_MESSAGES_IN_THREADS) && (!state.locked || has(parent, Permission.MANAGE_THREADS));
  let perms = parent & ~Permission.SEND_MESSAGES;
  if (canSend) perms |= Permission.SEND_MESSAGES;
  else perms &= ~NEEDS_SEND;
  return perms;
}

/** A default name for a thread started from a message: the start of its text. */
export function nameFromContent(content: string): string {
  const flat = content.replace(/[`*_~|>#]/g, "").replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > DEFAULT_NAME_LENGTH ? `${chars.slice(0, DEFAULT_NAME_LENGTH - 1).join("").trimEnd()}…` : flat;
}

/**
 * The channel whose JSON topic carries a channel's events. A public thread's go to its parent:
 * whoever may see the parent may see the thread, so gateway sessions hear threads created after
 * they connected without any new subscription (Discord sends thread messages to the same people).
 */
export function eventChannelId(channel: { id: string; type: number; parentId: string | null }): string {
  return channel.type === PUBLIC_THREAD && channel.parentId ? channel.parentId : channel.id;
}
