// Typing indicators: a client says "I am typing in this channel" (the browser at most every
// ~8 s while keys are pressed); everyone viewing the channel is told, and forgets it after ~10 s
// or when that person's message arrives. Nothing is stored.
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { requireChannel } from "../guilds/access.ts";
import { Topic } from "../hub/hub.ts";
import { AppError, ErrorCode, rateLimited } from "../lib/errors.ts";
import { displayName, findMember, memberJson } from "../members/service.ts";
import { Permission } from "../permissions/permissions.ts";
import { typingPartial } from "./live.tsx";

/** Per user and channel: the browser sends one per ~8 s; bots get a little slack. */
export const TYPING_LIMIT = { max: 3, windowMs: 10_000 } as const;

export async function startTyping(core: Core, user: User, channelId: string): Promise<void> {
  // Typing needs what sending needs: 404 when the channel is not visible, 403 without SEND_MESSAGES.
  const access = requireChannel(core, user.id, channelId, Permission.SEND_MESSAGES);
  if (access.channel.type === 4 || access.channel.type === 2) throw new AppError(400, ErrorCode.invalidBody, "Nobody types in this kind of channel.");
  const rate = core.limiter.hit(`typing:${user.id}:${channelId}`, TYPING_LIMIT);
  if (!rate.ok) throw rateLimited(rate.retryAfter);
  const guildId = access.channel.guildId;
  const member = guildId ? findMember(core, guildId, user.id) : null;
  core.hub.gateway?.dispatch(JsonTopic.channel(channelId), "TYPING_START", {
    channel_id: channelId,
    ...(guildId ? { guild_id: guildId, member: memberJson(member!) } : {}),
    user_id: user.id,
    timestamp: Math.floor(Date.now() / 1000),
  });
  const topic = Topic.channelHtml(channelId);
  if (core.hub.subscribers(topic) > 0) core.hub.publish(topic, typingPartial(user.id, member ? displayName(member) : (user.displayName ?? user.username)));
}
