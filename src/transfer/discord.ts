// DiscordChatExporter's JSON format (one file per channel or thread: {guild, channel, messages}),
// alone or several in a zip with the media folder made by --media. Converted into a Bundle.
// Threads are exported as channels whose category is their parent channel; a thread started from
// a message has that message's id. Custom emoji reactions are kept only when they are Unicode.
import { z } from "zod";
import { BUNDLE_FORMAT, type BundleInput } from "./bundle.ts";

const author = z.object({ id: z.string(), name: z.string(), nickname: z.string().nullish(), isBot: z.boolean().optional() }).passthrough();
const dceFile = z.object({
  guild: z.object({ id: z.string(), name: z.string() }).passthrough(),
  channel: z.object({ id: z.string(), type: z.string(), categoryId: z.string().nullish(), category: z.string().nullish(), name: z.string(), topic: z.string().nullish() }).passthrough(),
  messages: z.array(
    z
      .object({
        id: z.string(),
        type: z.string(),
        timestamp: z.string(),
        timestampEdited: z.string().nullish(),
        isPinned: z.boolean().optional(),
        content: z.string(),
        author,
        attachments: z.array(z.object({ url: z.string(), fileName: z.string(), fileSizeBytes: z.number().optional() }).passthrough()).default([]),
        reactions: z.array(z.object({ emoji: z.object({ id: z.string().nullish(), name: z.string() }).passthrough(), count: z.number(), users: z.array(author).optional() }).passthrough()).default([]),
        reference: z.object({ messageId: z.string().nullish() }).passthrough().nullish(),
        mentions: z.array(author).default([]),
      })
      .passthrough(),
  ),
});
export type DceFile = z.infer<typeof dceFile>;

/**
 * DiscordChatExporter writes a mention as "@" and the person's shown name (nickname, else name)
 * and lists the people in `mentions`: turn those back into <@id> markup, so the importer points
 * them at the matched or created account and records them as mentions. Longer names first, and
 * only where the name ends ("@bob" is not a mention of "bo").
 */
export function mentionsToMarkup(content: string, mentioned: z.infer<typeof author>[]): string {
  if (mentioned.length === 0 || !content.includes("@")) return content;
  const byName = new Map<string, string>();
  for (const u of mentioned) for (const name of [u.nickname, u.name]) if (name && !byName.has(name)) byName.set(name, u.id);
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (names.length === 0) return content;
  return content.replace(new RegExp(`@(${names.join("|")})(?![\\p{L}\\p{N}_])`, "gu"), (_, name: string) => `<@${byName.get(name)}>`);
}

/** Is this parsed JSON a DiscordChatExporter channel file? */
export const isDiscordExport = (json: unknown) => dceFile.safeParse(json).success;

const THREAD = /Thread$/;
const channelType = (t: string): 0 | 2 | 11 | 12 => (t === "GuildPrivateThread" ? 12 : THREAD.test(t) ? 11 : t === "GuildVoiceChat" || t === "GuildStageVoice" ? 2 : 0);

/** `files` holds every other entry of the zip (media), by its path, for attachments exported with --media. */
export function discordToBundle(jsons: unknown[], files: Set<string>): BundleInput {
  const parsed = jsons.map((j) => dceFile.parse(j));
  if (parsed.length === 0) throw new Error("no DiscordChatExporter JSON file found");
  const users = new Map<string, { id: string; username: string; display_name: string | null; bot: boolean }>();
  const channels: BundleInput["channels"] = [];
  const messages: BundleInput["messages"] = [];
  const categories = new Map<string, string>();
  const channelIds = new Set(parsed.filter((f) => !THREAD.test(f.channel.type)).map((f) => f.channel.id));
  const addUser = (a: z.infer<typeof author>) => {
    if (!users.has(a.id)) users.set(a.id, { id: a.id, username: a.name, display_name: a.nickname && a.nickname !== a.name ? a.nickname : null, bot: a.isBot ?? false });
  };
  for (const [position, f] of parsed.entries()) {
    const type = channelType(f.channel.type);
    let parent: string | null = null;
    if (type === 11 || type === 12) parent = f.channel.categoryId && channelIds.has(f.channel.categoryId) ? f.channel.categoryId : null;
    else if (f.channel.categoryId && f.channel.category) {
      if (!categories.has(f.channel.categoryId)) {
        categories.set(f.channel.categoryId, f.channel.category);
        channels.push({ id: f.channel.categoryId, type: 4, name: f.channel.category, position: categories.size });
      }
      parent = f.channel.categoryId;
    }
    const messageIds = new Set(parsed.flatMap((p) => p.messages.map((m) => m.id)));
    const thread = type === 11 || type === 12 ? { starter_message_id: messageIds.has(f.channel.id) ? f.channel.id : null } : null;
    channels.push({ id: f.channel.id, type, name: f.channel.name, topic: f.channel.topic ?? "", position, parent_id: parent, thread });
    for (const m of f.messages) {
      if (m.type !== "Default" && m.type !== "Reply") continue; // joins, pins, thread notices, calls: system events
      addUser(m.author);
      for (const r of m.reactions) for (const u of r.users ?? []) addUser(u);
      for (const u of m.mentions) addUser(u);
      messages.push({
        id: m.id,
        channel_id: f.channel.id,
        author_id: m.author.id,
        content: mentionsToMarkup(m.content, m.mentions).slice(0, 4000),
        timestamp: new Date(m.timestamp).toISOString(),
        edited_timestamp: m.timestampEdited ? new Date(m.timestampEdited).toISOString() : null,
        pinned: m.isPinned ?? false,
        reply_to_id: m.reference?.messageId ?? null,
        reactions: m.reactions.filter((r) => !r.emoji.id).map((r) => ({ emoji: r.emoji.name, user_ids: (r.users ?? []).map((u) => u.id) })),
        attachments: m.attachments.map((a) => {
          const local = a.url.replace(/\\/g, "/").replace(/^\.\//, "");
          return { filename: a.fileName, size: a.fileSizeBytes ?? null, key: files.has(local) ? local : null, url: /^https?:/.test(a.url) ? a.url : null };
        }),
      });
    }
  }
  const g = parsed[0]!.guild;
  return { format: BUNDLE_FORMAT, format_version: 1, source: "discord", guild: { id: g.id, name: g.name }, users: [...users.values()], channels, messages };
}
