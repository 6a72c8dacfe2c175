// The gateway events a server admin may subscribe a URL to. Each is delivered with the same `d`
// the gateway sends bots (Discord's shapes), so a receiver can reuse a bot library's types.
export const SUBSCRIBABLE_EVENTS = [
  "MESSAGE_CREATE",
  "MESSAGE_UPDATE",
  "MESSAGE_DELETE",
  "MESSAGE_DELETE_BULK",
  "MESSAGE_REACTION_ADD",
  "MESSAGE_REACTION_REMOVE",
  "GUILD_MEMBER_ADD",
  "GUILD_MEMBER_UPDATE",
  "GUILD_MEMBER_REMOVE",
  "GUILD_BAN_ADD",
  "GUILD_BAN_REMOVE",
  "GUILD_ROLE_CREATE",
  "GUILD_ROLE_UPDATE",
  "GUILD_ROLE_DELETE",
  "CHANNEL_CREATE",
  "CHANNEL_UPDATE",
  "CHANNEL_DELETE",
  "THREAD_CREATE",
  "THREAD_UPDATE",
  "THREAD_DELETE",
] as const;
export type SubscribableEvent = (typeof SUBSCRIBABLE_EVENTS)[number];

const known = new Set<string>(SUBSCRIBABLE_EVENTS);
export const isSubscribable = (t: string): t is SubscribableEvent => known.has(t);

/** Sent by "Send a test event" (and only then): lets an admin check the endpoint and its signature check. */
export const PING_EVENT = "PING";
