// Embeds of messages: written with the message (source "api") or when a link preview arrives
// (source "preview"), read in one batched query for any number of messages, and turned into
// Discord's embed objects. Outside images get a proxy_url through the guarded image proxy: a
// browser never loads a third-party image directly.
import { and, eq, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import type { Orm } from "../db/client.ts";
import { idList } from "../db/columns.ts";
import { proxyPath } from "../previews/sign.ts";
import type { EmbedInput } from "./schema.ts";
import { embeds, type EmbedRow } from "./table.ts";

export type EmbedSource = "api" | "preview";
type Media = { url: string; proxy_url?: string; width?: number; height?: number };

/** An embed as stored and as the API shows it (Discord's shape). */
export interface Embed {
  type: "rich" | "link" | "image" | "video" | "gifv" | "article";
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string; icon_url?: string; proxy_icon_url?: string };
  image?: Media;
  thumbnail?: Media;
  author?: { name: string; url?: string; icon_url?: string; proxy_icon_url?: string };
  provider?: { name?: string; url?: string };
}

// Previews come after the embeds sent with the message, whatever order they were written in.
const FIRST_POSITION: Record<EmbedSource, number> = { api: 0, preview: 100 };
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export const fromInput = (e: EmbedInput): Embed => ({ ...e, type: "rich" });

/** Replace the embeds of one source on a message (inside the caller's transaction). */
export function writeEmbeds(orm: Orm, messageId: string, source: EmbedSource, list: Embed[]): void {
  orm.delete(embeds).where(and(eq(embeds.messageId, messageId), eq(embeds.source, source))).run();
  list.forEach((e, i) => {
    orm
      .insert(embeds)
      .values({
        messageId,
        position: FIRST_POSITION[source] + i,
        source,
        type: e.type,
        title: e.title ?? null,
        description: e.description ?? null,
        url: e.url ?? null,
        color: e.color ?? null,
        timestamp: e.timestamp ?? null,
        fields: json(e.fields),
        footer: json(e.footer),
        image: json(e.image),
        thumbnail: json(e.thumbnail),
        author: json(e.author),
        provider: json(e.provider),
      })
      .run();
  });
}

const parse = <T,>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));
const prune = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

function toEmbed(core: Core | null, row: EmbedRow): Embed & { source: EmbedSource } {
  const proxied = (m: Media | undefined) => (m && core ? { ...m, proxy_url: proxyPath(core, m.url) } : m);
  const footer = parse<Embed["footer"]>(row.footer);
  const author = parse<Embed["author"]>(row.author);
  return prune({
    source: row.source,
    type: row.type,
    title: row.title ?? undefined,
    description: row.description ?? undefined,
    url: row.url ?? undefined,
    color: row.color ?? undefined,
    timestamp: row.timestamp ?? undefined,
    fields: parse<Embed["fields"]>(row.fields),
    footer: footer?.icon_url && core ? { ...footer, proxy_icon_url: proxyPath(core, footer.icon_url) } : footer,
    image: proxied(parse<Media>(row.image)),
    thumbnail: proxied(parse<Media>(row.thumbnail)),
    author: author?.icon_url && core ? { ...author, proxy_icon_url: proxyPath(core, author.icon_url) } : author,
    provider: parse<Embed["provider"]>(row.provider),
  });
}

// Runs for every message shown or broadcast: prepared once per connection, ids as one JSON array.
const queries = new WeakMap<Core["db"], ReturnType<typeof build>>();
const build = (orm: Core["db"]["readOrm"]) =>
  orm
    .select()
    .from(embeds)
    .where(sql`${embeds.messageId} in (select value from json_each(${sql.placeholder("ids")}))`)
    .orderBy(embeds.messageId, embeds.position)
    .prepare();

/** Per message, its embeds in order (proxy paths are same-origin; the API makes them absolute). */
export function embedsFor(core: Core, messageIds: string[]): Map<string, (Embed & { source: EmbedSource })[]> {
  const out = new Map<string, (Embed & { source: EmbedSource })[]>();
  if (messageIds.length === 0) return out;
  let q = queries.get(core.db);
  if (!q) queries.set(core.db, (q = build(core.db.readOrm)));
  for (const row of q.all({ ids: idList(messageIds) })) {
    const list = out.get(row.messageId) ?? [];
    list.push(toEmbed(core, row));
    out.set(row.messageId, list);
  }
  return out;
}

/** The embeds of one source on a message as they were written (no proxy URLs). */
export function storedEmbeds(core: Core, messageId: string, source: EmbedSource): Embed[] {
  return core.db.readOrm
    .select()
    .from(embeds)
    .where(and(eq(embeds.messageId, messageId), eq(embeds.source, source)))
    .orderBy(embeds.position)
    .all()
    .map((row) => {
      const { source: _s, ...e } = toEmbed(null, row);
      return e;
    });
}

/** JSON with sorted keys, to compare embeds whatever order their fields were built in. */
export function sameEmbeds(a: Embed[], b: Embed[]): boolean {
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

/** The API's embed object: absolute proxy URLs, no internal fields. */
export function embedJson(publicUrl: string, e: Embed & { source?: EmbedSource }): Embed {
  const abs = (p: string | undefined) => (p ? `${publicUrl}${p}` : undefined);
  const { source: _source, ...rest } = e;
  return prune({
    ...rest,
    image: rest.image && { ...rest.image, proxy_url: abs(rest.image.proxy_url) },
    thumbnail: rest.thumbnail && { ...rest.thumbnail, proxy_url: abs(rest.thumbnail.proxy_url) },
    footer: rest.footer && prune({ ...rest.footer, proxy_icon_url: abs(rest.footer.proxy_icon_url) }),
    author: rest.author && prune({ ...rest.author, proxy_icon_url: abs(rest.author.proxy_icon_url) }),
  });
}
