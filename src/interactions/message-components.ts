// Components on messages sent through the channel routes: only applications send them (bots; a
// person's client cannot, as on Discord), and only the author changes them.
import { eq } from "drizzle-orm";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { emitMessageEvent, findMessage } from "../messages/service.ts";
import { messages, type Message } from "../messages/table.ts";
import { writeComponents, type Components } from "./components.ts";

export function onlyApplications(user: User): void {
  if (!user.isBot) throw new AppError(400, ErrorCode.invalidBody, "Only applications can send message components.", { fields: { components: "Only bots and webhooks send components." } });
}

export async function changeComponents(core: Core, user: User, channelId: string, messageId: string, components: Components): Promise<Message> {
  requireChannel(core, user.id, channelId);
  const message = findMessage(core, channelId, messageId);
  if (message.authorId !== user.id) throw new AppError(403, ErrorCode.forbidden, "You can only edit your own messages.", { key: "error.forbidden" });
  if (components.length) onlyApplications(user);
  const updated = await core.queue.write(({ orm }) => {
    writeComponents(orm, messageId, user.id, components);
    return orm.select().from(messages).where(eq(messages.id, messageId)).get()!;
  });
  emitMessageEvent(core, { type: "update", message: updated });
  return updated;
}
