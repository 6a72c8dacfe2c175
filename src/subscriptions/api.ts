// /api/v10 event subscriptions (outgoing webhooks; not a Discord API): a server's admins list,
// create, edit and delete them, rotate the signing secret, send a test event and read the log.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownGuild } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { SUBSCRIBABLE_EVENTS } from "./events.ts";
import { queuePing } from "./deliver.ts";
import { createSubscription, deleteSubscription, deliveryJson, guildSubscriptions, managedSubscription, recentDeliveries, requireSubscriptionManager, rotateSecret, subscriptionJson, unknownSubscription, updateSubscription } from "./service.ts";

const eventList = z.array(z.enum(SUBSCRIBABLE_EVENTS)).min(1).max(SUBSCRIBABLE_EVENTS.length);
export const subscriptionCreateBody = z.strictObject({ url: z.string().min(1).max(2048), events: eventList, enabled: z.boolean().optional() });
export const subscriptionPatchBody = z.strictObject({ url: z.string().min(1).max(2048).optional(), events: eventList.optional(), enabled: z.boolean().optional() });

export function guildSubscriptionsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const gid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("guild"));
    if (!parsed.success) throw unknownGuild();
    return parsed.data;
  };
  app.get("/:guild/subscriptions", (c) => {
    requireSubscriptionManager(core, currentAuth(c).user.id, gid(c));
    return c.json(guildSubscriptions(core, gid(c)).map((s) => subscriptionJson(s)));
  });
  app.post("/:guild/subscriptions", async (c) => {
    const guildId = gid(c);
    requireSubscriptionManager(core, currentAuth(c).user.id, guildId);
    const body = await parseJson(c, subscriptionCreateBody);
    return c.json(subscriptionJson(await createSubscription(core, currentAuth(c).user.id, guildId, body), true), 201);
  });
  return app;
}

export function subscriptionsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const sub = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw unknownSubscription();
    return managedSubscription(core, currentAuth(c).user.id, parsed.data);
  };
  app.get("/:id", (c) => c.json(subscriptionJson(sub(c))));
  app.patch("/:id", async (c) => {
    const found = sub(c);
    const body = await parseJson(c, subscriptionPatchBody);
    return c.json(subscriptionJson(await updateSubscription(core, found, body)));
  });
  app.delete("/:id", async (c) => {
    await deleteSubscription(core, sub(c));
    return c.body(null, 204);
  });
  app.post("/:id/secret", async (c) => c.json(subscriptionJson(await rotateSecret(core, sub(c)), true)));
  app.post("/:id/ping", (c) => {
    queuePing(core, sub(c));
    return c.body(null, 202);
  });
  app.get("/:id/deliveries", (c) => {
    const found = sub(c);
    const limit = Math.min(100, Math.max(1, Number(c.req.query("limit") ?? 50) || 50));
    return c.json(recentDeliveries(core, found.id, limit).map(deliveryJson));
  });
  return app;
}
