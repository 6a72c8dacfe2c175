// After a message change commits, render it once and publish the same bytes to every browser
// showing the channel: an <hx-partial> telling htmx where it goes.
import { MessageItem } from "../../views/messages/message.tsx";
import type { Core } from "../core.ts";
import { Topic } from "../hub/hub.ts";
import { messageJson, rememberRendered, renderMessages } from "./render.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { onMessageEvent, type ResolvedMessageEvent } from "./service.ts";
import { eventChannelId, isThreadType } from "../threads/rules.ts";

function partial(target: string, swap: string, inner: string): string {
  return `<hx-partial hx-target="${target}" hx-swap="${swap}">${inner}</hx-partial>`;
}

function publish(core: Core, event: ResolvedMessageEvent): void {
  const { message } = event;
  const topic = Topic.channelHtml(message.channelId);
  const row = event.channel;
  const guildId = row?.guildId ?? null;
  const jsonTopic = JsonTopic.channel(row ? eventChannelId(row) : message.channelId);
  // A thread's messages go to the list of the thread pane, which has its own socket on the thread's topic.
  const list = row && isThreadType(row.type) ? "#thread-messages" : "#messages";
  if (event.type === "delete") {
    core.hub.publish(topic, partial(`#m-${message.id}`, "delete", ""));
    if (!event.bulk) core.hub.gateway?.dispatch(jsonTopic, "MESSAGE_DELETE", { id: message.id, channel_id: message.channelId, guild_id: guildId ?? undefined });
    return;
  }
  const [rendered] = renderMessages(core, guildId, [message], { fresh: event.fresh });
  if (!rendered) return;
  rememberRendered(rendered);
  core.hub.gateway?.dispatch(jsonTopic, event.type === "create" ? "MESSAGE_CREATE" : "MESSAGE_UPDATE", { ...messageJson(rendered), guild_id: guildId ?? undefined });
  const html = (<MessageItem r={rendered} />).toString();
  core.hub.publish(topic, event.type === "create" ? partial(list, "beforeend", html) : partial(`#m-${message.id}`, "outerHTML", html));
}

onMessageEvent(publish);
