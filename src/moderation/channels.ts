// Channel tools for moderators: lock a channel in one click (deny SEND_MESSAGES, and sending in
// its threads, to @everyone through the channel's overwrite, keeping the rest of that overwrite),
// and move a message into a thread of its channel (an existing one, or a new one named for it).
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { setOverwrite } from "../channels/service.ts";
import { effectiveOverwrites, requireChannel, unknownChannel } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { emitMessageEvent, findMessage } from "../messages/service.ts";
import { messages, type Message } from "../messages/table.ts";
import { Permission } from "../permissions/permissions.ts";
import { startThread } from "../threads/service.ts";
import { isThreadType } from "../threads/rules.ts";
import { AuditAction, audit } from "./audit.ts";

const LOCK_BITS = Permission.SEND_MESSAGES | Permission.SEND_MESSAGES_IN_THREADS | Permission.CREATE_PUBLIC_THREADS;

/** Is the channel locked (its @everyone overwrite denies SEND_MESSAGES)? */
export function isLocked(core: Core, channelId: string, guildId: string, userId: string): boolean {
  const { channel } = requireChannel(core, userId, channelId);
  const everyone = effectiveOverwrites(core, channel).find((o) => o.id === guildId);
  return Boolean(everyone && (everyone.deny & Permission.SEND_MESSAGES) !== 0n);
}

/** Lock or unlock: MANAGE_ROLES in the channel (as for any overwrite) and MANAGE_CHANNELS. */
export async function lockChannel(core: Core, userId: string, channelId: string, locked: boolean): Promise<void> {
  const access = requireChannel(core, userId, channelId, Permission.MANAGE_CHANNELS);
  if (!access.guild || access.channel.type !== 0) throw new AppError(400, ErrorCode.invalidBody, "Only a server's text channels can be locked.");
  const guildId = access.guild.guild.id;
  const current = effectiveOverwrites(core, access.channel).find((o) => o.id === guildId) ?? { allow: 0n, deny: 0n };
  const deny = locked ? current.deny | LOCK_BITS : current.deny & ~LOCK_BITS;
  const allow = current.allow & ~(locked ? LOCK_BITS : 0n);
  // setOverwrite checks MANAGE_ROLES and writes the CHANNEL_OVERWRITE_* audit entry.
  await setOverwrite(core, userId, channelId, { targetId: guildId, type: 0, allow, deny });
}

/** Move a message into a thread of the same channel: MANAGE_MESSAGES there. */
export async function moveToThread(core: Core, userId: string, channelId: string, messageId: string, target: { threadId?: string; name?: string }): Promise<{ message: Message; threadId: string }> {
  const access = requireChannel(core, userId, channelId, Permission.MANAGE_MESSAGES);
  if (!access.guild || isThreadType(access.channel.type)) throw new AppError(400, ErrorCode.invalidBody, "Messages move from a server's text channel into one of its threads.");
  const message = findMessage(core, channelId, messageId);
  let threadId = target.threadId;
  if (threadId) {
    const thread = requireChannel(core, userId, threadId, Permission.VIEW_CHANNEL);
    if (!isThreadType(thread.channel.type) || thread.channel.parentId !== channelId) throw new AppError(400, ErrorCode.invalidBody, "The thread is not in this channel.", { fields: { thread_id: "Not a thread of this channel." } });
  } else {
    const name = (target.name ?? "").trim() || message.content.replace(/\s+/g, " ").slice(0, 80) || "Moved message";
    threadId = (await startThread(core, userId, channelId, { name })).id;
  }
  const moved = await core.queue.write(({ orm }) => orm.update(messages).set({ channelId: threadId }).where(eq(messages.id, messageId)).returning().get());
  if (!moved) throw unknownChannel();
  emitMessageEvent(core, { type: "delete", message });
  emitMessageEvent(core, { type: "create", message: moved });
  await audit(core, { guildId: access.guild.guild.id, userId, action: AuditAction.MESSAGE_MOVE, targetId: message.authorId, options: { channel_id: channelId, message_id: messageId, thread_id: threadId } });
  return { message: moved, threadId };
}
