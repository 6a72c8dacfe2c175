// Pins: a short list of messages a channel wants to keep at hand. Pinning needs PIN_MESSAGES
// (every member of a DM has it); the list is ordered by when each message was pinned.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { Permission } from "../permissions/permissions.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { auditPin } from "../moderation/audit-hooks.ts";
import { emitMessageEvent, findMessage } from "./service.ts";
import { messages, type Message } from "./table.ts";

/** Discord's current limit per channel. */
export const MAX_PINS = 250;

async function setPinned(core: Core, userId: string, channelId: string, messageId: string, pinned: boolean): Promise<Message> {
  const access = requireChannel(core, userId, channelId, Permission.PIN_MESSAGES);
  const message = findMessage(core, channelId, messageId);
  if (message.pinned === pinned) return message;
  const updated = await core.queue.write(({ orm }) => {
    if (pinned) {
      const count = orm.select({ n: sql<number>`count(*)` }).from(messages).where(and(eq(messages.channelId, channelId), eq(messages.pinned, true))).get()?.n ?? 0;
      if (Number(count) >= MAX_PINS) throw new AppError(400, ErrorCode.invalidBody, `A channel has at most ${MAX_PINS} pinned messages. Unpin one first.`, { key: "message.pinLimit", params: { max: MAX_PINS } });
    }
    return orm.update(messages).set({ pinned, pinnedAt: pinned ? new Date().toISOString() : null }).where(eq(messages.id, messageId)).returning().get();
  });
  emitMessageEvent(core, { type: "update", message: updated });
  const last = latestPin(core, channelId);
  core.hub.gateway?.dispatch(JsonTopic.channel(channelId), "CHANNEL_PINS_UPDATE", { guild_id: access.channel.guildId ?? undefined, channel_id: channelId, last_pin_timestamp: last });
  await auditPin(core, access.channel.guildId, updated, pinned);
  return updated;
}

export const pinMessage = (core: Core, userId: string, channelId: string, messageId: string) => setPinned(core, userId, channelId, messageId, true);
export const unpinMessage = (core: Core, userId: string, channelId: string, messageId: string) => setPinned(core, userId, channelId, messageId, false);

function latestPin(core: Core, channelId: string): string | null {
  return core.db.readOrm.select({ at: messages.pinnedAt }).from(messages).where(and(eq(messages.channelId, channelId), eq(messages.pinned, true))).orderBy(desc(messages.pinnedAt)).limit(1).get()?.at ?? null;
}

/** Pinned messages, most recently pinned first; `before` is a pinned_at timestamp (paging). */
export function listPins(core: Core, userId: string, channelId: string, opts: { before?: string; limit?: number } = {}): Message[] {
  requireChannel(core, userId, channelId, Permission.READ_MESSAGE_HISTORY);
  const limit = Math.max(1, Math.min(MAX_PINS, opts.limit ?? 50));
  const where = and(eq(messages.channelId, channelId), eq(messages.pinned, true), opts.before ? sql`${messages.pinnedAt} < ${opts.before}` : undefined);
  return core.db.readOrm.select().from(messages).where(where).orderBy(desc(messages.pinnedAt)).limit(limit).all();
}
