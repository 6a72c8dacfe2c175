// /api/v10/guilds/...: servers, their channels, roles, members and bans (Discord v10 shapes).
import { banWithPurge, timeoutMember, unban } from "../moderation/members.ts";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import { channelJson, createChannel, reorderChannels } from "../channels/service.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam, text } from "../http/validate.ts";
import { inviteJson, listInvites } from "../invites/service.ts";
import { findMember, listBans, listMembers, memberJson, setNickname } from "../members/service.ts";
import { parseBitfield, Permission } from "../permissions/permissions.ts";
import { createRole, deleteRole, guildRoles, reorderRoles, roleJson, rolesJson, setMemberRole, updateRole } from "../roles/service.ts";
import { publicUser } from "../users/service.ts";
import { requireGuild, unknownGuild, visibleChannels } from "./access.ts";
import { guildJson } from "./json.ts";
import { createGuild, deleteGuild, transferOwnership, updateGuild } from "./service.ts";
import { setGuildIcon } from "./icon.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";

function dataUriBytes(uri: string): Uint8Array {
  const m = /^data:image\/(png|jpeg|webp);base64,([A-Za-z0-9+/=]+)$/.exec(uri);
  if (!m) throw new AppError(400, ErrorCode.invalidBody, "icon must be a data URI of a PNG, JPEG or WebP image.", { fields: { icon: "Not an image data URI." } });
  return new Uint8Array(Buffer.from(m[2]!, "base64"));
}

const id = (raw: string | undefined, notFound: () => Error) => {
  const parsed = snowflakeParam.safeParse(raw);
  if (!parsed.success) throw notFound();
  return parsed.data;
};
const bitfield = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bits = parseBitfield(v);
  if (bits === null) {
    ctx.addIssue({ code: "custom", message: "A permission bitfield is a decimal string." });
    return z.NEVER;
  }
  return bits;
});
const snowflake = z.string().regex(/^\d{1,20}$/, "Not an id.");
const roleBody = z.strictObject({ name: text(200).optional(), color: z.number().int().optional(), hoist: z.boolean().optional(), mentionable: z.boolean().optional(), permissions: bitfield.optional() });

export function guildsApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user;
  const gid = (c: Context<AppEnv>) => id(c.req.param("guild"), unknownGuild);

  app.post("/", async (c) => {
    const body = await parseJson(c, z.strictObject({ name: text(200), description: text(1000).optional() }));
    const t = c.get("t");
    const guild = await createGuild(core, me(c).id, { name: body.name, description: body.description, layout: { textCategory: t("layout.textCategory"), voiceCategory: t("layout.voiceCategory"), general: t("layout.general"), generalVoice: t("layout.generalVoice") } });
    return c.json(guildJson(core, guild), 201);
  });
  app.get("/:guild", (c) => c.json(guildJson(core, requireGuild(core, me(c).id, gid(c)).guild)));
  app.patch("/:guild", async (c) => {
    const guildId = gid(c);
    requireGuild(core, me(c).id, guildId, Permission.MANAGE_GUILD);
    const body = await parseJson(c, z.strictObject({ name: text(200).optional(), description: text(1000).optional(), owner_id: snowflake.optional(), icon: z.string().max(12_000_000).nullish() }));
    if (body.owner_id) await transferOwnership(core, me(c).id, guildId, body.owner_id);
    // Discord sends images as data URIs ("data:image/png;base64,...").
    if (body.icon !== undefined) await setGuildIcon(core, me(c).id, guildId, body.icon === null ? null : dataUriBytes(body.icon));
    return c.json(guildJson(core, await updateGuild(core, guildId, { name: body.name, description: body.description })));
  });
  app.delete("/:guild", async (c) => {
    const guildId = gid(c);
    // Discord deletes without confirmation over the API; we ask for the name, as the page does.
    const body = await parseJson(c, z.strictObject({ confirm_name: text(200) }));
    await deleteGuild(core, me(c).id, guildId, body.confirm_name);
    return c.body(null, 204);
  });

  app.get("/:guild/channels", (c) => c.json(visibleChannels(core, requireGuild(core, me(c).id, gid(c))).map((ch) => channelJson(core, ch))));
  app.post("/:guild/channels", async (c) => {
    const body = await parseJson(c, z.strictObject({ name: text(200), type: z.number().int().default(0), parent_id: snowflake.nullish(), topic: text(2000).optional() }));
    const channel = await createChannel(core, me(c).id, gid(c), { name: body.name, type: body.type, parentId: body.parent_id, topic: body.topic });
    return c.json(channelJson(core, channel), 201);
  });
  app.patch("/:guild/channels", async (c) => {
    const body = await parseJson(c, z.array(z.strictObject({ id: snowflake, position: z.number().int().min(0).max(10_000), parent_id: snowflake.nullish() })).max(500));
    await reorderChannels(core, me(c).id, gid(c), body.map((m) => ({ id: m.id, position: m.position, parentId: m.parent_id })));
    return c.body(null, 204);
  });

  app.get("/:guild/roles", (c) => {
    requireGuild(core, me(c).id, gid(c));
    return c.json(rolesJson(core, gid(c), guildRoles(core, gid(c))));
  });
  app.post("/:guild/roles", async (c) => {
    const body = await parseJson(c, roleBody);
    return c.json(roleJson(await createRole(core, me(c).id, gid(c), body)), 201);
  });
  app.patch("/:guild/roles", async (c) => {
    const body = await parseJson(c, z.array(z.strictObject({ id: snowflake, position: z.number().int().min(1).max(10_000) })).max(250));
    return c.json(rolesJson(core, gid(c), await reorderRoles(core, me(c).id, gid(c), body)));
  });
  app.patch("/:guild/roles/:role", async (c) => {
    const body = await parseJson(c, roleBody);
    return c.json(roleJson(await updateRole(core, me(c).id, gid(c), id(c.req.param("role"), unknownGuild), body)));
  });
  app.delete("/:guild/roles/:role", async (c) => {
    await deleteRole(core, me(c).id, gid(c), id(c.req.param("role"), unknownGuild));
    return c.body(null, 204);
  });

  app.get("/:guild/members", (c) => {
    requireGuild(core, me(c).id, gid(c));
    const limit = Math.min(1000, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));
    const after = c.req.query("after");
    const list = listMembers(core, gid(c)).filter((m) => !after || BigInt(m.user.id) > BigInt(/^\d{1,20}$/.test(after) ? after : "0"));
    return c.json(list.sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1)).slice(0, limit).map(memberJson));
  });
  app.get("/:guild/members/:user", (c) => {
    requireGuild(core, me(c).id, gid(c));
    return c.json(memberJson(findMember(core, gid(c), id(c.req.param("user"), unknownGuild))));
  });
  app.patch("/:guild/members/@me", async (c) => {
    const body = await parseJson(c, z.strictObject({ nick: text(100).nullable() }));
    return c.json(memberJson(await setNickname(core, me(c).id, gid(c), me(c).id, body.nick)));
  });
  app.patch("/:guild/members/:user", async (c) => {
    const body = await parseJson(c, z.strictObject({ nick: text(100).nullish(), roles: z.array(snowflake).max(250).optional(), communication_disabled_until: z.iso.datetime({ offset: true }).nullish() }));
    const guildId = gid(c);
    const target = id(c.req.param("user"), unknownGuild);
    // Discord's timeout: MODERATE_MEMBERS; null removes it (moderation/members.ts).
    if (body.communication_disabled_until !== undefined) await timeoutMember(core, me(c).id, guildId, target, body.communication_disabled_until ? new Date(body.communication_disabled_until) : null);
    if (body.nick !== undefined) await setNickname(core, me(c).id, guildId, target, body.nick);
    if (body.roles) {
      const current = new Set(findMember(core, guildId, target).roles.map((r) => r.id));
      const wanted = new Set(body.roles);
      for (const r of wanted) if (!current.has(r)) await setMemberRole(core, me(c).id, guildId, target, r, true);
      for (const r of current) if (!wanted.has(r)) await setMemberRole(core, me(c).id, guildId, target, r, false);
    }
    return c.json(memberJson(findMember(core, guildId, target)));
  });
  app.put("/:guild/members/:user/roles/:role", async (c) => {
    await setMemberRole(core, me(c).id, gid(c), id(c.req.param("user"), unknownGuild), id(c.req.param("role"), unknownGuild), true);
    return c.body(null, 204);
  });
  app.delete("/:guild/members/:user/roles/:role", async (c) => {
    await setMemberRole(core, me(c).id, gid(c), id(c.req.param("user"), unknownGuild), id(c.req.param("role"), unknownGuild), false);
    return c.body(null, 204);
  });

  app.get("/:guild/bans", (c) => {
    requireGuild(core, me(c).id, gid(c), Permission.BAN_MEMBERS);
    return c.json(listBans(core, gid(c)).map((b) => ({ user: publicUser(b.user), reason: b.reason || null })));
  });
  app.put("/:guild/bans/:user", async (c) => {
    const body = c.req.header("Content-Type")?.includes("json") ? await parseJson(c, z.strictObject({ reason: text(512).optional(), delete_message_seconds: z.number().int().min(0).max(604800).optional() })) : {};
    await banWithPurge(core, me(c).id, gid(c), id(c.req.param("user"), unknownGuild), { reason: body.reason, deleteMessageSeconds: body.delete_message_seconds });
    return c.body(null, 204);
  });
  app.delete("/:guild/bans/:user", async (c) => {
    await unban(core, me(c).id, gid(c), id(c.req.param("user"), unknownGuild));
    return c.body(null, 204);
  });

  app.get("/:guild/invites", (c) => c.json(listInvites(core, me(c).id, gid(c)).map(inviteJson)));
  return app;
}

