// Channel settings → Webhooks (MANAGE_WEBHOOKS in the channel): plain forms; a URL is rendered
// only on the answer to the post that made it (create or new URL), never again.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { WebhooksPage } from "../../views/webhooks/pages.tsx";
import { users } from "../auth/table.ts";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { Permission } from "../permissions/permissions.ts";
import { requirePageUser } from "../users/routes.tsx";
import { channelWebhooks, createWebhook, deleteWebhook, managedWebhook, resetWebhookToken, unknownWebhook, webhookUrl } from "./service.ts";
import { inArray } from "drizzle-orm";

export function webhookPages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/channels/:channel/webhooks", requirePageUser);
  app.use("/channels/:channel/webhooks/*", requirePageUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const cid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    return parsed.data;
  };
  type Extra = Partial<Pick<Parameters<typeof WebhooksPage>[0], "shown" | "notice" | "errors">>;
  const page = (c: Context<AppEnv>, extra: Extra = {}, status = 200) => {
    const access = requireChannel(core, me(c), cid(c), Permission.MANAGE_WEBHOOKS);
    if (!access.guild) throw unknownChannel();
    const list = channelWebhooks(core, me(c), access.channel.id);
    const creatorIds = [...new Set(list.flatMap((h) => (h.creatorId ? [h.creatorId] : [])))];
    const names = new Map(creatorIds.length ? core.db.readOrm.select().from(users).where(inArray(users.id, creatorIds)).all().map((u) => [u.id, u.displayName ?? u.username]) : []);
    c.header("Cache-Control", "private, no-store");
    return c.html(<WebhooksPage ctx={pageCtx(c, core)} guild={access.guild.guild} channel={access.channel} hooks={list.map((hook) => ({ hook, creator: hook.creatorId ? (names.get(hook.creatorId) ?? null) : null }))} {...extra} />, status as 200);
  };
  const hook = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw unknownWebhook();
    const found = managedWebhook(core, me(c), parsed.data);
    if (found.channelId !== cid(c)) throw unknownWebhook();
    return found;
  };

  app.get("/channels/:channel/webhooks", (c) => page(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/channels/:channel/webhooks", async (c) => {
    const form = await parseForm(c, z.object({ name: z.string().max(400).default("") }));
    try {
      const { webhook, token } = await createWebhook(core, currentAuth(c).user, cid(c), form.name);
      return page(c, { shown: { id: webhook.id, url: webhookUrl(core, webhook.id, token) } }, 201);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return page(c, { errors }, status);
    }
  });
  app.post("/channels/:channel/webhooks/:id/token", async (c) => {
    const found = hook(c);
    return page(c, { shown: { id: found.id, url: webhookUrl(core, found.id, await resetWebhookToken(core, found)) } });
  });
  app.post("/channels/:channel/webhooks/:id/delete", async (c) => {
    await deleteWebhook(core, hook(c));
    return c.redirect(`/channels/${cid(c)}/webhooks?saved=1`, 303);
  });
  return app;
}
