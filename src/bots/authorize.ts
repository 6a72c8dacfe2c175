// Adding a bot to a server (Discord's OAuth2 "bot" scope): someone with MANAGE_GUILD there picks
// the server and the permissions; the bot becomes a member holding a managed role with exactly
// those permissions (only ones the person has). Re-authorizing updates the managed role.
import { and, eq, ne, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { guildAccess, requireGuild } from "../guilds/access.ts";
import { myGuilds } from "../guilds/service.ts";
import { memberRoles, members, roles, type Guild } from "../guilds/table.ts";
import { keyedError } from "../lib/field-error.ts";
import { ErrorCode } from "../lib/errors.ts";
import { isBanned } from "../members/service.ts";
import { canGrant, fromNames, has, Permission, toNames } from "../permissions/permissions.ts";
import { findApplication, unknownApplication } from "./service.ts";
import { botRoles } from "./table.ts";
import { memberAdded, memberUpdated } from "../members/events.ts";
import { roleChanged } from "../roles/events.ts";

/** Servers where this person may add a bot. */
export function guildsForBots(core: Core, userId: string): Guild[] {
  return myGuilds(core, userId).filter((g) => {
    const access = guildAccess(core, userId, g.id);
    return access && (access.isOwner || has(access.permissions, Permission.MANAGE_GUILD));
  });
}

export async function authorizeBot(core: Core, userId: string, appId: string, guildId: string, requested: bigint): Promise<Guild> {
  const found = findApplication(core, appId);
  if (!found) throw unknownApplication();
  const actor = requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  // Bits this server does not implement are dropped; the rest must be the person's to give.
  const permissions = fromNames(toNames(requested));
  if (!canGrant(actor.permissions, permissions, actor.isOwner)) throw keyedError(403, ErrorCode.forbidden, "bots.permissionsGrant");
  if (isBanned(core, guildId, appId)) throw keyedError(403, ErrorCode.forbidden, "bots.banned");
  const now = new Date().toISOString();
  const roleId = ids.nextString();
  const { joined, role } = await core.queue.write(({ orm }) => {
    const joined = orm.insert(members).values({ guildId, userId: appId, nick: null, joinedAt: now }).onConflictDoNothing().returning().get() !== undefined;
    const managed = orm.select().from(botRoles).where(and(eq(botRoles.guildId, guildId), eq(botRoles.botId, appId))).get();
    if (managed) {
      const role = orm.update(roles).set({ permissions }).where(eq(roles.id, managed.roleId)).returning().get()!;
      orm.insert(memberRoles).values({ guildId, userId: appId, roleId: managed.roleId }).onConflictDoNothing().run();
      return { joined, role: { created: false, row: role } };
    }
    // Like any new role, just above @everyone; the server's admins can move it.
    orm.update(roles).set({ position: sql`${roles.position} + 1` }).where(and(eq(roles.guildId, guildId), ne(roles.id, guildId))).run();
    const row = orm.insert(roles).values({ id: roleId, guildId, name: found.app.name, color: 0, hoist: false, mentionable: false, position: 1, permissions, createdAt: now }).returning().get();
    orm.insert(botRoles).values({ roleId, guildId, botId: appId }).run();
    orm.insert(memberRoles).values({ guildId, userId: appId, roleId }).run();
    return { joined, role: { created: true, row } };
  });
  roleChanged(core, role.created ? "GUILD_ROLE_CREATE" : "GUILD_ROLE_UPDATE", role.row);
  if (joined) memberAdded(core, guildId, appId);
  else memberUpdated(core, guildId, appId);
  // The bot's live gateway sessions hear the server at once (GUILD_CREATE), and tabs see it join.
  core.hub.recheckAccess({ userId: appId });
  core.hub.recheckAccess({ guildId });
  return actor.guild;
}
