// GUILD_ROLE_CREATE / UPDATE / DELETE on the gateway (intent GUILDS), in Discord's shapes.
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import type { Role } from "../guilds/table.ts";
import { managedRoles, roleJson } from "./service.ts";

export function roleChanged(core: Core, t: "GUILD_ROLE_CREATE" | "GUILD_ROLE_UPDATE", role: Role): void {
  core.hub.gateway?.dispatch(JsonTopic.guild(role.guildId), t, { guild_id: role.guildId, role: roleJson(role, managedRoles(core, role.guildId).get(role.id)) });
}

export function roleDeleted(core: Core, guildId: string, roleId: string): void {
  core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "GUILD_ROLE_DELETE", { guild_id: guildId, role_id: roleId });
}
