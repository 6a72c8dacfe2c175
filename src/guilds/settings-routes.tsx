// Server settings pages: overview (edit, transfer, delete, leave), roles (list, create, edit,
// reorder, give/take), members, invites, bans.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { BansPage, InvitesPage, MembersPage, OverviewPage, RoleEditPage, RolesPage, type GuildAbilities } from "../../views/guilds/settings.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { checkboxes, parseForm, snowflakeParam, text } from "../http/validate.ts";
import { listInvites } from "../invites/service.ts";
import { listBans, listMembers, setNickname } from "../members/service.ts";
import { banWithPurge, unban } from "../moderation/members.ts";
import { isModerator } from "../moderation/reports.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { setGuildIcon } from "./icon.ts";
import { fromNames, has, Permission, type PermissionName } from "../permissions/permissions.ts";
import { createRole, deleteRole, guildRoles, reorderRoles, setMemberRole, unknownRole, updateRole } from "../roles/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { requireGuild, unknownGuild, type GuildAccess } from "./access.ts";
import { deleteGuild, leaveGuild, transferOwnership, updateGuild } from "./service.ts";

const PERMISSION_NAMES = Object.keys(Permission) as [PermissionName, ...PermissionName[]];

export function guildSettingsRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
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
    manageExpressions: has(a.permissions, Permission.MANAGE_GUILD_EXPRESSIONS),
    moderate: isModerator(a),
    viewAudit: has(a.permissions, Permission.VIEW_AUDIT_LOG),
  });
  const saved = (c: Context<AppEnv>) => (c.req.query("saved") ? c.get("t")("common.saved") : undefined);
  const back = (c: Context<AppEnv>, path: string) => c.redirect(`/guilds/${gid(c)}${path}${path.includes("?") ? "&" : "?"}saved=1`, 303);

  const overview = (c: Context<AppEnv>, extra: { notice?: string; errors?: ReturnType<typeof formErrors>["errors"] } = {}, status: number = 200) => {
    const a = requireGuild(core, me(c), gid(c));
    return c.html(<OverviewPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} members={listMembers(core, a.guild.id)} myNick={a.member.nick} {...extra} />, status as 200);
  };
  app.post("/:guild/nick", async (c) => {
    const form = await parseForm(c, z.object({ nick: text(200).default("") }));
    try {
      await setNickname(core, me(c), gid(c), me(c), form.nick || null);
      return back(c, "/settings");
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return overview(c, { errors }, status);
    }
  });
  app.post("/:guild/icon", async (c) => {
    const body = await c.req.parseBody();
    try {
      const file = body.icon;
      if (!(file instanceof File)) throw new AppError(400, ErrorCode.invalidBody, "No file.", { fields: { icon: "No file." }, fieldKeys: { icon: "profile.avatarInvalid" } });
      await setGuildIcon(core, me(c), gid(c), new Uint8Array(await file.arrayBuffer()));
      return back(c, "/settings");
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return overview(c, { errors: { fields: errors.fields && Object.keys(errors.fields).length ? errors.fields : { icon: errors.general ?? "" } } }, status);
    }
  });
  app.post("/:guild/icon/remove", async (c) => {
    await setGuildIcon(core, me(c), gid(c), null);
    return back(c, "/settings");
  });
  app.get("/:guild/settings", (c) => overview(c, { notice: saved(c) }));
  app.post("/:guild/settings", async (c) => {
    requireGuild(core, me(c), gid(c), Permission.MANAGE_GUILD);
    const form = await parseForm(c, z.object({ name: text(200), description: text(1000).default("") }));
    try {
      await updateGuild(core, gid(c), form);
      return back(c, "/settings");
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return overview(c, { errors }, status);
    }
  });
  app.post("/:guild/transfer", async (c) => {
    const form = await parseForm(c, z.object({ owner_id: z.string().regex(/^\d{1,20}$/) }));
    await transferOwnership(core, me(c), gid(c), form.owner_id);
    return back(c, "/settings");
  });
  app.post("/:guild/delete", async (c) => {
    const form = await parseForm(c, z.object({ confirm: text(200) }));
    try {
      await deleteGuild(core, me(c), gid(c), form.confirm);
      return c.redirect("/", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return overview(c, { errors }, status);
    }
  });
  app.post("/:guild/leave", async (c) => {
    try {
      await leaveGuild(core, me(c), gid(c));
      return c.redirect("/", 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return overview(c, { errors }, status);
    }
  });

  const rolesPage = (c: Context<AppEnv>, notice?: string, error?: string, status = 200) => {
    const a = requireGuild(core, me(c), gid(c), Permission.MANAGE_ROLES);
    return c.html(<RolesPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} roles={guildRoles(core, a.guild.id)} notice={notice} error={error} />, status as 200);
  };
  app.get("/:guild/settings/roles", (c) => rolesPage(c, saved(c)));
  app.post("/:guild/roles", async (c) => {
    const form = await parseForm(c, z.object({ name: text(200) }));
    try {
      const role = await createRole(core, me(c), gid(c), { name: form.name });
      return c.redirect(`/guilds/${gid(c)}/roles/${role.id}`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return rolesPage(c, undefined, errors.general ?? Object.values(errors.fields ?? {})[0], status);
    }
  });
  app.post("/:guild/roles/:role/move", async (c) => {
    const form = await parseForm(c, z.object({ direction: z.enum(["up", "down"]) }));
    const guildId = gid(c);
    const movable = guildRoles(core, guildId).filter((r) => r.id !== guildId); // highest first
    const at = movable.findIndex((r) => r.id === c.req.param("role"));
    const to = form.direction === "up" ? at - 1 : at + 1;
    if (at < 0) throw unknownRole();
    try {
      if (to >= 0 && to < movable.length) await reorderRoles(core, me(c), guildId, [{ id: movable[at]!.id, position: movable[to]!.position }, { id: movable[to]!.id, position: movable[at]!.position }]);
      return back(c, "/settings/roles");
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return rolesPage(c, undefined, errors.general, status);
    }
  });

  const rolePage = (c: Context<AppEnv>, roleId: string, extra: { notice?: string; errors?: ReturnType<typeof formErrors>["errors"] } = {}, status = 200) => {
    const a = requireGuild(core, me(c), gid(c), Permission.MANAGE_ROLES);
    const role = guildRoles(core, a.guild.id).find((r) => r.id === roleId);
    if (!role) throw unknownRole();
    const all = listMembers(core, a.guild.id);
    const withRole = all.filter((m) => m.roles.some((r) => r.id === roleId));
    const without = all.filter((m) => !m.roles.some((r) => r.id === roleId) && !m.user.deletedAt);
    return c.html(<RoleEditPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} role={role} members={withRole} others={without} {...extra} />, status as 200);
  };
  app.get("/:guild/roles/:role", (c) => rolePage(c, c.req.param("role"), { notice: saved(c) }));
  app.post("/:guild/roles/:role", async (c) => {
    const roleId = c.req.param("role");
    const form = await parseForm(c, z.object({ name: text(200).optional(), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(), hoist: z.literal("1").optional(), mentionable: z.literal("1").optional(), permissions: checkboxes(PERMISSION_NAMES) }));
    const isEveryone = roleId === gid(c);
    try {
      await updateRole(core, me(c), gid(c), roleId, {
        name: isEveryone ? undefined : form.name,
        color: !isEveryone && form.color ? parseInt(form.color.slice(1), 16) : undefined,
        hoist: isEveryone ? undefined : form.hoist === "1",
        mentionable: isEveryone ? undefined : form.mentionable === "1",
        permissions: fromNames(form.permissions),
      });
      return back(c, `/roles/${roleId}`);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return rolePage(c, roleId, { errors }, status);
    }
  });
  app.post("/:guild/roles/:role/delete", async (c) => {
    await deleteRole(core, me(c), gid(c), c.req.param("role"));
    return back(c, "/settings/roles");
  });
  app.post("/:guild/roles/:role/give", async (c) => {
    const form = await parseForm(c, z.object({ user_id: z.string().regex(/^\d{1,20}$/) }));
    try {
      await setMemberRole(core, me(c), gid(c), form.user_id, c.req.param("role"), true);
      return back(c, `/roles/${c.req.param("role")}`);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return rolePage(c, c.req.param("role"), { errors }, status);
    }
  });
  app.post("/:guild/members/:user/roles/:role/remove", async (c) => {
    await setMemberRole(core, me(c), gid(c), c.req.param("user"), c.req.param("role"), false);
    return back(c, `/roles/${c.req.param("role")}`);
  });

  app.get("/:guild/settings/members", (c) => {
    const a = requireGuild(core, me(c), gid(c), Permission.MANAGE_ROLES);
    return c.html(<MembersPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} members={listMembers(core, a.guild.id).filter((m) => !m.user.deletedAt)} notice={saved(c)} />);
  });
  app.get("/:guild/settings/invites", (c) => {
    const a = requireGuild(core, me(c), gid(c), Permission.MANAGE_GUILD);
    return c.html(<InvitesPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} invites={listInvites(core, me(c), a.guild.id)} publicUrl={core.config.publicUrl} notice={saved(c)} />);
  });
  app.get("/:guild/settings/bans", (c) => {
    const a = requireGuild(core, me(c), gid(c), Permission.BAN_MEMBERS);
    return c.html(<BansPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} bans={listBans(core, a.guild.id)} notice={saved(c)} />);
  });
  app.post("/:guild/bans/:user", async (c) => {
    await banWithPurge(core, me(c), gid(c), c.req.param("user"), {});
    return back(c, "/settings/bans");
  });
  app.post("/:guild/bans/:user/remove", async (c) => {
    await unban(core, me(c), gid(c), c.req.param("user"));
    return back(c, "/settings/bans");
  });
  return app;
}
