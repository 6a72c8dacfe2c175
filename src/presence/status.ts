// What a user's presence is, from two sources: the status they chose (stored on the user) and
// their live sockets (the hub). Nothing here is stored: online/idle/offline follow the sockets.
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";

/** What others see. "invisible" never leaves the server: it is shown as offline. */
export type PresenceStatus = "online" | "idle" | "dnd" | "offline";
/** What a user may choose. */
export const CHOSEN_STATUSES = ["online", "idle", "dnd", "invisible"] as const;
export type ChosenStatus = (typeof CHOSEN_STATUSES)[number];

type Who = Pick<User, "id" | "status">;

/** The status others see: offline without a socket or when invisible; idle when chosen or when every tab is idle. */
export function publicStatus(core: Core, user: Who): PresenceStatus {
  if (user.status === "invisible" || !core.hub.isOnline(user.id)) return "offline";
  if (user.status === "dnd") return "dnd";
  if (user.status === "idle" || core.hub.isIdle(user.id)) return "idle";
  return "online";
}

/** The status a user sees of themselves: like others see it, except that invisible says so. */
export function ownStatus(core: Core, user: Who): PresenceStatus | "invisible" {
  return user.status === "invisible" ? "invisible" : publicStatus(core, user);
}

/** Discord's presence object (the custom status is an activity of type 4). */
export function presenceJson(userId: string, status: PresenceStatus, customStatus: string, guildId?: string) {
  const activities = customStatus && status !== "offline" ? [{ type: 4, name: "Custom Status", state: customStatus }] : [];
  return { user: { id: userId }, ...(guildId ? { guild_id: guildId } : {}), status, activities, client_status: status === "offline" ? {} : { web: status } };
}
