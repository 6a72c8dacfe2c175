// Changing a message's embeds after it was sent: replacing the ones sent with it (the author, as
// Discord's PATCH with `embeds`) and hiding or showing them all (SUPPRESS_EMBEDS, the author or
// anyone with MANAGE_MESSAGES, as in Discord). One commit, one live update.
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { emitMessageEvent, findMessage } from "../messages/service.ts";
import { messages, type Message } from "../messages/table.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { writeEmbeds, type Embed } from "./service.ts";

/** Discord's message flag for "embeds hidden". */
export const SUPPRESS_EMBEDS = 1 << 2;

export async function changeEmbeds(core: Core, userId: string, channelId: string, messageId: string, change: { embeds?: Embed[]; suppress?: boolean }): Promise<Message> {
  const access = requireChannel(core, userId, channelId);
  const message = findMessage(core, channelId, messageId);
  const author = message.authorId === userId;
  if (change.embeds !== undefined && !author) throw new AppError(403, ErrorCode.forbidden, "You can only edit your own messages.", { key: "error.forbidden" });
  if (change.suppress !== undefined && !author && !has(access.permissions, Permission.MANAGE_MESSAGES)) throw new AppError(403, ErrorCode.forbidden, "You cannot change the embeds of this message.", { key: "error.forbidden" });
  const updated = await core.queue.write(({ orm }) => {
    if (change.embeds !== undefined) writeEmbeds(orm, messageId, "api", change.embeds);
    if (change.suppress !== undefined) orm.update(messages).set({ suppressEmbeds: change.suppress }).where(eq(messages.id, messageId)).run();
    return orm.select().from(messages).where(eq(messages.id, messageId)).get()!;
  });
  emitMessageEvent(core, { type: "update", message: updated });
  return updated;
}
