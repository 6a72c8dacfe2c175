// Discord-shaped JSON for guilds.
import type { Core } from "../core.ts";
import { guildRoles, rolesJson } from "../roles/service.ts";
import type { GuildAccess } from "./access.ts";
import type { Guild } from "./table.ts";

export function guildJson(core: Core, guild: Guild) {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    description: guild.description || null,
    owner_id: guild.ownerId,
    roles: rolesJson(core, guild.id, guildRoles(core, guild.id)),
    emojis: [],
    features: [],
  };
}

/** The entry of GET /users/@me/guilds: partial guild with the caller's permissions. */
export function partialGuildJson(access: GuildAccess) {
  return { id: access.guild.id, name: access.guild.name, icon: access.guild.icon, owner: access.isOwner, permissions: access.permissions.toString(), features: [] };
}
