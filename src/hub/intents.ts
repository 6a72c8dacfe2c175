// Gateway intents (Discord v10): a client says at IDENTIFY which groups of events it wants, and
// without MESSAGE_CONTENT it gets guild messages with empty content, embeds, attachments and
// components, except its own messages and those that mention it (DMs always carry content).
//
// Dispatches are still serialised once and published once: each event goes to a sub-topic of its
// topic named after its intent (`json:channel:1|512`), and a session subscribes only to the
// sub-topics of the intents it asked for. Content-bearing guild message events go to `|c`, which
// sessions hold when they have both GUILD_MESSAGES and MESSAGE_CONTENT.

export const Intent = {
  GUILDS: 1 << 0,
  GUILD_MEMBERS: 1 << 1,
  GUILD_MODERATION: 1 << 2,
  GUILD_EXPRESSIONS: 1 << 3,
  GUILD_VOICE_STATES: 1 << 7,
  GUILD_PRESENCES: 1 << 8,
  GUILD_MESSAGES: 1 << 9,
  GUILD_MESSAGE_REACTIONS: 1 << 10,
  GUILD_MESSAGE_TYPING: 1 << 11,
  DIRECT_MESSAGES: 1 << 12,
  DIRECT_MESSAGE_REACTIONS: 1 << 13,
  DIRECT_MESSAGE_TYPING: 1 << 14,
  MESSAGE_CONTENT: 1 << 15,
} as const;

/** Every intent bit Discord defines (up to 1 << 25); anything above is an invalid IDENTIFY (4013). */
export const MAX_INTENTS = (1 << 26) - 1;

/** Guild message events that carry content. */
const CONTENT = "c";
const ROUTED = [Intent.GUILDS, Intent.GUILD_MEMBERS, Intent.GUILD_EXPRESSIONS, Intent.GUILD_VOICE_STATES, Intent.GUILD_PRESENCES, Intent.GUILD_MESSAGES, Intent.GUILD_MESSAGE_REACTIONS, Intent.GUILD_MESSAGE_TYPING, Intent.DIRECT_MESSAGES, Intent.DIRECT_MESSAGE_REACTIONS, Intent.DIRECT_MESSAGE_TYPING];

const has = (intents: number, bit: number) => (intents & bit) === bit;

/** The sub-topic suffixes a session with these intents hears (null = a person's client: all of them). */
export function suffixesFor(intents: number | null): string[] {
  const all = intents ?? MAX_INTENTS;
  const out = ROUTED.filter((bit) => has(all, bit)).map(String);
  if (has(all, Intent.GUILD_MESSAGES) && has(all, Intent.MESSAGE_CONTENT)) out.push(CONTENT);
  return out;
}

/** Sessions that need per-recipient message frames: guild messages without MESSAGE_CONTENT. */
export const withoutContent = (intents: number | null) => intents !== null && has(intents, Intent.GUILD_MESSAGES) && !has(intents, Intent.MESSAGE_CONTENT);

/** The sub-topic suffix of an event, or null for events every session hears on the topic itself. */
export function suffixOf(t: string, d: unknown): string | null {
  const guild = typeof d === "object" && d !== null && typeof (d as { guild_id?: unknown }).guild_id === "string";
  switch (t) {
    case "MESSAGE_CREATE":
    case "MESSAGE_UPDATE":
      return guild ? CONTENT : String(Intent.DIRECT_MESSAGES);
    case "MESSAGE_DELETE":
    case "MESSAGE_DELETE_BULK":
      return String(guild ? Intent.GUILD_MESSAGES : Intent.DIRECT_MESSAGES);
    case "MESSAGE_REACTION_ADD":
    case "MESSAGE_REACTION_REMOVE":
    case "MESSAGE_REACTION_REMOVE_ALL":
    case "MESSAGE_REACTION_REMOVE_EMOJI":
      return String(guild ? Intent.GUILD_MESSAGE_REACTIONS : Intent.DIRECT_MESSAGE_REACTIONS);
    case "TYPING_START":
      return String(guild ? Intent.GUILD_MESSAGE_TYPING : Intent.DIRECT_MESSAGE_TYPING);
    case "CHANNEL_PINS_UPDATE":
      return String(guild ? Intent.GUILDS : Intent.DIRECT_MESSAGES);
    case "PRESENCE_UPDATE":
      return String(Intent.GUILD_PRESENCES);
    case "GUILD_MEMBER_ADD":
    case "GUILD_MEMBER_UPDATE":
    case "GUILD_MEMBER_REMOVE":
    case "THREAD_MEMBERS_UPDATE":
      return String(Intent.GUILD_MEMBERS);
    case "VOICE_STATE_UPDATE":
      return String(Intent.GUILD_VOICE_STATES);
    case "GUILD_EMOJIS_UPDATE":
      return String(Intent.GUILD_EXPRESSIONS);
    default:
      return t.startsWith("GUILD_") || t.startsWith("CHANNEL_") || t.startsWith("THREAD_") ? String(Intent.GUILDS) : null;
  }
}

export const isContentEvent = (suffix: string | null) => suffix === CONTENT;

/** Does this message event show its content to `userId` without MESSAGE_CONTENT? Their own, or one mentioning them. */
export function contentVisibleTo(d: unknown, userId: string): boolean {
  const m = d as { author?: { id?: unknown }; mentions?: { id?: unknown }[] };
  return m.author?.id === userId || (Array.isArray(m.mentions) && m.mentions.some((u) => u?.id === userId));
}

/** The message as Discord sends it to a client without MESSAGE_CONTENT. */
export function redactContent(d: unknown): unknown {
  return { ...(d as object), content: "", embeds: [], attachments: [], components: [], poll: undefined };
}
