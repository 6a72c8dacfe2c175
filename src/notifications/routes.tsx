// Settings → Notifications: per-person choices, per-server and per-channel choices, and this
// device's push subscription (static/js/notify-settings.js posts it as JSON).
import { Hono } from "hono";
import { z } from "zod";
import { ChannelNotificationSettings, NotificationSettings } from "../../views/notifications/settings.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { channelAccess, guildAccess, unknownChannel, visibleChannels } from "../guilds/access.ts";
import { findGuild, myGuilds } from "../guilds/service.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx, safeNext } from "../http/page.ts";
import { parseForm, parseJson, snowflakeParam } from "../http/validate.ts";
import { fieldError } from "../lib/field-error.ts";
import { requirePageUser } from "../users/routes.tsx";
import { subscribe, unsubscribe, vapidKeys } from "./push.ts";
import { LEVELS, MUTE_MINUTES, muteUntil, mySettings, NO_SETTINGS, prefsFor, savePrefs, saveScopeSettings, scopeSettings } from "./settings.ts";

const prefsForm = z.object({ dm_notify: z.literal("1").optional(), sound: z.literal("1").optional() });
const triState = z.enum(["", "1", "0"]).default("").transform((v) => (v === "" ? null : v === "1"));
const scopeForm = z.object({
  level: z.string().default(""),
  mute: z.string().default("keep"),
  suppress_everyone: triState,
  suppress_roles: triState,
  back: z.string().max(200).optional(),
});
// A subscription as PushSubscription.toJSON() gives it.
const subscriptionJson = z.object({
  // Push services use https; the payload is end-to-end encrypted either way, and safeFetch keeps
  // the request away from private addresses whatever the scheme.
  endpoint: z.string().max(2048).refine((u) => URL.canParse(u) && ["https:", "http:"].includes(new URL(u).protocol)),
  keys: z.object({ p256dh: z.string().min(80).max(100).regex(/^[A-Za-z0-9_-]+=*$/), auth: z.string().min(16).max(32).regex(/^[A-Za-z0-9_-]+=*$/) }),
});

export function notificationRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  const me = (c: Parameters<typeof currentAuth>[0]) => currentAuth(c).user;

  app.get("/", (c) => {
    const user = me(c);
    const guilds = myGuilds(core, user.id);
    const settings = mySettings(core, user.id, guilds.map((g) => g.id));
    const servers = guilds.map((g) => ({ id: g.id, name: g.name, settings: settings.get(g.id) ?? NO_SETTINGS }));
    return c.html(<NotificationSettings ctx={pageCtx(c, core)} prefs={prefsFor(core, [user.id]).get(user.id)!} servers={servers} vapidKey={vapidKeys(core).publicKey} notice={c.req.query("saved") ? c.get("t")("notify.saved") : undefined} />);
  });

  app.get("/guilds/:guild", (c) => {
    const user = me(c);
    const guildId = c.req.param("guild");
    const access = snowflakeParam.safeParse(guildId).success ? guildAccess(core, user.id, guildId) : null;
    if (!access) throw unknownChannel();
    const list = visibleChannels(core, access).filter((ch) => ch.type === 0 || ch.type === 5);
    const settings = mySettings(core, user.id, list.map((ch) => ch.id));
    const channels = list.map((ch) => ({ id: ch.id, name: ch.name, settings: settings.get(ch.id) ?? NO_SETTINGS }));
    return c.html(<ChannelNotificationSettings ctx={pageCtx(c, core)} guild={findGuild(core, guildId)} channels={channels} notice={c.req.query("saved") ? c.get("t")("notify.saved") : undefined} />);
  });

  app.post("/prefs", async (c) => {
    const form = await parseForm(c, prefsForm);
    await savePrefs(core, me(c).id, { dmNotify: form.dm_notify === "1", sound: form.sound === "1" });
    return c.redirect("/settings/notifications?saved=1", 303);
  });

  // A server (its id) or a channel or DM the user can see.
  app.post("/scope/:scope", async (c) => {
    const user = me(c);
    const scopeId = c.req.param("scope");
    const isGuild = snowflakeParam.safeParse(scopeId).success && guildAccess(core, user.id, scopeId) !== null;
    if (!isGuild && !(snowflakeParam.safeParse(scopeId).success && channelAccess(core, user.id, scopeId))) throw unknownChannel();
    const form = await parseForm(c, scopeForm);
    if (form.level !== "" && !(LEVELS as readonly string[]).includes(form.level)) throw fieldError({ level: "notify.badLevel" });
    if (!["keep", "off", ...MUTE_MINUTES.map(String)].includes(form.mute)) throw fieldError({ mute: "notify.badMute" });
    const current = scopeSettings(core, user.id, scopeId);
    const mutedUntil = form.mute === "keep" ? current.mutedUntil : muteUntil(form.mute === "off" ? null : Number(form.mute));
    // A server has no "inherit": its defaults are only mentions, no suppression.
    const level = form.level === "" ? null : (form.level as (typeof LEVELS)[number]);
    await saveScopeSettings(core, user.id, scopeId, {
      level: isGuild && level === "mentions" ? null : level,
      mutedUntil,
      suppressEveryone: isGuild && form.suppress_everyone === false ? null : form.suppress_everyone,
      suppressRoles: isGuild && form.suppress_roles === false ? null : form.suppress_roles,
    });
    const back = form.back && form.back.startsWith("/settings/notifications") ? safeNext(form.back) : "/settings/notifications";
    return c.redirect(`${back}?saved=1`, 303);
  });

  app.get("/push-key", (c) => c.json({ public_key: vapidKeys(core).publicKey }));
  app.post("/push", async (c) => {
    const body = await parseJson(c, subscriptionJson).catch(() => {
      throw fieldError({ endpoint: "notify.badSubscription" });
    });
    await subscribe(core, me(c).id, { endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth, userAgent: c.req.header("User-Agent") ?? "" });
    return c.body(null, 204);
  });
  app.delete("/push", async (c) => {
    const body = await parseJson(c, z.object({ endpoint: z.string().max(2048) }));
    await unsubscribe(core, me(c).id, body.endpoint);
    return c.body(null, 204);
  });
  return app;
}
