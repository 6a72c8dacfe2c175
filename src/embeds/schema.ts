// The embed object of Discord's API, with Discord's limits, for POST/PATCH on messages (bots,
// webhooks, clients). Exported so every route that takes embeds validates them the same way.
import { z } from "zod";

export const EMBED_LIMITS = { embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, total: 6000 } as const;

// Only http(s) links and images: a javascript: or data: URL in an embed would be an XSS or a
// tracking vector; the images are fetched through the preview proxy (with the SSRF guard) anyway.
const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "Must be an http(s) URL.");

const media = z.object({ url: httpUrl, width: z.number().int().nonnegative().optional(), height: z.number().int().nonnegative().optional() });

export const embedSchema = z
  .object({
    type: z.literal("rich").optional(),
    title: z.string().max(EMBED_LIMITS.title).optional(),
    description: z.string().max(EMBED_LIMITS.description).optional(),
    url: httpUrl.optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    color: z.number().int().min(0).max(0xffffff).optional(),
    footer: z.object({ text: z.string().min(1).max(EMBED_LIMITS.footer), icon_url: httpUrl.optional() }).optional(),
    image: media.optional(),
    thumbnail: media.optional(),
    author: z.object({ name: z.string().min(1).max(EMBED_LIMITS.author), url: httpUrl.optional(), icon_url: httpUrl.optional() }).optional(),
    fields: z
      .array(z.object({ name: z.string().min(1).max(EMBED_LIMITS.fieldName), value: z.string().min(1).max(EMBED_LIMITS.fieldValue), inline: z.boolean().optional() }))
      .max(EMBED_LIMITS.fields)
      .optional(),
  })
  .refine((e) => e.title || e.description || e.fields?.length || e.image || e.thumbnail || e.author || e.footer, "An embed needs a title, a description, fields, an image, a thumbnail, an author or a footer.");

export type EmbedInput = z.infer<typeof embedSchema>;

/** Characters Discord counts against the 6000 limit (over all the embeds of a message). */
export const embedChars = (e: EmbedInput) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

export const embedsSchema = z
  .array(embedSchema)
  .max(EMBED_LIMITS.embeds)
  .refine((list) => list.reduce((n, e) => n + embedChars(e), 0) <= EMBED_LIMITS.total, `The embeds of a message have at most ${EMBED_LIMITS.total} characters in all.`);
