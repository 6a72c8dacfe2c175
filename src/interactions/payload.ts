// The message payload applications send outside channel routes (interaction responses, follow-ups,
// webhook executions): content, embeds, allowed_mentions, components and flags, with Discord's rules.
import { z } from "zod";
import { embedsSchema } from "../embeds/schema.ts";
import { componentsSchema } from "./components.ts";

const id = z.string().regex(/^\d{1,20}$/, "Not an id.");

/** Discord's allowed_mentions: `parse` and an explicit `users`/`roles` list of the same kind exclude each other. */
export const allowedMentionsSchema = z
  .object({
    parse: z.array(z.enum(["users", "roles", "everyone"])).max(3).optional(),
    users: z.array(id).max(100).optional(),
    roles: z.array(id).max(100).optional(),
    replied_user: z.boolean().optional(),
  })
  .refine((a) => !(a.parse?.includes("users") && a.users?.length), "parse \"users\" and a users list cannot be used together.")
  .refine((a) => !(a.parse?.includes("roles") && a.roles?.length), "parse \"roles\" and a roles list cannot be used together.");

/** Message flags an application may set: SUPPRESS_EMBEDS (4), EPHEMERAL (64), SUPPRESS_NOTIFICATIONS (4096). */
export const EPHEMERAL = 64;
export const flagsSchema = z.number().int().nonnegative().max(2 ** 31);

export const messagePayload = z.object({
  content: z.string().max(4000).optional(),
  embeds: embedsSchema.optional(),
  allowed_mentions: allowedMentionsSchema.optional(),
  components: componentsSchema.optional(),
  flags: flagsSchema.optional(),
  tts: z.boolean().optional(),
  // Libraries send these on some calls; they change nothing here.
  attachments: z.array(z.unknown()).max(10).optional(),
  poll: z.unknown().optional(),
});
export type MessagePayload = z.infer<typeof messagePayload>;
