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
