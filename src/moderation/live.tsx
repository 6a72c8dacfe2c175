// A timed-out member's open tabs follow the timeout live: when it is set, every tab of theirs
// showing a channel of that server swaps its composer for the notice; when it is removed, the
// notice says so and the page reloads to bring the composer back (the composer's script binds
// once per page). One fragment on the member's own topic, rendered in their language; tabs
// showing another server have no matching slot and ignore it.
import { SendBlocked, SendRestored } from "../../views/moderation/pages.tsx";
import type { Core } from "../core.ts";
import { Topic } from "../hub/hub.ts";
import { localeCtx, localeOf, partial } from "../presence/live.tsx";
import { findUser } from "../users/service.ts";

export function publishTimeout(core: Core, guildId: string, userId: string, until: string | null): void {
  const topic = Topic.user(userId);
  if (core.hub.subscribers(topic) === 0) return;
  const user = findUser(core, userId);
  if (!user) return;
  const ctx = localeCtx(localeOf(user), user);
  const body = until ? <SendBlocked ctx={ctx} guildId={guildId} until={until} rules={null} /> : <SendRestored ctx={ctx} guildId={guildId} />;
  core.hub.publish(topic, partial(`[data-send-slot='${guildId}']`, "outerHTML", body.toString()));
}
