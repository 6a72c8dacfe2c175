// /api/v10/channels/{id}: read, edit, delete a channel; its permission overwrites; its invites;
// group DM recipients.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { addToGroup, dmJson, dmView, removeFromGroup, renameGroup } from "../dms/service.ts";
import { requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam, text } from "../http/validate.ts";
import { createInvite, inviteJson, listInvites, resolveInvite } from "../invites/service.ts";
import { parseBitfield, Permission } from "../permissions/permissions.ts";
import { channelJson, deleteChannel, deleteOverwrite, setOverwrite, syncWithCategory, updateChannel } from "./service.ts";

const bits = z.union([z.string(), z.number()]).transform((v, ctx) => parseBitfield(v) ?? (ctx.addIssue({ code: "custom", message: "A permission bitfield is a decimal string." }), z.NEVER));

export function channelsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const cid = (c: Context<AppEnv>, name = "channel") => {
    const parsed = snowflakeParam.safeParse(c.req.param(name));
    if (!parsed.success) throw unknownChannel();
    return parsed.data;
  };
  const json = (c: Context<AppEnv>, channelId: string) => {
    const access = requireChannel(core, me(c), channelId);
    return access.guild ? channelJson(core, access.channel) : dmJson(dmView(core, me(c), access.channel));
  };

  app.get("/:channel", (c) => c.json(json(c, cid(c))));
  app.patch("/:channel", async (c) => {
    const channelId = cid(c);
    const body = await parseJson(c, z.strictObject({ name: text(200).optional(), topic: text(2000).nullish(), rate_limit_per_user: z.number().int().optional(), nsfw: z.boolean().optional(), parent_id: z.string().regex(/^\d{1,20}$/).nullish(), position: z.number().int().optional(), user_limit: z.number().int().optional(), bitrate: z.number().int().optional() }));
    const access = requireChannel(core, me(c), channelId);
    if (!access.guild) {
      if (body.name !== undefined) await renameGroup(core, me(c), channelId, body.name);
      return c.json(json(c, channelId));
    }
    const channel = await updateChannel(core, me(c), channelId, { name: body.name, topic: body.topic ?? undefined, rateLimitPerUser: body.rate_limit_per_user, nsfw: body.nsfw, parentId: body.parent_id, position: body.position, userLimit: body.user_limit });
    return c.json(channelJson(core, channel));
  });
  app.delete("/:channel", async (c) => {
    const channelId = cid(c);
    const access = requireChannel(core, me(c), channelId);
    if (!access.guild) {
      await removeFromGroup(core, me(c), channelId, me(c));
      return c.json(dmJson(dmView(core, me(c), access.channel)));
    }
    return c.json(channelJson(core, await deleteChannel(core, me(c), channelId)));
  });

  app.put("/:channel/permissions/:target", async (c) => {
    const body = await parseJson(c, z.strictObject({ type: z.union([z.literal(0), z.literal(1)]), allow: bits.default(0n), deny: bits.default(0n) }));
    await setOverwrite(core, me(c), cid(c), { targetId: cid(c, "target"), type: body.type, allow: body.allow, deny: body.deny });
    return c.body(null, 204);
  });
  app.delete("/:channel/permissions/:target", async (c) => {
    await deleteOverwrite(core, me(c), cid(c), cid(c, "target"));
    return c.body(null, 204);
  });
  app.post("/:channel/permissions/sync", async (c) => {
    await syncWithCategory(core, me(c), cid(c));
    return c.json(json(c, cid(c)));
  });

  app.post("/:channel/invites", async (c) => {
    const body = await parseJson(c, z.strictObject({ max_age: z.number().int().default(86400), max_uses: z.number().int().default(0), temporary: z.boolean().optional(), unique: z.boolean().optional() }));
    const invite = await createInvite(core, me(c), cid(c), { maxAge: body.max_age, maxUses: body.max_uses });
    return c.json(inviteJson(resolveInvite(core, invite.code)!), 201);
  });
  app.get("/:channel/invites", (c) => {
    const access = requireChannel(core, me(c), cid(c), Permission.MANAGE_CHANNELS);
    return c.json(listInvites(core, me(c), access.channel.guildId!).filter((v) => v.channel.id === access.channel.id).map(inviteJson));
  });

  app.put("/:channel/recipients/:user", async (c) => {
    await addToGroup(core, me(c), cid(c), cid(c, "user"));
    return c.body(null, 204);
  });
  app.delete("/:channel/recipients/:user", async (c) => {
    await removeFromGroup(core, me(c), cid(c), cid(c, "user"));
    return c.body(null, 204);
  });
  return app;
}
