// Removing other people's reactions (MANAGE_MESSAGES), as Discord's API does it: one person's
// reaction, every reaction with one emoji, or all of a message's reactions.
import { and, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { Permission } from "../permissions/permissions.ts";
import { eventChannelId } from "../threads/rules.ts";
import { parseEmoji } from "./reactions.ts";
import { emitMessageEvent, findMessage } from "./service.ts";
import { reactions } from "./table.ts";

const emojiObject = (emoji: string) => {
  const custom = /^(\w+):(\d+)$/.exec(emoji);
  return custom ? { id: custom[2], name: custom[1] } : { id: null, name: emoji };
};

/** `emoji` null: every reaction; `targetId` null: everyone's reactions with that emoji. */
export async function removeReactions(core: Core, actorId: string, channelId: string, messageId: string, rawEmoji: string | null, targetId: string | null): Promise<void> {
  const access = requireChannel(core, actorId, channelId, Permission.MANAGE_MESSAGES);
  const message = findMessage(core, channelId, messageId);
  const emoji = rawEmoji === null ? null : parseEmoji(rawEmoji);
  if (rawEmoji !== null && !emoji) throw new AppError(400, ErrorCode.invalidBody, "Unknown emoji.", { fields: { emoji: "Not an emoji." } });
  const where = and(eq(reactions.messageId, messageId), emoji ? eq(reactions.emoji, emoji) : undefined, targetId ? eq(reactions.userId, targetId) : undefined);
  const removed = await core.queue.write(({ orm }) => orm.delete(reactions).where(where).returning({ emoji: reactions.emoji }).all().length);
  if (removed === 0) return;
  emitMessageEvent(core, { type: "update", message });
  const base = { channel_id: channelId, message_id: messageId, guild_id: access.channel.guildId ?? undefined };
  const topic = JsonTopic.channel(eventChannelId(access.channel));
  if (targetId && emoji) core.hub.gateway?.dispatch(topic, "MESSAGE_REACTION_REMOVE", { ...base, user_id: targetId, emoji: emojiObject(emoji) });
  else if (emoji) core.hub.gateway?.dispatch(topic, "MESSAGE_REACTION_REMOVE_EMOJI", { ...base, emoji: emojiObject(emoji) });
  else core.hub.gateway?.dispatch(topic, "MESSAGE_REACTION_REMOVE_ALL", base);
}
