// A Slack workspace export zip: users.json, channels.json (and groups.json for private channels
// when the export has them), and one folder per channel of day files (YYYY-MM-DD.json) holding
// messages. Threads: a reply has thread_ts pointing at its parent's ts; each parent with replies
// becomes a thread started from that message. Reactions are shortcodes (converted with
// node-emoji; custom workspace emoji are dropped). Files are kept when the zip carries their bytes
// (__uploads/<file id>/<name>, as export tools that fetch them write); otherwise their link stays.
// node-emoji loads with the first Slack import, not at start.
const nodeEmoji = () => require("node-emoji") as typeof import("node-emoji");
import { z } from "zod";
import { decodeHTML } from "entities";
import { BUNDLE_FORMAT, type BundleInput } from "./bundle.ts";

const slackUser = z.object({ id: z.string(), name: z.string(), real_name: z.string().optional(), is_bot: z.boolean().optional(), profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).passthrough().optional() }).passthrough();
const slackChannel = z.object({ id: z.string(), name: z.string(), created: z.number().optional(), topic: z.object({ value: z.string() }).passthrough().optional(), purpose: z.object({ value: z.string() }).passthrough().optional() }).passthrough();
const slackMessage = z
  .object({
    type: z.string(),
    subtype: z.string().optional(),
    user: z.string().optional(),
    text: z.string().default(""),
    ts: z.string(),
    thread_ts: z.string().optional(),
    edited: z.object({ ts: z.string() }).passthrough().optional(),
    reactions: z.array(z.object({ name: z.string(), users: z.array(z.string()).default([]) }).passthrough()).optional(),
    files: z.array(z.object({ id: z.string().optional(), name: z.string().optional(), title: z.string().optional(), mimetype: z.string().optional(), size: z.number().optional(), url_private: z.string().optional(), permalink: z.string().optional() }).passthrough()).optional(),
    pinned_to: z.array(z.string()).optional(),
  })
  .passthrough();

const SKIPPED_SUBTYPES = new Set(["channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "channel_archive", "channel_unarchive", "pinned_item", "bot_add", "bot_remove"]);
// Slack names a few emoji differently from the gemoji names node-emoji uses.
const SLACK_ALIASES: Record<string, string> = { thumbsup: "+1", thumbsdown: "-1", simple_smile: "slightly_smiling_face" };
const tsToIso = (ts: string) => new Date(Math.round(Number(ts) * 1000)).toISOString();

/** Slack's markup: <@U1> mentions, <#C1|name> channels, <url|label> links, &amp; entities. */
export function slackText(text: string, userIds: Map<string, string>): string {
  return decodeHTML(
    text.replace(/<([^<>]+)>/g, (_, inner: string) => {
      const [target, label] = inner.split("|", 2) as [string, string | undefined];
      if (target.startsWith("@")) return userIds.has(target.slice(1)) ? `<@${target.slice(1)}>` : `@${label ?? target.slice(1)}`;
      if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
      if (target.startsWith("!")) return `@${(label ?? target.slice(1)).replace(/^@/, "")}`;
      return label && label !== target ? `[${label}](${target})` : target;
    }),
  );
}

export function slackToBundle(entries: Map<string, Uint8Array>, workspaceName: string): BundleInput {
  const json = (name: string) => {
    const bytes = entries.get(name);
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as unknown) : undefined;
  };
  if (!entries.has("users.json") || !entries.has("channels.json")) throw new Error("not a Slack export: users.json and channels.json are missing");
  const users = z.array(slackUser).parse(json("users.json"));
  const channels = [...z.array(slackChannel).parse(json("channels.json")), ...z.array(slackChannel).parse(json("groups.json") ?? [])];
  const userIds = new Map(users.map((u) => [u.id, u.name]));
  const b: BundleInput = { format: BUNDLE_FORMAT, format_version: 1, source: "slack", guild: { id: "slack", name: workspaceName }, users: [], channels: [], messages: [] };
  b.users = users.map((u) => ({ id: u.id, username: u.name, display_name: u.profile?.display_name || u.real_name || null, bot: u.is_bot ?? false }));
  const known = new Set(users.map((u) => u.id));
  for (const [position, ch] of channels.entries()) {
    b.channels.push({ id: ch.id, type: 0, name: ch.name, topic: ch.purpose?.value || ch.topic?.value || "", position });
    const days = [...entries.keys()].filter((k) => k.startsWith(`${ch.name}/`) && /\/\d{4}-\d{2}-\d{2}\.json$/.test(k)).sort();
    const all = days.flatMap((d) => z.array(slackMessage).parse(json(d)));
    const threadsWithReplies = new Set(all.filter((m) => m.thread_ts && m.thread_ts !== m.ts).map((m) => m.thread_ts!));
    for (const m of all) {
      if (m.type !== "message" || (m.subtype && SKIPPED_SUBTYPES.has(m.subtype)) || !m.user) continue;
      if (!known.has(m.user)) {
        known.add(m.user);
        b.users.push({ id: m.user, username: `slack_${m.user}`, display_name: null, bot: false });
      }
      const isReply = m.thread_ts !== undefined && m.thread_ts !== m.ts;
      const channelId = isReply ? `${ch.id}:${m.thread_ts}` : ch.id;
      b.messages.push({
        id: `${ch.id}:${m.ts}`,
        channel_id: channelId,
        author_id: m.user,
        content: slackText(m.text, userIds).slice(0, 4000),
        timestamp: tsToIso(m.ts),
        edited_timestamp: m.edited ? tsToIso(m.edited.ts) : null,
        pinned: (m.pinned_to ?? []).includes(ch.id),
        reactions: (m.reactions ?? []).flatMap((r) => {
          const emoji = nodeEmoji().get(SLACK_ALIASES[r.name.replace(/::skin-tone-\d$/, "")] ?? r.name.replace(/::skin-tone-\d$/, ""));
          return emoji && !emoji.startsWith(":") ? [{ emoji, user_ids: r.users }] : [];
        }),
        attachments: (m.files ?? []).map((f) => {
          const key = [...entries.keys()].find((k) => f.id && k.startsWith(`__uploads/${f.id}/`)) ?? null;
          return { filename: f.name ?? f.title ?? "file", content_type: f.mimetype ?? null, size: f.size ?? null, key, url: f.permalink ?? f.url_private ?? null };
        }),
      });
      if (!isReply && threadsWithReplies.has(m.ts)) {
        const name = slackText(m.text, userIds).replace(/\s+/g, " ").slice(0, 80) || "thread";
        b.channels.push({ id: `${ch.id}:${m.ts}`, type: 11, name, position: 0, parent_id: ch.id, thread: { starter_message_id: `${ch.id}:${m.ts}` } });
      }
    }
  }
  return b;
}
