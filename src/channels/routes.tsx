// Browser pages for channels: create, settings, move, delete, permission overwrites, drag-and-drop
// reordering, and creating an invite.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { ChannelPermissionsPage, ChannelSettingsPage, type OverwriteTarget } from "../../views/channels/settings.tsx";
import { CreateInvitePage, NewChannelPage } from "../../views/guilds/forms.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { effectiveOverwrites, requireChannel, requireGuild, unknownChannel, unknownGuild, visibleChannels } from "../guilds/access.ts";
import { channels as channelsTable, type Channel } from "../guilds/table.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam, text } from "../http/validate.ts";
import { createInvite } from "../invites/service.ts";
import { displayName, listMembers } from "../members/service.ts";
import { Permission, PERMISSION_INFO } from "../permissions/permissions.ts";
import { guildRoles } from "../roles/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { createChannel, deleteChannel, deleteOverwrite, reorderChannels, setOverwrite, syncWithCategory, updateChannel } from "./service.ts";
import { eq } from "drizzle-orm";

const id = (raw: string | undefined, notFound: () => Error) => {
  const parsed = snowflakeParam.safeParse(raw);
  if (!parsed.success) throw notFound();
  return parsed.data;
};

export function channelPages(core: Core) {
  const app = new Hono<AppEnv>();
  // Mounted at "/": scope the sign-in check to this app's own paths, not every request.
  app.use("/guilds/*", requirePageUser);
  app.use("/channels/*", requirePageUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const categoriesOf = (guildId: string) => core.db.readOrm.select().from(channelsTable).where(eq(channelsTable.guildId, guildId)).all().filter((ch) => ch.type === 4);
  const saved = (c: Context<AppEnv>) => (c.req.query("saved") ? c.get("t")("common.saved") : undefined);

  app.get("/guilds/:guild/channels/new", (c) => {
    const access = requireGuild(core, me(c), id(c.req.param("guild"), unknownGuild), Permission.MANAGE_CHANNELS);
    return c.html(<NewChannelPage ctx={pageCtx(c, core)} guild={access.guild} categories={categoriesOf(access.guild.id)} parentId={c.req.query("parent")} />);
  });
  app.post("/guilds/:guild/channels", async (c) => {
    const guildId = id(c.req.param("guild"), unknownGuild);
    const access = requireGuild(core, me(c), guildId, Permission.MANAGE_CHANNELS);
    const form = await parseForm(c, z.object({ name: text(200), type: z.enum(["0", "2", "4"]).default("0"), parent_id: z.string().regex(/^\d{0,20}$/).optional() }));
    try {
      const channel = await createChannel(core, me(c), guildId, { name: form.name, type: Number(form.type), parentId: form.parent_id || null });
      return c.redirect(channel.type === 4 ? `/channels/${guildId}` : `/channels/${guildId}/${channel.id}`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<NewChannelPage ctx={pageCtx(c, core)} guild={access.guild} categories={categoriesOf(guildId)} parentId={form.parent_id} errors={errors} values={form} />, status);
    }
  });

  // Drag and drop (static/js/reorder.js) posts the new order of one list: ids in order, and the category they are now in.
  app.post("/guilds/:guild/channels/order", async (c) => {
    const guildId = id(c.req.param("guild"), unknownGuild);
    const form = await parseForm(c, z.object({ parent_id: z.string().regex(/^\d{0,20}$/).default(""), ids: z.string().regex(/^(\d{1,20})(,\d{1,20}){0,499}$/) }));
    const ids = form.ids.split(",");
    await reorderChannels(core, me(c), guildId, ids.map((cid, position) => ({ id: cid, position, parentId: form.parent_id || null })));
    return c.body(null, 204);
  });

  const settingsPage = (c: Context<AppEnv>, channelId: string, extra: { notice?: string; errors?: ReturnType<typeof formErrors>["errors"] } = {}, status: 200 | 400 | 403 | 404 = 200) => {
    const access = requireChannel(core, me(c), channelId, Permission.MANAGE_CHANNELS);
    if (!access.guild) throw unknownChannel();
    return c.html(<ChannelSettingsPage ctx={pageCtx(c, core)} guild={access.guild.guild} channel={access.channel} categories={categoriesOf(access.guild.guild.id)} {...extra} />, status);
  };
  app.get("/channels/:channel/settings", (c) => settingsPage(c, id(c.req.param("channel"), unknownChannel), { notice: saved(c) }));
  app.post("/channels/:channel/settings", async (c) => {
    const channelId = id(c.req.param("channel"), unknownChannel);
    const form = await parseForm(c, z.object({ name: text(200), topic: text(4000).optional(), rate_limit_per_user: z.string().regex(/^\d{1,6}$/).optional(), nsfw: z.literal("1").optional(), parent_id: z.string().regex(/^\d{0,20}$/).optional() }));
    const current = requireChannel(core, me(c), channelId, Permission.MANAGE_CHANNELS).channel;
    try {
      await updateChannel(core, me(c), channelId, {
        name: form.name,
        topic: current.type === 0 ? (form.topic ?? "") : undefined,
        rateLimitPerUser: current.type === 0 && form.rate_limit_per_user !== undefined ? Number(form.rate_limit_per_user) : undefined,
        nsfw: current.type === 0 ? form.nsfw === "1" : undefined,
        parentId: current.type === 4 ? undefined : form.parent_id || null,
      });
      return c.redirect(`/channels/${channelId}/settings?saved=1`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return settingsPage(c, channelId, { errors }, status as 400);
    }
  });
  // Keyboard-friendly reordering: swap with the neighbour above or below in the same list.
  app.post("/channels/:channel/move", async (c) => {
    const channelId = id(c.req.param("channel"), unknownChannel);
    const form = await parseForm(c, z.object({ direction: z.enum(["up", "down"]) }));
    const access = requireChannel(core, me(c), channelId, Permission.MANAGE_CHANNELS);
    if (!access.guild) throw unknownChannel();
    const siblings = visibleChannels(core, access.guild).filter((ch) => (access.channel.type === 4 ? ch.type === 4 : ch.type !== 4 && ch.parentId === access.channel.parentId));
    const at = siblings.findIndex((ch) => ch.id === channelId);
    const to = form.direction === "up" ? at - 1 : at + 1;
    if (at >= 0 && to >= 0 && to < siblings.length) {
      const order = [...siblings];
      [order[at], order[to]] = [order[to]!, order[at]!];
      await reorderChannels(core, me(c), access.guild.guild.id, order.map((ch, position) => ({ id: ch.id, position })));
    }
    return c.redirect(`/channels/${channelId}/settings?saved=1`, 303);
  });
  app.post("/channels/:channel/delete", async (c) => {
    const channel = await deleteChannel(core, me(c), id(c.req.param("channel"), unknownChannel));
    return c.redirect(`/channels/${channel.guildId}`, 303);
  });

  const permissionsPage = (c: Context<AppEnv>, channelId: string, notice?: string, error?: string, status: 200 | 400 | 403 = 200) => {
    const access = requireChannel(core, me(c), channelId, Permission.MANAGE_ROLES);
    if (!access.guild) throw unknownChannel();
    const guild = access.guild.guild;
    const roles = guildRoles(core, guild.id);
    const members = listMembers(core, guild.id);
    const overwrites = effectiveOverwrites(core, access.channel);
    const nameOf = (tid: string, type: 0 | 1) => (type === 0 ? (tid === guild.id ? "@everyone" : `@${roles.find((r) => r.id === tid)?.name ?? tid}`) : (members.find((m) => m.user.id === tid) ? displayName(members.find((m) => m.user.id === tid)!) : tid));
    const targets: OverwriteTarget[] = [{ id: guild.id, type: 0, name: "@everyone" }, ...overwrites.filter((o) => o.id !== guild.id).map((o) => ({ id: o.id, type: o.type, name: nameOf(o.id, o.type) }))];
    const wanted = c.req.query("target");
    const isRole = roles.some((r) => r.id === wanted);
    const isMember = members.some((m) => m.user.id === wanted);
    const selected: OverwriteTarget = targets.find((t) => t.id === wanted) ?? (wanted && (isRole || isMember) ? { id: wanted, type: isRole ? 0 : 1, name: nameOf(wanted, isRole ? 0 : 1) } : targets[0]!);
    const taken = new Set(targets.map((t) => t.id));
    const parent: Channel | null = access.channel.parentId ? (core.db.readOrm.select().from(channelsTable).where(eq(channelsTable.id, access.channel.parentId)).get() ?? null) : null;
    return c.html(
      <ChannelPermissionsPage
        ctx={pageCtx(c, core)}
        guild={guild}
        channel={access.channel}
        parent={parent}
        overwrites={overwrites}
        targets={targets}
        selected={selected}
        addable={{ roles: roles.filter((r) => !taken.has(r.id)), members: members.filter((m) => !taken.has(m.user.id)) }}
        notice={notice}
        error={error}
      />,
      status,
    );
  };
  app.get("/channels/:channel/permissions", (c) => permissionsPage(c, id(c.req.param("channel"), unknownChannel), saved(c)));
  app.post("/channels/:channel/permissions", async (c) => {
    const channelId = id(c.req.param("channel"), unknownChannel);
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const target = z.object({ target: z.string().regex(/^\d{1,20}$/), type: z.enum(["0", "1"]) }).safeParse(body);
    if (!target.success) throw unknownChannel();
    let allow = 0n;
    let deny = 0n;
    for (const info of PERMISSION_INFO) {
      if (body[info.name] === "allow") allow |= Permission[info.name];
      if (body[info.name] === "deny") deny |= Permission[info.name];
    }
    try {
      await setOverwrite(core, me(c), channelId, { targetId: target.data.target, type: Number(target.data.type) as 0 | 1, allow, deny });
      return c.redirect(`/channels/${channelId}/permissions?target=${target.data.target}&saved=1`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return permissionsPage(c, channelId, undefined, errors.general ?? Object.values(errors.fields ?? {})[0], status as 400);
    }
  });
  app.post("/channels/:channel/permissions/sync", async (c) => {
    const channelId = id(c.req.param("channel"), unknownChannel);
    await syncWithCategory(core, me(c), channelId);
    return c.redirect(`/channels/${channelId}/permissions?saved=1`, 303);
  });
  app.post("/channels/:channel/permissions/:target/delete", async (c) => {
    const channelId = id(c.req.param("channel"), unknownChannel);
    await deleteOverwrite(core, me(c), channelId, id(c.req.param("target"), unknownChannel));
    return c.redirect(`/channels/${channelId}/permissions?saved=1`, 303);
  });

  app.get("/channels/:channel/invite", (c) => {
    const access = requireChannel(core, me(c), id(c.req.param("channel"), unknownChannel), Permission.CREATE_INSTANT_INVITE);
    return c.html(<CreateInvitePage ctx={pageCtx(c, core)} channel={access.channel} />);
  });
  app.post("/channels/:channel/invite", async (c) => {
    const channelId = id(c.req.param("channel"), unknownChannel);
    const access = requireChannel(core, me(c), channelId, Permission.CREATE_INSTANT_INVITE);
    const form = await parseForm(c, z.object({ max_age: z.coerce.number().int(), max_uses: z.coerce.number().int().default(0) }));
    try {
      const invite = await createInvite(core, me(c), channelId, { maxAge: form.max_age, maxUses: form.max_uses });
      return c.html(<CreateInvitePage ctx={pageCtx(c, core)} channel={access.channel} link={`${core.config.publicUrl}/invite/${invite.code}`} />, 201);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<CreateInvitePage ctx={pageCtx(c, core)} channel={access.channel} errors={errors} />, status);
    }
  });
  return app;
}
