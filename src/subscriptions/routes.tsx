// Server settings → Event subscriptions: the page and its forms (no JS needed: plain posts and
// redirects; a new secret is rendered on the answer to the post that made it, once).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { SubscriptionsPage } from "../../views/subscriptions/pages.tsx";
import type { GuildAbilities } from "../../views/guilds/settings.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownGuild, type GuildAccess } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { requirePageUser } from "../users/routes.tsx";
import { queuePing } from "./deliver.ts";
import { createSubscription, deleteSubscription, guildSubscriptions, managedSubscription, recentDeliveries, requireSubscriptionManager, rotateSecret, unknownSubscription, updateSubscription } from "./service.ts";
import type { Subscription } from "./table.ts";

const LOG_ROWS = 20;

export function subscriptionPages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/guilds/:guild/settings/subscriptions", requirePageUser);
  app.use("/guilds/:guild/subscriptions/*", requirePageUser);
  app.use("/guilds/:guild/subscriptions", requirePageUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const gid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("guild"));
    if (!parsed.success) throw unknownGuild();
    return parsed.data;
  };
  const abilities = (a: GuildAccess): GuildAbilities => ({
    manageGuild: has(a.permissions, Permission.MANAGE_GUILD),
    manageRoles: has(a.permissions, Permission.MANAGE_ROLES),
    ban: has(a.permissions, Permission.BAN_MEMBERS),
    isOwner: a.isOwner,
    manageWebhooks: true, // this page needs it (or MANAGE_GUILD)
  });
  type Extra = Partial<Pick<Parameters<typeof SubscriptionsPage>[0], "secret" | "notice" | "errors" | "form">>;
  const page = (c: Context<AppEnv>, extra: Extra = {}, status = 200) => {
    const a = requireSubscriptionManager(core, me(c), gid(c));
    const rows = guildSubscriptions(core, a.guild.id).map((sub) => ({ sub, deliveries: recentDeliveries(core, sub.id, LOG_ROWS) }));
    c.header("Cache-Control", "private, no-store");
    return c.html(<SubscriptionsPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} rows={rows} {...extra} />, status as 200);
  };
  const back = (c: Context<AppEnv>) => c.redirect(`/guilds/${gid(c)}/settings/subscriptions?saved=1`, 303);
  const sub = (c: Context<AppEnv>): Subscription => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw unknownSubscription();
    const found = managedSubscription(core, me(c), parsed.data);
    if (found.guildId !== gid(c)) throw unknownSubscription();
    return found;
  };

  app.get("/guilds/:guild/settings/subscriptions", (c) => page(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/guilds/:guild/subscriptions", async (c) => {
    const form = await parseForm(c, z.object({ url: z.string().max(4096).default(""), events: z.union([z.string().max(64), z.array(z.string().max(64)).max(50)]).optional() }));
    const events = form.events === undefined ? [] : Array.isArray(form.events) ? form.events : [form.events];
    try {
      const created = await createSubscription(core, me(c), gid(c), { url: form.url, events });
      return page(c, { secret: { id: created.id, value: created.secret }, notice: c.get("t")("subscriptions.created") });
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return page(c, { errors, form: { url: form.url, events } }, status);
    }
  });
  app.post("/guilds/:guild/subscriptions/:id/secret", async (c) => {
    const rotated = await rotateSecret(core, sub(c));
    return page(c, { secret: { id: rotated.id, value: rotated.secret } });
  });
  app.post("/guilds/:guild/subscriptions/:id/ping", (c) => {
    queuePing(core, sub(c));
    return back(c);
  });
  app.post("/guilds/:guild/subscriptions/:id/pause", async (c) => {
    await updateSubscription(core, sub(c), { enabled: false });
    return back(c);
  });
  app.post("/guilds/:guild/subscriptions/:id/enable", async (c) => {
    await updateSubscription(core, sub(c), { enabled: true });
    return back(c);
  });
  app.post("/guilds/:guild/subscriptions/:id/delete", async (c) => {
    await deleteSubscription(core, sub(c));
    return back(c);
  });
  return app;
}
