// After a message change commits, render it once and publish the same bytes to every browser
// showing the channel: an <hx-partial> telling htmx where it goes.
import { MessageItem } from "../../views/messages/message.tsx";
import type { Core } from "../core.ts";
import { Topic } from "../hub/hub.ts";
import { channels } from "../guilds/table.ts";
import { eq, sql } from "drizzle-orm";
import { messageJson, renderMessages } from "./render.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { onMessageEvent, type MessageEvent } from "./service.ts";

function partial(target: string, swap: string, inner: string): string {
  return `<hx-partial hx-target="${target}" hx-swap="${swap}">${inner}</hx-partial>`;
}

// Runs for every message: prepared once per connection.
const guildQueries = new WeakMap<Core["db"], ReturnType<typeof buildGuildQuery>>();
const buildGuildQuery = (orm: Core["db"]["readOrm"]) => orm.select({ guildId: channels.guildId }).from(channels).where(eq(channels.id, sql.placeholder("id"))).prepare();
function guildQuery(core: Core) {
  let q = guildQueries.get(core.db);
  if (!q) guildQueries.set(core.db, (q = buildGuildQuery(core.db.readOrm)));
  return q;
}

function publish(core: Core, event: MessageEvent): void {
  const { message } = event;
  const topic = Topic.channelHtml(message.channelId);
  const guildId = guildQuery(core).get({ id: message.channelId })?.guildId ?? null;
  const jsonTopic = JsonTopic.channel(message.channelId);
  if (event.type === "delete") {
    core.hub.publish(topic, partial(`#m-${message.id}`, "delete", ""));
    core.hub.gateway?.dispatch(jsonTopic, "MESSAGE_DELETE", { id: message.id, channel_id: message.channelId, guild_id: guildId ?? undefined });
    return;
  }
  const [rendered] = renderMessages(core, guildId, [message]);
  if (!rendered) return;
  core.hub.gateway?.dispatch(jsonTopic, event.type === "create" ? "MESSAGE_CREATE" : "MESSAGE_UPDATE", { ...messageJson(rendered), guild_id: guildId ?? undefined });
  const html = (<MessageItem r={rendered} />).toString();
  core.hub.publish(topic, event.type === "create" ? partial("#messages", "beforeend", html) : partial(`#m-${message.id}`, "outerHTML", html));
}

onMessageEvent(publish);
