// The one shape every import goes through and every JSON export writes (export.json inside the
// export zip). Ids are the source's own strings; the importer gives everything new ids. Discord
// and Slack exports are converted into this shape first (discord.ts, slack.ts).
import { z } from "zod";

export const BUNDLE_FORMAT = "pokynano-export";

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  format_version: z.literal(1),
  source: z.enum(["pokynano", "discord", "slack"]).default("pokynano"),
  guild: z.object({ id, name: text(200), description: text(2000).default("") }),
  users: z.array(z.object({ id, username: text(200), display_name: text(200).nullable().default(null), bot: z.boolean().default(false) })).max(1_000_000),
  roles: z.array(z.object({ id, name: text(200), color: z.number().int().default(0), hoist: z.boolean().default(false), mentionable: z.boolean().default(false), position: z.number().int(), permissions: z.string().regex(/^\d{1,20}$/), everyone: z.boolean().default(false) })).default([]),
  members: z.array(z.object({ user_id: id, nick: text(200).nullable().default(null), joined_at: z.string().max(40), roles: z.array(id).default([]) })).default([]),
  channels: z
    .array(
      z.object({
        id,
        type: z.union([z.literal(0), z.literal(2), z.literal(4), z.literal(11), z.literal(12)]),
        name: text(200),
        topic: text(2000).default(""),
        position: z.number().int().default(0),
        parent_id: id.nullable().default(null),
        rate_limit_per_user: z.number().int().min(0).max(21600).default(0),
        nsfw: z.boolean().default(false),
        overwrites: z.array(z.object({ target_id: id, type: z.union([z.literal(0), z.literal(1)]), allow: z.string().regex(/^\d{1,20}$/), deny: z.string().regex(/^\d{1,20}$/) })).default([]),
        thread: z.object({ starter_message_id: id.nullable(), archived: z.boolean().default(false), locked: z.boolean().default(false), auto_archive_duration: z.union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10080)]).default(1440) }).nullable().default(null),
      }),
    )
    .max(10_000),
  messages: z
    .array(
      z.object({
        id,
        channel_id: id,
        author_id: id,
        content: text(4000),
        timestamp: z.string().max(40),
        edited_timestamp: z.string().max(40).nullable().default(null),
        pinned: z.boolean().default(false),
        reply_to_id: id.nullable().default(null),
        reactions: z.array(z.object({ emoji: text(100), user_ids: z.array(id) })).default([]),
        attachments: z.array(z.object({ filename: text(255), content_type: text(255).nullable().default(null), size: z.number().int().min(0).nullable().default(null), key: text(1000).nullable().default(null), url: text(2000).nullable().default(null), description: text(1024).nullable().default(null), spoiler: z.boolean().default(false) })).default([]),
      }),
    )
    .max(10_000_000),
});
export type Bundle = z.infer<typeof bundleSchema>;
export type BundleInput = z.input<typeof bundleSchema>;

/** Where an attachment's bytes come from: the archive the bundle arrived in (key -> bytes). */
export type FileSource = (key: string) => Promise<Uint8Array | null>;
