// After a message change commits, render it once and publish the same bytes to every browser
// showing the channel: an <hx-partial> telling htmx where it goes.
import { MessageItem } from "../../views/messages/message.tsx";
import type { Core } from "../core.ts";
import { Topic } from "../hub/hub.ts";
import { channels } from "../guilds/table.ts";
import { eq } from "drizzle-orm";
import { renderMessages } from "./render.ts";
import { onMessageEvent, type MessageEvent } from "./service.ts";

function partial(target: string, swap: string, inner: string): string {
  return `<hx-partial hx-target="${target}" hx-swap="${swap}">${inner}</hx-partial>`;
}

function publish(core: Core, event: MessageEvent): void {
  const { message } = event;
  const topic = Topic.channelHtml(message.channelId);
  if (event.type === "delete") {
    core.hub.publish(topic, partial(`#m-${message.id}`, "delete", ""));
    return;
  }
  const guildId = core.db.readOrm.select({ guildId: channels.guildId }).from(channels).where(eq(channels.id, message.channelId)).get()?.guildId ?? null;
  const [rendered] = renderMessages(core, guildId, [message]);
  if (!rendered) return;
  const html = (<MessageItem r={rendered} />).toString();
  core.hub.publish(topic, event.type === "create" ? partial("#messages", "beforeend", html) : partial(`#m-${message.id}`, "outerHTML", html));
}

onMessageEvent(publish);
