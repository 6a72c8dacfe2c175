// DM calls ring: the first person in a DM's call makes every other recipient's pages show a
// banner (their user topic), which goes away when they join, decline, the call empties, or after
// RING_MS. A decline tells the people in the call.
import { CallRing } from "../../views/voice/ring.tsx";
import type { Core } from "../core.ts";
import { dmRecipients } from "../guilds/table.ts";
import { Topic } from "../hub/hub.ts";
import { localeCtx, localeOf, partial } from "../presence/live.tsx";
import { findUser } from "../users/service.ts";
import { eq } from "drizzle-orm";
import { roomTopic } from "./live.tsx";
import type { Voice } from "./service.ts";

export const RING_MS = 30_000;
const timers = new Map<string, Timer>();

function recipients(core: Core, channelId: string): string[] {
  return core.db.readOrm.select({ userId: dmRecipients.userId }).from(dmRecipients).where(eq(dmRecipients.channelId, channelId)).all().map((r) => r.userId);
}

/** The other people of a DM. */
export const dmPartnersOf = (core: Core, channelId: string, userId: string) => recipients(core, channelId).filter((id) => id !== userId);

const clear = (core: Core, userId: string) => core.hub.publish(Topic.user(userId), partial("#call-ring", "innerHTML", ""));

/** After someone joined a DM call: ring the recipients who are not in it (only when it just started). */
export function ringFor(v: Voice, channelId: string, callerId: string): void {
  const core = v.core;
  const inCall = new Set(v.states.inChannel(channelId).map((p) => p.userId));
  clear(core, callerId);
  if (inCall.size !== 1) return;
  const caller = findUser(core, callerId);
  if (!caller) return;
  for (const userId of recipients(core, channelId)) {
    if (inCall.has(userId)) continue;
    const user = findUser(core, userId);
    if (!user) continue;
    const html = (<CallRing ctx={localeCtx(localeOf(user), user)} channelId={channelId} caller={caller.displayName ?? caller.username} />).toString();
    core.hub.publish(Topic.user(userId), partial("#call-ring", "innerHTML", html));
  }
  clearTimeout(timers.get(channelId));
  const timer = setTimeout(() => stopRinging(v, channelId), RING_MS);
  timer.unref?.();
  timers.set(channelId, timer);
}

/** The call emptied or timed out: no one is rung any more. */
export function stopRinging(v: Voice, channelId: string): void {
  clearTimeout(timers.get(channelId));
  timers.delete(channelId);
  const inCall = new Set(v.states.inChannel(channelId).map((p) => p.userId));
  for (const userId of recipients(v.core, channelId)) if (!inCall.has(userId)) clear(v.core, userId);
}

/** A recipient declined: their banners go, the people in the call are told. */
export function decline(v: Voice, channelId: string, userId: string): void {
  clear(v.core, userId);
  const user = findUser(v.core, userId);
  v.core.hub.publish(roomTopic(channelId), JSON.stringify({ v: "declined", channel: channelId, user: userId, name: user ? (user.displayName ?? user.username) : "" }));
}
