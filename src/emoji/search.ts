// The emoji picker's search: minisearch (fuzzy and prefix, as the architecture page chooses for
// small in-memory indexes) over node-emoji's unicode names, built once per process, and over the
// custom emoji a member may use in a channel, built per request (a few dozen entries).
import MiniSearch from "minisearch";
import type { Core } from "../core.ts";
import type { ChannelAccess } from "../guilds/access.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { emojiPath, emojisOfMyGuilds } from "./service.ts";

export type PickerEmoji = { kind: "unicode"; emoji: string; name: string } | { kind: "custom"; id: string; name: string; animated: boolean; url: string; local: boolean };

type Doc = { id: number; name: string; words: string; emoji: string };
let unicode: { index: MiniSearch<Doc>; docs: Doc[] } | undefined;
function unicodeIndex() {
  if (unicode) return unicode;
  const list = (require("node-emoji") as { search: (k: string) => { emoji: string; name: string }[] }).search("");
  const docs = list.map((e, id) => ({ id, name: e.name, words: e.name.replace(/_/g, " "), emoji: e.emoji }));
  const index = new MiniSearch<Doc>({ fields: ["name", "words"], storeFields: ["name", "emoji"], searchOptions: { prefix: true, fuzzy: 0.2, boost: { name: 2 } } });
  index.addAll(docs);
  return (unicode = { index, docs });
}

/** The custom emoji usable in this channel: its server's, plus other servers' with USE_EXTERNAL_EMOJIS (always in DMs). */
export function usableCustomEmoji(core: Core, userId: string, access: ChannelAccess): PickerEmoji[] {
  const guildId = access.channel.guildId;
  const external = guildId === null || has(access.permissions, Permission.USE_EXTERNAL_EMOJIS);
  return emojisOfMyGuilds(core, userId)
    .filter((e) => e.guildId === guildId || external)
    .map((e) => ({ kind: "custom", id: e.id, name: e.name, animated: e.animated, url: emojiPath(e), local: e.guildId === guildId }));
}

export function searchEmoji(core: Core, userId: string, access: ChannelAccess, query: string, limit = 48): PickerEmoji[] {
  const custom = usableCustomEmoji(core, userId, access);
  const q = query.trim().replace(/^:|:$/g, "");
  if (!q) return [...custom.filter((e) => e.kind === "custom" && e.local), ...unicodeIndex().docs.slice(0, limit).map((d): PickerEmoji => ({ kind: "unicode", emoji: d.emoji, name: d.name }))].slice(0, limit);
  const customIndex = new MiniSearch<{ id: number; name: string; words: string }>({ fields: ["name", "words"], searchOptions: { prefix: true, fuzzy: 0.2 } });
  customIndex.addAll(custom.map((e, id) => ({ id, name: e.name, words: e.name.replace(/_/g, " ") })));
  const customHits = customIndex.search(q).map((h) => custom[h.id as number]!);
  const unicodeHits = unicodeIndex()
    .index.search(q)
    .map((h): PickerEmoji => ({ kind: "unicode", emoji: h.emoji as string, name: h.name as string }));
  return [...customHits, ...unicodeHits].slice(0, limit);
}
