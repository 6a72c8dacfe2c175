// /api/v10 webhooks: managing them (MANAGE_WEBHOOKS), executing them with their token (Discord,
// Slack and GitHub payloads), and, on the same paths with an application id and an interaction
// token, interaction follow-ups (Discord shares the paths the same way).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { embedsSchema } from "../embeds/schema.ts";
import { unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode, rateLimited } from "../lib/errors.ts";
import { messageJson, renderMessages } from "../messages/render.ts";
import { deleteMessageAsAuthor } from "./messages.ts";
import { messagePayload } from "../interactions/payload.ts";
import { editAsApp, postAsApp } from "../interactions/post.ts";
import { editInteractionMessage, followUp, interactionMessage, interactionMessageJson } from "../interactions/service.ts";
import { byToken } from "../interactions/store.ts";
import { fromGithub, GithubPayloadError } from "./github.ts";
import { fromSlack, slackPayload } from "./slack.ts";
import { channelWebhooks, createWebhook, deleteWebhook, guildWebhooks, managedWebhook, resetWebhookToken, unknownWebhook, updateWebhook, webhookByToken, webhookJson, webhookUser } from "./service.ts";
import type { Webhook } from "./table.ts";
import { findMessage } from "../messages/service.ts";
import type { Message } from "../messages/table.ts";

export const webhookCreateBody = z.strictObject({ name: z.string().max(200), avatar: z.string().max(10).nullish() });
export const webhookPatchBody = z.strictObject({ name: z.string().max(200).optional(), channel_id: snowflakeParam.optional(), avatar: z.string().max(10).nullish() });
export const executeBody = messagePayload.extend({ username: z.string().min(1).max(80).optional(), avatar_url: z.string().max(2048).refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), "Must be an http(s) URL.").optional(), thread_name: z.string().max(100).optional() });
/** Discord: about 5 executions per 2 s per webhook. */
const WEBHOOK_RATE = { max: 5, windowMs: 2000 };

export function channelWebhooksApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const cid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    return parsed.data;
  };
  app.post("/:channel/webhooks", async (c) => {
    const body = await parseJson(c, webhookCreateBody);
    const { webhook, token } = await createWebhook(core, currentAuth(c).user, cid(c), body.name);
    return c.json(webhookJson(core, webhook, token));
  });
  app.get("/:channel/webhooks", (c) => c.json(channelWebhooks(core, currentAuth(c).user.id, cid(c)).map((w) => webhookJson(core, w))));
  return app;
}

export function guildWebhooksApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  app.get("/:guild/webhooks", (c) => {
    const parsed = snowflakeParam.safeParse(c.req.param("guild"));
    if (!parsed.success) throw unknownWebhook();
    return c.json(guildWebhooks(core, currentAuth(c).user.id, parsed.data).map((w) => webhookJson(core, w)));
  });
  return app;
}

export function webhooksApi(core: Core) {
  const app = new Hono<AppEnv>();
  const hookId = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("id"));
    if (!parsed.success) throw unknownWebhook();
    return parsed.data;
  };
  const byUrl = (c: Context<AppEnv>): Webhook => {
    const hook = webhookByToken(core, hookId(c), c.req.param("token") ?? "");
    if (!hook) throw new AppError(401, 50027, "Invalid Webhook Token.");
    return hook;
  };
  const limit = (hook: Webhook) => {
    const rate = core.limiter.hit(`webhook:${hook.id}`, WEBHOOK_RATE);
    if (!rate.ok) throw rateLimited(rate.retryAfter);
  };
  const wait = (c: Context<AppEnv>) => c.req.query("wait") === "true";
  const answer = (c: Context<AppEnv>, hook: Webhook, message: Message) => (wait(c) ? c.json(messageJson(renderMessages(core, hook.guildId, [message], { html: false })[0]!)) : c.body(null, 204));
  const post = (hook: Webhook, payload: z.infer<typeof executeBody>) =>
    postAsApp(core, { author: webhookUser(core, hook), channelId: hook.channelId, guildId: hook.guildId, payload, componentsApp: hook.applicationId, webhook: { id: hook.id, username: payload.username, avatarUrl: payload.avatar_url } });

  // Managing (signed in, MANAGE_WEBHOOKS in the webhook's channel).
  app.get("/:id", requireUser, (c) => c.json(webhookJson(core, managedWebhook(core, currentAuth(c).user.id, hookId(c)))));
  app.patch("/:id", requireUser, async (c) => {
    const hook = managedWebhook(core, currentAuth(c).user.id, hookId(c));
    const body = await parseJson(c, webhookPatchBody);
    return c.json(webhookJson(core, await updateWebhook(core, hook, { name: body.name, channelId: body.channel_id }, currentAuth(c).user.id)));
  });
  app.delete("/:id", requireUser, async (c) => {
    await deleteWebhook(core, managedWebhook(core, currentAuth(c).user.id, hookId(c)));
    return c.body(null, 204);
  });
  // Not Discord's: a new URL for a webhook whose URL leaked (the token is only shown once here).
  app.post("/:id/token", requireUser, async (c) => {
    const hook = managedWebhook(core, currentAuth(c).user.id, hookId(c));
    return c.json(webhookJson(core, hook, await resetWebhookToken(core, hook)));
  });

  // With the token (no sign-in).
  app.get("/:id/:token", (c) => c.json(webhookJson(core, byUrl(c))));
  app.patch("/:id/:token", async (c) => {
    const body = await parseJson(c, webhookPatchBody);
    return c.json(webhookJson(core, await updateWebhook(core, byUrl(c), { name: body.name, channelId: body.channel_id }, null)));
  });
  app.delete("/:id/:token", async (c) => {
    await deleteWebhook(core, byUrl(c));
    return c.body(null, 204);
  });
  app.post("/:id/:token", async (c) => {
    const interaction = byToken(core, hookId(c), c.req.param("token"));
    if (interaction) {
      const body = await parseJson(c, messagePayload);
      return c.json(interactionMessageJson(core, interaction, await followUp(core, interaction, body)));
    }
    const hook = byUrl(c);
    limit(hook);
    const body = await parseJson(c, executeBody);
    return answer(c, hook, await post(hook, body));
  });
  app.post("/:id/:token/slack", async (c) => {
    const hook = byUrl(c);
    limit(hook);
    const converted = fromSlack(await parseJson(c, slackPayload));
    const embeds = embedsSchema.safeParse(converted.embeds);
    if (!embeds.success) throw new AppError(400, ErrorCode.invalidBody, `attachments: ${embeds.error.issues[0]?.message}`);
    const message = await post(hook, { content: converted.content, embeds: embeds.data, username: converted.username, avatar_url: converted.avatarUrl, allowed_mentions: { parse: ["users", "roles"] } });
    return wait(c) ? answer(c, hook, message) : c.text("ok");
  });
  app.post("/:id/:token/github", async (c) => {
    const hook = byUrl(c);
    const event = c.req.header("X-GitHub-Event");
    if (!event || !/^[a-z_]{1,50}$/.test(event)) throw new AppError(400, ErrorCode.invalidBody, "The X-GitHub-Event header is missing.");
    const body = await parseJson(c, z.unknown());
    let embed;
    try {
      embed = fromGithub(event, body);
    } catch (err) {
      if (err instanceof GithubPayloadError) throw new AppError(400, ErrorCode.invalidBody, err.message);
      throw err;
    }
    if (!embed) return c.body(null, 204);
    limit(hook);
    const embeds = embedsSchema.safeParse([embed]);
    if (!embeds.success) throw new AppError(400, ErrorCode.invalidBody, "The event could not be shown.");
    return answer(c, hook, await post(hook, { embeds: embeds.data, username: "GitHub", allowed_mentions: { parse: [] } }));
  });

  // Messages of a webhook (or of an interaction: /webhooks/{application_id}/{token}/messages/@original).
  const target = (c: Context<AppEnv>) => {
    const messageId = c.req.param("message") ?? "";
    const interaction = byToken(core, hookId(c), c.req.param("token") ?? "");
    if (interaction) return { interaction, messageId };
    const hook = byUrl(c);
    const parsed = snowflakeParam.safeParse(messageId);
    if (!parsed.success) throw new AppError(404, 10008, "Unknown message.", { key: "error.notFound" });
    const message = findMessage(core, hook.channelId, parsed.data);
    if (message.authorId !== hook.id) throw new AppError(404, 10008, "Unknown message.", { key: "error.notFound" });
    return { hook, message, messageId };
  };
  const unknownMsg = () => new AppError(404, 10008, "Unknown message.", { key: "error.notFound" });
  app.get("/:id/:token/messages/:message", (c) => {
    const t = target(c);
    if (t.interaction) {
      const m = interactionMessage(core, t.interaction, t.messageId);
      if (!m) throw unknownMsg();
      return c.json(interactionMessageJson(core, t.interaction, m));
    }
    return c.json(messageJson(renderMessages(core, t.hook!.guildId, [t.message!], { html: false })[0]!));
  });
  app.patch("/:id/:token/messages/:message", async (c) => {
    const t = target(c);
    const body = await parseJson(c, messagePayload);
    if (t.interaction) return c.json(interactionMessageJson(core, t.interaction, await editInteractionMessage(core, t.interaction, t.messageId, body)));
    const edited = await editAsApp(core, t.message!, body, t.hook!.applicationId);
    return c.json(messageJson(renderMessages(core, t.hook!.guildId, [edited], { html: false })[0]!));
  });
  app.delete("/:id/:token/messages/:message", async (c) => {
    const t = target(c);
    const message = t.interaction ? interactionMessage(core, t.interaction, t.messageId) : t.message!;
    if (!message) throw unknownMsg();
    if (t.interaction?.ephemeral.has(message.id)) t.interaction.ephemeral.delete(message.id);
    else await deleteMessageAsAuthor(core, message);
    return c.body(null, 204);
  });
  return app;
}
