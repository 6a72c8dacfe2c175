// /api/v10/channels/{id}/messages: Discord's message endpoints.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { messageJson, renderedBefore, renderMessages } from "./render.ts";
import { deleteMessage, editMessage, findMessage, listMessages, sendMessage, unknownMessage } from "./service.ts";
import { addReaction, reactors, removeReaction } from "./reactions.ts";
import { publicUser } from "../users/service.ts";
import { listPins, pinMessage, unpinMessage } from "./pins.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { isSnowflake } from "./history.ts";
import { embedsSchema } from "../embeds/schema.ts";
import { fromInput } from "../embeds/service.ts";
import { changeEmbeds, SUPPRESS_EMBEDS } from "../embeds/edit.ts";
import { componentsSchema } from "../interactions/components.ts";
import { allowedMentionsSchema } from "../interactions/payload.ts";
import { changeComponents, onlyApplications } from "../interactions/message-components.ts";
import { removeReactions } from "./reactions-manage.ts";

const snowflakeQuery = z.string().refine(isSnowflake).optional();
const sendBody = z.strictObject({
  // Optional when the message carries embeds (Discord's rule); the send refuses a message with neither.
  content: z.string().max(8000).optional(),
  embeds: embedsSchema.optional(),
  nonce: z.union([z.string().max(25), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String)]).nullish(),
  enforce_nonce: z.boolean().optional(),
  tts: z.boolean().optional(),
  allowed_mentions: allowedMentionsSchema.optional(),
  components: componentsSchema.optional(),
  message_reference: z.object({ message_id: z.string().refine(isSnowflake, "Not a message id."), channel_id: z.string().optional(), guild_id: z.string().optional(), fail_if_not_exists: z.boolean().optional() }).optional(),
});

export function messagesApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const cid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success || !isSnowflake(parsed.data)) throw unknownChannel();
    return parsed.data;
  };
  const mid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("message"));
    if (!parsed.success || !isSnowflake(parsed.data)) throw unknownMessage();
    return parsed.data;
  };
  const guildOf = (c: Context<AppEnv>, channelId: string) => requireChannel(core, currentAuth(c).user.id, channelId).channel.guildId;
  const render = (c: Context<AppEnv>, channelId: string, list: Parameters<typeof renderMessages>[2]) => renderMessages(core, guildOf(c, channelId), list, { html: false }).map((r) => messageJson(r, currentAuth(c).user.id));

  app.get("/:channel/messages", (c) => {
    const q = z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), before: snowflakeQuery, after: snowflakeQuery, around: snowflakeQuery }).safeParse(c.req.query());
    if (!q.success) return c.json({ code: 50035, message: "Invalid query: limit is 1-100 and before/after/around are message ids." }, 400);
    const channelId = cid(c);
    return c.json(render(c, channelId, listMessages(core, currentAuth(c).user.id, channelId, q.data)));
  });
  // Pins: Discord's current paths (/messages/pins) and the older ones (/pins) that libraries still call.
  const pinnedPage = (c: Context<AppEnv>) => {
    const q = z.object({ limit: z.coerce.number().int().min(1).max(50).optional(), before: z.iso.datetime({ offset: true }).optional() }).safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid query: limit is 1-50 and before is an ISO 8601 timestamp.");
    const channelId = cid(c);
    const limit = q.data.limit ?? 50;
    const list = listPins(core, currentAuth(c).user.id, channelId, { before: q.data.before, limit: limit + 1 });
    return { channelId, list: list.slice(0, limit), hasMore: list.length > limit };
  };
  app.get("/:channel/messages/pins", (c) => {
    const { channelId, list, hasMore } = pinnedPage(c);
    const rendered = render(c, channelId, list);
    return c.json({ items: rendered.map((m, i) => ({ pinned_at: list[i]!.pinnedAt, message: m })), has_more: hasMore });
  });
  app.get("/:channel/pins", (c) => {
    const { channelId, list } = pinnedPage(c);
    return c.json(render(c, channelId, list));
  });
  for (const path of ["/:channel/messages/pins/:message", "/:channel/pins/:message"]) {
    app.put(path, async (c) => {
      await pinMessage(core, currentAuth(c).user.id, cid(c), mid(c));
      return c.body(null, 204);
    });
    app.delete(path, async (c) => {
      await unpinMessage(core, currentAuth(c).user.id, cid(c), mid(c));
      return c.body(null, 204);
    });
  }
  app.get("/:channel/messages/:message", (c) => {
    const channelId = cid(c);
    const list = listMessages(core, currentAuth(c).user.id, channelId, { around: mid(c), limit: 1 });
    if (list[0]?.id !== mid(c)) throw unknownMessage();
    return c.json(render(c, channelId, list)[0]);
  });
  app.post("/:channel/messages", async (c) => {
    const body = await parseJson(c, sendBody);
    const channelId = cid(c);
    // The client's own id, author and timestamp are never taken: strictObject refuses them.
    if (body.components?.length) onlyApplications(currentAuth(c).user);
    const { message, guildId } = await sendMessage(core, currentAuth(c).user, channelId, { content: body.content ?? "", embeds: body.embeds?.map(fromInput), nonce: body.nonce, replyToId: body.message_reference?.message_id, replyPing: body.allowed_mentions?.replied_user ?? false, allowedMentions: body.allowed_mentions, components: body.components });
    // The send already checked access to the channel: render without checking it again.
    const rendered = renderedBefore(message) ?? renderMessages(core, guildId, [message], { html: false })[0]!;
    return c.json(messageJson(rendered, currentAuth(c).user.id));
  });
  app.patch("/:channel/messages/:message", async (c) => {
    // discord.js sends tts and enforce_nonce with every edit; Discord ignores them there, and so do we.
    const body = await parseJson(c, z.strictObject({ content: z.string().max(8000).optional(), embeds: embedsSchema.nullish(), flags: z.number().int().nonnegative().max(2 ** 31).optional(), tts: z.boolean().optional(), enforce_nonce: z.boolean().optional(), allowed_mentions: sendBody.shape.allowed_mentions, components: componentsSchema.optional(), attachments: z.array(z.object({ id: z.string().refine(isSnowflake, "Not an attachment id.") }).passthrough()).max(10).optional() }));
    const channelId = cid(c);
    const userId = currentAuth(c).user.id;
    // `attachments` lists the ones to keep (Discord): the others are removed from the message.
    const keep = body.attachments?.map((a) => a.id);
    let message = body.content !== undefined || keep ? await editMessage(core, userId, channelId, mid(c), body.content, keep) : findMessage(core, channelId, mid(c));
    // Embeds (author only) and the SUPPRESS_EMBEDS flag (author or MANAGE_MESSAGES), as in Discord.
    if (body.embeds !== undefined || body.flags !== undefined)
      message = await changeEmbeds(core, userId, channelId, message.id, { embeds: body.embeds === undefined ? undefined : (body.embeds ?? []).map(fromInput), suppress: body.flags === undefined ? undefined : (body.flags & SUPPRESS_EMBEDS) !== 0 });
    if (body.components !== undefined) message = await changeComponents(core, currentAuth(c).user, channelId, message.id, body.components);
    return c.json(render(c, channelId, [message])[0]);
  });
  app.put("/:channel/messages/:message/reactions/:emoji/@me", async (c) => {
    await addReaction(core, currentAuth(c).user.id, cid(c), mid(c), c.req.param("emoji"));
    return c.body(null, 204);
  });
  app.delete("/:channel/messages/:message/reactions/:emoji/@me", async (c) => {
    await removeReaction(core, currentAuth(c).user.id, cid(c), mid(c), c.req.param("emoji"));
    return c.body(null, 204);
  });
  // Other people's reactions (MANAGE_MESSAGES): one person's, one emoji's, or all.
  app.delete("/:channel/messages/:message/reactions/:emoji/:user", async (c) => {
    const target = snowflakeParam.safeParse(c.req.param("user"));
    if (!target.success) throw new AppError(404, ErrorCode.unknownUser, "Unknown user.", { key: "error.notFound" });
    await removeReactions(core, currentAuth(c).user.id, cid(c), mid(c), c.req.param("emoji"), target.data);
    return c.body(null, 204);
  });
  app.delete("/:channel/messages/:message/reactions/:emoji", async (c) => {
    await removeReactions(core, currentAuth(c).user.id, cid(c), mid(c), c.req.param("emoji"), null);
    return c.body(null, 204);
  });
  app.delete("/:channel/messages/:message/reactions", async (c) => {
    await removeReactions(core, currentAuth(c).user.id, cid(c), mid(c), null, null);
    return c.body(null, 204);
  });
  app.get("/:channel/messages/:message/reactions/:emoji", (c) => c.json(reactors(core, currentAuth(c).user.id, cid(c), mid(c), c.req.param("emoji")).map(publicUser)));
  app.delete("/:channel/messages/:message", async (c) => {
    await deleteMessage(core, currentAuth(c).user.id, cid(c), mid(c));
    return c.body(null, 204);
  });
  return app;
}
