// Custom emoji in what a member sends. The composer (or a client) may write :name:; a server emoji
// of the channel's server with that name becomes <:name:id> (<a:name:id> when animated), as
// Discord's clients do before sending. <:name:id> written directly is kept only when the author may
// use it: it belongs to this server, or to another server of theirs and they have
// USE_EXTERNAL_EMOJIS here (in a DM, any server of theirs). Otherwise it becomes plain :name:
// text, so nobody shows an emoji they could not pick. Code spans and blocks are left alone.
import type { Core } from "../core.ts";
import type { ChannelAccess } from "../guilds/access.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { emojisOfMyGuilds } from "./service.ts";
import type { CustomEmoji } from "./table.ts";
import { AppError } from "../lib/errors.ts";

const TOKEN = /<(a?):([A-Za-z0-9_]{2,32}):(\d{1,20})>|(?<![\w<]):([A-Za-z0-9_]{2,32}):(?!\d)/g;
const CODE = /(```[\s\S]*?```|`[^`\n]*`)/;

const written = (e: CustomEmoji) => `<${e.animated ? "a" : ""}:${e.name}:${e.id}>`;

export function customEmojiContent(core: Core, authorId: string, access: ChannelAccess, content: string): string {
  // Most messages have no colon at all: no lookup for them.
  if (!content.includes(":")) return content;
  let mine: CustomEmoji[] | undefined;
  const available = () => (mine ??= emojisOfMyGuilds(core, authorId));
  const guildId = access.channel.guildId;
  const external = guildId === null || has(access.permissions, Permission.USE_EXTERNAL_EMOJIS);
  const convert = (text: string) =>
    text.replace(TOKEN, (whole, _a: string | undefined, name: string | undefined, id: string | undefined, bare: string | undefined) => {
      if (bare) {
        const local = guildId ? available().find((e) => e.guildId === guildId && e.name === bare) : undefined;
        return local ? written(local) : whole;
      }
      const emoji = available().find((e) => e.id === id);
      if (!emoji || (emoji.guildId !== guildId && !external)) return `:${name}:`;
      return written(emoji);
    });
  return content
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : convert(part)))
    .join("");
}

/** A reaction with a custom emoji (name:id) follows the same rule as writing it. */
export function checkReactionEmoji(core: Core, userId: string, access: ChannelAccess, emoji: string): void {
  const m = /^([A-Za-z0-9_]{2,32}):(\d{1,20})$/.exec(emoji);
  if (!m) return;
  const guildId = access.channel.guildId;
  const external = guildId === null || has(access.permissions, Permission.USE_EXTERNAL_EMOJIS);
  const found = emojisOfMyGuilds(core, userId).find((e) => e.id === m[2]);
  if (!found || found.name !== m[1] || (found.guildId !== guildId && !external)) throw new AppError(400, 10014, "Unknown emoji.", { fields: { emoji: "Not an emoji you can use here." } });
}
