// Messages that applications post outside the channel routes: interaction responses and
// follow-ups (as the application's bot) and webhook executions (as the webhook). The interaction
// or the webhook token is the permission, as on Discord: the bot need not be able to send in the
// channel, and a webhook is never a member. Everything else is the usual send: cleaned content,
// mentions within allowed_mentions, embeds, components, one commit, one broadcast.
import { eq } from "drizzle-orm";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { writeEmbeds, fromInput } from "../embeds/service.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { mentionedUsers, recordMentions } from "../messages/read-state.ts";
import { emitMessageEvent, MAX_CONTENT } from "../messages/service.ts";
import { messages, type Message } from "../messages/table.ts";
import { webhookMessages } from "../webhooks/table.ts";
import { writeComponents } from "./components.ts";
import type { MessagePayload } from "./payload.ts";

export interface AppPost {
  author: User;
  channelId: string;
  guildId: string | null;
  payload: MessagePayload;
  /** The application that hears clicks on the components (null: none may be sent). */
  componentsApp: string | null;
  webhook?: { id: string; username?: string | null; avatarUrl?: string | null };
}

export const emptyMessage = () => new AppError(400, 50006, "Cannot send an empty message.", { fields: { content: "A message needs content, embeds or components." } });

export function cleanAppContent(raw: string | undefined): string {
  const content = (raw ?? "").replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "").trim();
  if (content.length > MAX_CONTENT) throw new AppError(400, ErrorCode.invalidBody, `A message has at most ${MAX_CONTENT} characters.`, { fields: { content: `At most ${MAX_CONTENT} characters.` } });
  return content;
}

export async function postAsApp(core: Core, post: AppPost): Promise<Message> {
  const { payload } = post;
  const content = cleanAppContent(payload.content);
  const components = payload.components ?? [];
  if (components.length && post.componentsApp === null) throw new AppError(400, ErrorCode.invalidBody, "Only webhooks owned by an application can send components.", { fields: { components: "Not allowed for this webhook." } });
  if (!content && !payload.embeds?.length && !components.length) throw emptyMessage();
  const allowed = payload.allowed_mentions;
  const everyone = (!allowed || (allowed.parse?.includes("everyone") ?? false)) && /@(everyone|here)\b/.test(content);
  const id = ids.nextString();
  const message = await core.queue.write((tx) => {
    const { orm } = tx;
    const created = orm.insert(messages).values({ id, channelId: post.channelId, authorId: post.author.id, content, nonce: null, mentionsEveryone: everyone }).returning().get();
    recordMentions(tx, created, mentionedUsers(tx, created, post.guildId, core, allowed));
    if (payload.embeds?.length) writeEmbeds(orm, id, "api", payload.embeds.map(fromInput));
    if (components.length) writeComponents(orm, id, post.componentsApp, components);
    if (post.webhook) orm.insert(webhookMessages).values({ messageId: id, webhookId: post.webhook.id, username: post.webhook.username ?? null, avatarUrl: post.webhook.avatarUrl ?? null }).run();
    return created;
  });
  emitMessageEvent(core, { type: "create", message });
  return message;
}

/** Edit an application's message (interaction @original, follow-ups, webhook messages, update-message responses). */
export async function editAsApp(core: Core, message: Message, payload: MessagePayload, componentsApp: string | null): Promise<Message> {
  const content = payload.content === undefined ? undefined : cleanAppContent(payload.content);
  if (payload.components?.length && componentsApp === null) throw new AppError(400, ErrorCode.invalidBody, "Only webhooks owned by an application can send components.", { fields: { components: "Not allowed for this webhook." } });
  const updated = await core.queue.write(({ orm }) => {
    if (content !== undefined) orm.update(messages).set({ content, editedAt: new Date().toISOString() }).where(eq(messages.id, message.id)).run();
    if (payload.embeds !== undefined) writeEmbeds(orm, message.id, "api", payload.embeds.map(fromInput));
    if (payload.components !== undefined) writeComponents(orm, message.id, componentsApp, payload.components);
    return orm.select().from(messages).where(eq(messages.id, message.id)).get()!;
  });
  emitMessageEvent(core, { type: "update", message: updated });
  return updated;
}
