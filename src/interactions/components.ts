// Message components (Discord's v1 components): action rows holding up to five buttons or one
// string select menu, five rows at most, with Discord's limits. Only applications (bots, and
// webhooks an application owns) and the server itself (built-in polls) put them on messages.
import { z } from "zod";
import { eq, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import type { Orm } from "../db/client.ts";
import { idList } from "../db/columns.ts";
import { messageComponents } from "./table.ts";

const httpUrl = z
  .string()
  .max(512)
  .refine((s) => URL.canParse(s) && ["http:", "https:", "discord:"].includes(new URL(s).protocol), "Must be an http(s) URL.");
const emoji = z.strictObject({ id: z.string().regex(/^\d{1,20}$/).nullish(), name: z.string().max(64).nullish(), animated: z.boolean().optional() });
const customId = z.string().min(1).max(100);

const button = z
  .strictObject({
    type: z.literal(2),
    style: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    label: z.string().max(80).optional(),
    emoji: emoji.optional(),
    custom_id: customId.optional(),
    url: httpUrl.optional(),
    disabled: z.boolean().optional(),
    id: z.number().int().optional(),
  })
  .refine((b) => (b.style === 5 ? b.url !== undefined && b.custom_id === undefined : b.custom_id !== undefined && b.url === undefined), "A link button (style 5) has a url and no custom_id; other buttons have a custom_id and no url.")
  .refine((b) => b.label || b.emoji, "A button needs a label or an emoji.");

const select = z
  .strictObject({
    type: z.literal(3),
    custom_id: customId,
    options: z
      .array(z.strictObject({ label: z.string().min(1).max(100), value: z.string().min(1).max(100), description: z.string().max(100).optional(), emoji: emoji.optional(), default: z.boolean().optional() }))
      .min(1)
      .max(25),
    placeholder: z.string().max(150).optional(),
    min_values: z.number().int().min(0).max(25).optional(),
    max_values: z.number().int().min(1).max(25).optional(),
    disabled: z.boolean().optional(),
    id: z.number().int().optional(),
  })
  .refine((s) => (s.min_values ?? 1) <= (s.max_values ?? 1) && (s.max_values ?? 1) <= s.options.length, "min_values <= max_values <= the number of options.");

const row = z
  .strictObject({ type: z.literal(1), components: z.array(z.union([button, select])).min(1).max(5), id: z.number().int().optional() })
  .refine((r) => r.components.every((c) => c.type === 2) || r.components.length === 1, "A row holds up to five buttons or one select menu.");

export const componentsSchema = z
  .array(row)
  .max(5)
  .refine((rows) => {
    const ids = rows.flatMap((r) => r.components.flatMap((c) => (c.custom_id ? [c.custom_id] : [])));
    return new Set(ids).size === ids.length;
  }, "custom_id values must be unique in a message.");

export type Components = z.infer<typeof componentsSchema>;
export type Button = z.infer<typeof button>;
export type Select = z.infer<typeof select>;

/** Store (or replace, or with an empty list remove) a message's components, inside a write. */
export function writeComponents(orm: Orm, messageId: string, applicationId: string | null, components: Components): void {
  if (components.length === 0) {
    orm.delete(messageComponents).where(eq(messageComponents.messageId, messageId)).run();
    return;
  }
  const json = JSON.stringify(components);
  orm
    .insert(messageComponents)
    .values({ messageId, applicationId, components: json })
    .onConflictDoUpdate({ target: messageComponents.messageId, set: { components: json } })
    .run();
}

export interface StoredComponents {
  applicationId: string | null;
  components: Components;
}

// Runs for every rendered message: prepared once per connection (preparing it each time cost
// more than the query: 10% of the send path's CPU).
const prepared = new WeakMap<Core["db"], ReturnType<typeof buildQuery>>();
const buildQuery = (orm: Core["db"]["readOrm"]) =>
  orm
    .select()
    .from(messageComponents)
    .where(sql`${messageComponents.messageId} in (select value from json_each(${sql.placeholder("ids")}))`)
    .prepare();

/** Components of many messages in one query. */
export function componentsFor(core: Core, messageIds: string[]): Map<string, StoredComponents> {
  if (messageIds.length === 0) return new Map();
  let query = prepared.get(core.db);
  if (!query) prepared.set(core.db, (query = buildQuery(core.db.readOrm)));
  const rows = query.all({ ids: idList(messageIds) });
  return new Map(rows.map((r) => [r.messageId, { applicationId: r.applicationId, components: JSON.parse(r.components) as Components }]));
}

/** The component with this custom_id in a message's rows. */
export function findComponent(components: Components, id: string): Button | Select | undefined {
  for (const r of components) for (const c of r.components) if (c.custom_id === id) return c;
  return undefined;
}
