// Delivering subscribed events. The gateway tells us of every dispatch (Gateway.observers); events
// of a server with matching subscriptions become rows of event_deliveries (batched: one write per
// tick, not per event), and a sweep POSTs due rows through safeFetch, signed (sign.ts). A failure
// (network, timeout, refused address, non-2xx) is retried with exponential backoff until 24 h
// after the event. The subscription is disabled when a delivery runs out of time with nothing
// delivered since it was first tried, or after MAX_CONSECUTIVE_FAILURES failures in a row. The clock and the backoff are injectable so tests can walk through a day at once.
import { and, eq, inArray, lt, lte, ne } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids, snowflakeAt } from "../db/snowflake.ts";
import { channelAccess } from "../guilds/access.ts";
import { channels } from "../guilds/table.ts";
import { safeFetch, SafeFetchError } from "../net/safe-fetch.ts";
import { Permission } from "../permissions/permissions.ts";
import { isSubscribable, PING_EVENT } from "./events.ts";
import { eventsOf, forgetSubscriptions, guildSubscriptions } from "./service.ts";
import { signDelivery, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./sign.ts";
import { eventDeliveries, eventSubscriptions, type Delivery, type Subscription } from "./table.ts";

/** Retries stop this long after the event. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
/**
 * Failed attempts in a row (any of its deliveries) after which a subscription is disabled even
 * before a delivery ran out of time: an endpoint that is gone while events keep coming.
 */
export const MAX_CONSECUTIVE_FAILURES = 100;
const SWEEP_EVERY_MS = 5000;
const BATCH = 25;
const KEEP_LOG_MS = 7 * 24 * 60 * 60_000;

/** 30 s, 1 min, 2 min, ... doubling up to 1 h between attempts (about 30 attempts in 24 h). */
export const defaultBackoff = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);

export interface DeliveryClock {
  now: () => number;
  backoff: (attempts: number) => number;
}
const clocks = new WeakMap<Core, DeliveryClock>();
const clockOf = (core: Core): DeliveryClock => clocks.get(core) ?? { now: Date.now, backoff: defaultBackoff };
/** Tests: a fake clock and backoff for this server. */
export const setDeliveryClock = (core: Core, clock: Partial<DeliveryClock>) => clocks.set(core, { ...clockOf(core), ...clock });

interface Queued {
  subscriptionId: string;
  event: string;
  payload: string;
}
const queued = new WeakMap<Core, Queued[]>();
const runs = new WeakMap<Core, Promise<number>>();

const deletes = (t: string) => t.endsWith("_DELETE") || t.endsWith("_DELETE_BULK") || t === "GUILD_MEMBER_REMOVE";

/** The channel an event is about, whose visibility decides whether the subscription hears it. */
function channelOf(t: string, d: Record<string, unknown>): string | null {
  if (deletes(t) && !t.startsWith("MESSAGE_")) return null;
  const id = t.startsWith("CHANNEL_") || t.startsWith("THREAD_") ? d.id : d.channel_id;
  return typeof id === "string" ? id : null;
}

function guildOf(core: Core, topic: string, d: Record<string, unknown>): string | null {
  if (typeof d.guild_id === "string") return d.guild_id;
  const m = /^json:(guild|channel):(\d+)$/.exec(topic);
  if (!m) return null;
  if (m[1] === "guild") return m[2]!;
  return core.db.readOrm.select({ g: channels.guildId }).from(channels).where(eq(channels.id, m[2]!)).get()?.g ?? null;
}

/** Called for every gateway dispatch: queue one delivery per subscription that wants it. */
export function observeDispatch(core: Core, topic: string, t: string, raw: unknown): void {
  if (!isSubscribable(t) || typeof raw !== "object" || raw === null || !topic.startsWith("json:")) return;
  const d = raw as Record<string, unknown>;
  const guildId = guildOf(core, topic, d);
  if (!guildId) return;
  const subs = guildSubscriptions(core, guildId).filter((s) => s.enabled && eventsOf(s).includes(t));
  if (subs.length === 0) return;
  const channelId = channelOf(t, d);
  const now = clockOf(core).now();
  for (const s of subs) {
    // A subscription hears what its creator can see: a private channel's messages stay private.
    if (channelId) {
      const seen = s.creatorId ? channelAccess(core, s.creatorId, channelId) : null;
      if (!seen || (seen.permissions & Permission.VIEW_CHANNEL) === 0n) continue;
    }
    enqueue(core, { subscriptionId: s.id, event: t, payload: JSON.stringify({ type: t, guild_id: guildId, timestamp: new Date(now).toISOString(), data: { ...d, guild_id: guildId } }) });
  }
}

/** Queue one event for one subscription (written on the next tick, with whatever else arrived). */
export function enqueue(core: Core, item: Queued): void {
  let list = queued.get(core);
  if (!list) {
    queued.set(core, (list = []));
    setTimeout(() => void flush(core), 0);
  }
  list.push(item);
}

async function flush(core: Core): Promise<void> {
  const list = queued.get(core) ?? [];
  queued.delete(core);
  if (list.length === 0) return;
  const now = clockOf(core).now();
  try {
    await core.queue.write(({ orm }) => {
      for (const q of list) orm.insert(eventDeliveries).values({ id: ids.nextString(), subscriptionId: q.subscriptionId, event: q.event, payload: q.payload, status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now }).run();
    });
  } catch (err) {
    // A subscription deleted meanwhile (foreign key): its events have nowhere to go.
    core.logger.warn("event deliveries not queued", { err, count: list.length });
    return;
  }
  void deliverDue(core).catch((err) => core.logger.warn("event delivery failed", { err }));
}

/** A PING to check an endpoint (Settings and POST /subscriptions/{id}/ping). */
export function queuePing(core: Core, sub: Subscription): void {
  const now = clockOf(core).now();
  enqueue(core, { subscriptionId: sub.id, event: PING_EVENT, payload: JSON.stringify({ type: PING_EVENT, guild_id: sub.guildId, timestamp: new Date(now).toISOString(), data: { subscription_id: sub.id } }) });
}

/** Waits for queued events to be written (tests). */
export const flushDeliveries = (core: Core) => flush(core);

interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

async function attempt(core: Core, sub: Subscription, d: Delivery, now: number): Promise<Outcome> {
  const timestamp = String(Math.floor(now / 1000));
  try {
    const res = await safeFetch(sub.url, {
      method: "POST",
      body: d.payload,
      headers: { "Content-Type": "application/json", "User-Agent": "Pokynano-Webhooks/1", "X-Pokynano-Event": d.event, "X-Pokynano-Delivery": d.id, [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signDelivery(sub.secret, timestamp, d.payload) },
      timeoutMs: 5000,
      maxRedirects: 0,
      maxBytes: 16 * 1024,
      oversize: "truncate",
      context: core,
    });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    if (err instanceof SafeFetchError) return { ok: false, status: null, error: `${err.kind}: ${err.message}`.slice(0, 300) };
    throw err;
  }
}

/** One pass: deliver every due row (up to BATCH), oldest first, one subscription's rows in order. */
async function sweepOnce(core: Core): Promise<number> {
  const { now: clock, backoff } = clockOf(core);
  const now = clock();
  const due = core.db.readOrm.select().from(eventDeliveries).where(and(eq(eventDeliveries.status, "pending"), lte(eventDeliveries.nextAttemptAt, now))).orderBy(eventDeliveries.id).limit(BATCH).all();
  if (due.length === 0) return 0;
  const subIds = [...new Set(due.map((d) => d.subscriptionId))];
  const subs = new Map(core.db.readOrm.select().from(eventSubscriptions).where(inArray(eventSubscriptions.id, subIds)).all().map((s) => [s.id, s]));
  await Promise.all(
    subIds.map(async (subId) => {
      const sub = subs.get(subId);
      for (const d of due.filter((x) => x.subscriptionId === subId)) {
        if (!sub || !sub.enabled) {
          await core.queue.write(({ orm }) => orm.update(eventDeliveries).set({ status: "failed", lastError: "The subscription is disabled." }).where(eq(eventDeliveries.id, d.id)).run());
          continue;
        }
        const result = await attempt(core, sub, d, now);
        const attempts = d.attempts + 1;
        const next = now + backoff(attempts);
        const giveUp = !result.ok && next > d.createdAt + RETRY_WINDOW_MS;
        const status = result.ok ? "delivered" : giveUp ? "failed" : "pending";
        const disabled = await core.queue.write(({ orm }) => {
          orm.update(eventDeliveries).set({ status, attempts, nextAttemptAt: result.ok || giveUp ? now : next, lastStatus: result.status, lastError: giveUp ? `${result.error} (gave up after 24 h)` : result.error }).where(eq(eventDeliveries.id, d.id)).run();
          const failures = result.ok ? 0 : sub.failures + 1;
          sub.failures = failures;
          // A delivery that failed for 24 h with nothing delivered in between, or a long run of failures.
          const off = (giveUp && failures >= attempts) || failures >= MAX_CONSECUTIVE_FAILURES;
          orm.update(eventSubscriptions).set({ failures, ...(off && { enabled: false }) }).where(eq(eventSubscriptions.id, sub.id)).run();
          if (off) {
            orm.update(eventDeliveries).set({ status: "failed", lastError: "The subscription was disabled after repeated failures." }).where(and(eq(eventDeliveries.subscriptionId, sub.id), eq(eventDeliveries.status, "pending"))).run();
            sub.enabled = false;
          }
          return off;
        });
        if (disabled) {
          core.logger.warn("event subscription disabled after repeated failures", { subscription: sub.id, guild: sub.guildId });
          forgetSubscriptions(core, sub.guildId);
        }
      }
    }),
  );
  return due.length;
}

/** Deliver what is due now (runs one at a time per server; a call during a run waits for it, then runs). */
export async function deliverDue(core: Core): Promise<number> {
  const previous = runs.get(core);
  const run = (async () => {
    if (previous) await previous.catch(() => 0);
    let total = 0;
    for (let n = await sweepOnce(core); n > 0; n = n === BATCH ? await sweepOnce(core) : 0) total += n;
    return total;
  })();
  runs.set(core, run);
  try {
    return await run;
  } finally {
    if (runs.get(core) === run) runs.delete(core);
  }
}

/** Delivered and failed rows older than a week go (the log keeps a week). */
async function pruneLog(core: Core): Promise<void> {
  const before = snowflakeAt(new Date(Date.now() - KEEP_LOG_MS)).toString();
  await core.queue.write(({ orm }) => orm.delete(eventDeliveries).where(and(ne(eventDeliveries.status, "pending"), lt(eventDeliveries.id, before))).run());
}

/** Listen to the gateway and start the sweep; returns the function that stops it. */
export function startSubscriptions(core: Core, every = SWEEP_EVERY_MS): () => void {
  const observer = (topic: string, t: string, d: unknown) => observeDispatch(core, topic, t, d);
  core.hub.gateway?.observers.push(observer);
  let ticks = 0;
  const timer = setInterval(() => {
    deliverDue(core).catch((err) => core.logger.warn("event delivery sweep failed", { err }));
    if (++ticks % 720 === 0) pruneLog(core).catch((err) => core.logger.warn("event delivery log prune failed", { err }));
  }, every);
  return () => {
    clearInterval(timer);
    const list = core.hub.gateway?.observers;
    if (list?.includes(observer)) list.splice(list.indexOf(observer), 1);
  };
}
