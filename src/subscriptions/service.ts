// Event subscriptions (outgoing webhooks): someone with MANAGE_WEBHOOKS or MANAGE_GUILD in a server
// points a URL at some of its gateway events. The URL passes checkUrl when saved and is fetched
// through safeFetch at every delivery (deliver.ts), so it can never reach the instance's own
// network. The signing secret is kept (it signs every delivery) but shown only once.
import { randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { requireGuild } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { checkAddress, isLocalName } from "../net/address.ts";
import { checkUrl, SafeFetchError } from "../net/safe-fetch.ts";
import { allowedForTests } from "../net/test-allowance.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { isSubscribable } from "./events.ts";
import { eventDeliveries, eventSubscriptions, type Delivery, type Subscription } from "./table.ts";

export const MAX_SUBSCRIPTIONS_PER_GUILD = 10;
export const unknownSubscription = () => new AppError(404, ErrorCode.unknownRoute, "Unknown subscription.", { key: "error.notFound" });

/** MANAGE_WEBHOOKS or MANAGE_GUILD in the server (the owner and administrators have both). */
export function requireSubscriptionManager(core: Core, userId: string, guildId: string) {
  const access = requireGuild(core, userId, guildId);
  if (!access.isOwner && !has(access.permissions, Permission.MANAGE_WEBHOOKS) && !has(access.permissions, Permission.MANAGE_GUILD)) {
    throw new AppError(403, 50013, "You need Manage Webhooks or Manage Server to manage event subscriptions.", { key: "subscriptions.forbidden" });
  }
  return access;
}

const badField = (field: string, why: string) => new AppError(400, ErrorCode.invalidBody, `${field}: ${why}`, { fields: { [field]: why } });

/**
 * The URL as it will be fetched: http(s), no credentials, not a literal private address or a local
 * name. A name that resolves inside is refused at each delivery by safeFetch (DNS can change).
 */
export function cleanUrl(core: Core, raw: string): string {
  let url: URL;
  try {
    url = checkUrl(raw.trim());
  } catch (err) {
    if (err instanceof SafeFetchError) throw badField("url", `Not an allowed http(s) URL (${err.message}).`);
    throw err;
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const literal = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
  if (literal && !allowedForTests(core, host, port)) {
    const verdict = checkAddress(host);
    if (!verdict.ok) throw badField("url", `Not an allowed address (${verdict.reason}).`);
  }
  if (!literal && isLocalName(host)) throw badField("url", "Not an allowed address (a local name).");
  return url.href;
}

export function cleanEvents(raw: string[]): string[] {
  const unknown = raw.filter((e) => !isSubscribable(e));
  if (unknown.length) throw badField("events", `Unknown event ${unknown[0]}.`);
  const unique = [...new Set(raw)];
  if (unique.length === 0) throw badField("events", "Choose at least one event.");
  return unique;
}

// Subscriptions per server, cached: the gateway asks on every dispatch. Every change below drops it.
const cache = new WeakMap<Core, Map<string, Subscription[]>>();
export function guildSubscriptions(core: Core, guildId: string): Subscription[] {
  let byGuild = cache.get(core);
  if (!byGuild) cache.set(core, (byGuild = new Map()));
  let list = byGuild.get(guildId);
  if (!list) byGuild.set(guildId, (list = core.db.readOrm.select().from(eventSubscriptions).where(eq(eventSubscriptions.guildId, guildId)).orderBy(eventSubscriptions.id).all()));
  return list;
}
export const forgetSubscriptions = (core: Core, guildId: string) => cache.get(core)?.delete(guildId);

export const eventsOf = (s: Subscription): string[] => JSON.parse(s.events) as string[];
const newSigningSecret = () => `pkw_${randomBytes(32).toString("base64url")}`;

export async function createSubscription(core: Core, userId: string, guildId: string, input: { url: string; events: string[]; enabled?: boolean }): Promise<Subscription> {
  requireSubscriptionManager(core, userId, guildId);
  const url = cleanUrl(core, input.url);
  const events = cleanEvents(input.events);
  const created = await core.queue.write(({ orm }) => {
    const count = Number(orm.select({ n: sql<bigint>`count(*)` }).from(eventSubscriptions).where(eq(eventSubscriptions.guildId, guildId)).get()!.n);
    if (count >= MAX_SUBSCRIPTIONS_PER_GUILD) throw new AppError(400, 30007, `A server has at most ${MAX_SUBSCRIPTIONS_PER_GUILD} event subscriptions.`, { key: "subscriptions.tooMany" });
    return orm
      .insert(eventSubscriptions)
      .values({ id: ids.nextString(), guildId, creatorId: userId, url, events: JSON.stringify(events), secret: newSigningSecret(), enabled: input.enabled ?? true, failures: 0, createdAt: new Date().toISOString() })
      .returning()
      .get();
  });
  forgetSubscriptions(core, guildId);
  return created;
}

/** A subscription its caller may manage; 404 for anyone else (even its existence stays hidden). */
export function managedSubscription(core: Core, userId: string, id: string): Subscription {
  const found = core.db.readOrm.select().from(eventSubscriptions).where(eq(eventSubscriptions.id, id)).get();
  if (!found) throw unknownSubscription();
  try {
    requireSubscriptionManager(core, userId, found.guildId);
  } catch {
    throw unknownSubscription();
  }
  return found;
}

/** Enabling again starts afresh: the failure count goes back to 0. */
export async function updateSubscription(core: Core, sub: Subscription, patch: { url?: string; events?: string[]; enabled?: boolean }): Promise<Subscription> {
  const url = patch.url === undefined ? undefined : cleanUrl(core, patch.url);
  const events = patch.events === undefined ? undefined : cleanEvents(patch.events);
  const updated = await core.queue.write(({ orm }) =>
    orm
      .update(eventSubscriptions)
      .set({ ...(url !== undefined && { url }), ...(events !== undefined && { events: JSON.stringify(events) }), ...(patch.enabled !== undefined && { enabled: patch.enabled }), ...(patch.enabled === true && { failures: 0 }) })
      .where(eq(eventSubscriptions.id, sub.id))
      .returning()
      .get(),
  );
  forgetSubscriptions(core, sub.guildId);
  return updated;
}

export async function rotateSecret(core: Core, sub: Subscription): Promise<Subscription> {
  const updated = await core.queue.write(({ orm }) => orm.update(eventSubscriptions).set({ secret: newSigningSecret() }).where(eq(eventSubscriptions.id, sub.id)).returning().get());
  forgetSubscriptions(core, sub.guildId);
  return updated;
}

export async function deleteSubscription(core: Core, sub: Subscription): Promise<void> {
  await core.queue.write(({ orm }) => orm.delete(eventSubscriptions).where(eq(eventSubscriptions.id, sub.id)).run());
  forgetSubscriptions(core, sub.guildId);
}

export function recentDeliveries(core: Core, subId: string, limit = 50): Delivery[] {
  return core.db.readOrm.select().from(eventDeliveries).where(and(eq(eventDeliveries.subscriptionId, subId))).orderBy(desc(eventDeliveries.id)).limit(limit).all();
}

/** The API's view; `secret` only right after creation or rotation. */
export function subscriptionJson(s: Subscription, withSecret = false) {
  return { id: s.id, guild_id: s.guildId, creator_id: s.creatorId, url: s.url, events: eventsOf(s), enabled: s.enabled, failures: s.failures, created_at: s.createdAt, ...(withSecret && { secret: s.secret }) };
}

export function deliveryJson(d: Delivery) {
  return { id: d.id, event: d.event, status: d.status, attempts: d.attempts, next_attempt_at: d.status === "pending" ? new Date(d.nextAttemptAt).toISOString() : null, last_status: d.lastStatus, last_error: d.lastError, created_at: new Date(d.createdAt).toISOString() };
}
