// Deleting a message with a webhook or interaction token: the token stands for the author.
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { emitMessageEvent } from "../messages/service.ts";
import { messages, type Message } from "../messages/table.ts";

export async function deleteMessageAsAuthor(core: Core, message: Message): Promise<void> {
  await core.queue.write(({ orm }) => orm.delete(messages).where(eq(messages.id, message.id)).run());
  emitMessageEvent(core, { type: "delete", message });
}
