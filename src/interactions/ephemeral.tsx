// Ephemeral messages (flag 64): shown only to the person who invoked the interaction, in the
// tabs where they have that channel open, and never stored. They travel on the person's own
// topic and land in the channel's list by its data-channel-id.
import { MessageItem } from "../../views/messages/message.tsx";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { Topic } from "../hub/hub.ts";
import { isLocale, translator } from "../i18n/index.ts";
import { renderMessages } from "../messages/render.ts";
import type { Message } from "../messages/table.ts";

export function publishEphemeral(core: Core, viewer: User, guildId: string | null, message: Message, replace: boolean): void {
  const [r] = renderMessages(core, guildId, [message]);
  if (!r) return;
  const t = translator(isLocale(viewer.locale) ? viewer.locale : "en");
  const html = (
    <div class="ephemeral-message" id={`eph-${message.id}`}>
      <MessageItem r={r} />
      <p class="ephemeral-note muted small">{t("interactions.onlyYou")}</p>
    </div>
  ).toString();
  const target = replace ? `#eph-${message.id}` : `#messages[data-channel-id="${message.channelId}"]`;
  core.hub.publish(Topic.user(viewer.id), `<hx-partial hx-target='${target}' hx-swap="${replace ? "outerHTML" : "beforeend"}">${html}</hx-partial>`);
}

/**
 * After a deferral (callback type 5), the invoker sees "<app> is thinking…" at the end of the
 * channel until the reply comes (Discord's loading state). Like ephemeral messages it is not
 * stored and travels on their own topic; a reload drops it.
 */
export function publishThinking(core: Core, viewer: User, channelId: string, interactionId: string, appName: string): void {
  const t = translator(isLocale(viewer.locale) ? viewer.locale : "en");
  const html = (
    <div class="interaction-thinking" id={`think-${interactionId}`} role="status">
      <span class="thinking-dots" aria-hidden="true"></span>
      <span hx-ignore="">{t("interactions.thinking", { name: appName })}</span>
    </div>
  ).toString();
  core.hub.publish(Topic.user(viewer.id), `<hx-partial hx-target='#messages[data-channel-id="${channelId}"]' hx-swap="beforeend">${html}</hx-partial>`);
}

export function clearThinking(core: Core, viewerId: string, interactionId: string): void {
  core.hub.publish(Topic.user(viewerId), `<hx-partial hx-target="#think-${interactionId}" hx-swap="delete"></hx-partial>`);
}
