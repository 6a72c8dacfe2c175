// Link previews: after a message commits, its first three links are fetched off the request path
// through the SSRF guard, turned into embeds, cached by URL, and the message is updated live
// (the same update event as an edit: new bytes for every browser, MESSAGE_UPDATE on the gateway).
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { sameEmbeds, storedEmbeds, writeEmbeds, type Embed } from "../embeds/service.ts";
import { linkPreviews } from "../embeds/table.ts";
import { safeFetch, SafeFetchError } from "../net/safe-fetch.ts";
import { emitMessageEvent, onMessageEvent, type MessageEvent } from "../messages/service.ts";
import { messages } from "../messages/table.ts";
import { previewLinks } from "./links.ts";
import { channelAccess } from "../guilds/access.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { imageSize } from "./image.ts";
import { parsePreview } from "./opengraph.ts";

/** A preview is reused for a day; a page that had nothing or failed is tried again after an hour. */
export const PREVIEW_TTL_MS = 24 * 60 * 60 * 1000;
export const FAILED_TTL_MS = 60 * 60 * 1000;
/** An HTML head is at the top: the first 512 KiB of a page are enough and bound the parse. */
const PAGE_BYTES = 512 * 1024;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const USER_AGENT = "Mozilla/5.0 (compatible; Pokynano link preview)";
/** At most this many page fetches at once in the process, however many messages arrive. */
const MAX_CONCURRENT = 4;

let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Record the width and height of the preview's images (fetched through the proxy's guard and cache), so the page reserves their space. */
async function withSizes(core: Core, embed: Embed | null): Promise<Embed | null> {
  if (!embed) return embed;
  for (const key of ["image", "thumbnail"] as const) {
    const media = embed[key];
    if (!media || (media.width && media.height)) continue;
    const size = await limited(() => imageSize(core, media.url));
    if (size) embed[key] = { ...media, ...size };
  }
  return embed;
}

async function fetchPreview(core: Core, url: string): Promise<Embed | null> {
  try {
    const res = await limited(() =>
      safeFetch(url, { accept: ["text/html", "application/xhtml+xml", ...IMAGE_TYPES], maxBytes: PAGE_BYTES, oversize: "truncate", timeoutMs: 8000, headers: { "user-agent": USER_AGENT, accept: "text/html,application/xhtml+xml,image/*;q=0.8" }, context: core }),
    );
    if (res.status !== 200) return null;
    if (IMAGE_TYPES.includes(res.contentType)) return withSizes(core, { type: "image", url, image: { url: res.url } });
    const charset = /charset=([\w-]+)/i.exec(res.headers["content-type"] ?? "")?.[1];
    let html: string;
    try {
      html = new TextDecoder(charset ?? "utf-8").decode(res.body);
    } catch {
      html = new TextDecoder().decode(res.body);
    }
    return await withSizes(core, await parsePreview(html, res.url, url));
  } catch (err) {
    // Refused or failed fetches are expected (members post anything): logged quietly, cached as "nothing".
    core.logger.debug("link preview failed", { url, reason: err instanceof SafeFetchError ? `${err.kind}: ${err.message}` : String(err) });
    return null;
  }
}

const inFlight = new Map<string, Promise<Embed | null>>();

/** The preview of a URL, from the cache while it is fresh. */
export async function previewFor(core: Core, url: string): Promise<Embed | null> {
  const cached = core.db.readOrm.select().from(linkPreviews).where(eq(linkPreviews.url, url)).get();
  if (cached && Date.now() - cached.fetchedAt < (cached.embed ? PREVIEW_TTL_MS : FAILED_TTL_MS)) return cached.embed ? (JSON.parse(cached.embed) as Embed) : null;
  let pending = inFlight.get(url);
  if (!pending) {
    pending = (async () => {
      const embed = await fetchPreview(core, url);
      const row = { url, fetchedAt: Date.now(), embed: embed ? JSON.stringify(embed) : null };
      await core.queue.write(({ orm }) => orm.insert(linkPreviews).values(row).onConflictDoUpdate({ target: linkPreviews.url, set: row }).run());
      return embed;
    })().finally(() => inFlight.delete(url));
    inFlight.set(url, pending);
  }
  return pending;
}

/** Bring a message's previews in line with its links; publishes an update only when they changed. */
export async function refreshPreviews(core: Core, messageId: string): Promise<void> {
  const message = core.db.readOrm.select().from(messages).where(eq(messages.id, messageId)).get();
  if (!message || message.suppressEmbeds) return;
  // As in Discord, links of someone without EMBED_LINKS in the channel are not previewed.
  const access = channelAccess(core, message.authorId, message.channelId);
  const links = access && has(access.permissions, Permission.EMBED_LINKS) ? previewLinks(message.content) : [];
  const current = storedEmbeds(core, messageId, "preview");
  if (links.length === 0 && current.length === 0) return;
  const found = (await Promise.all(links.map((url) => previewFor(core, url)))).filter((e): e is Embed => e !== null);
  if (sameEmbeds(found, current)) return;
  const updated = await core.queue.write(({ orm }) => {
    const still = orm.select().from(messages).where(eq(messages.id, messageId)).get();
    if (!still || still.suppressEmbeds || still.content !== message.content) return null;
    writeEmbeds(orm, messageId, "preview", found);
    return still;
  });
  if (updated) emitMessageEvent(core, { type: "update", message: updated });
}

// Per message, one refresh at a time; a change during one runs another after it.
const queued = new Map<string, boolean>();
function schedule(core: Core, messageId: string): void {
  if (queued.has(messageId)) {
    queued.set(messageId, true);
    return;
  }
  queued.set(messageId, false);
  const run = () =>
    refreshPreviews(core, messageId)
      .catch((err) => core.logger.debug("link preview refresh failed", { messageId, err: String(err) }))
      .finally(() => {
        const again = queued.get(messageId);
        queued.delete(messageId);
        if (again) schedule(core, messageId);
      });
  setTimeout(run, 0);
}

function onEvent(core: Core, event: MessageEvent): void {
  if (event.type === "delete" || event.message.suppressEmbeds) return;
  // A new message without a link costs nothing here; an update may have removed the links it had.
  if (event.type === "create" && !event.message.content.includes("http")) return;
  schedule(core, event.message.id);
}

onMessageEvent(onEvent);
