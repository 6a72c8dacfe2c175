// GUILD_MEMBER_ADD / UPDATE / REMOVE on the gateway (intent GUILD_MEMBERS), sent by every path
// that changes who is in a server or what a member holds: invites, bot authorization, leaving,
// nicknames, roles. Each reads the member after the commit, so the event shows the stored state.
import { findUser, publicUser } from "../users/service.ts";
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { findMember, memberJson } from "./service.ts";

function memberEvent(core: Core, t: "GUILD_MEMBER_ADD" | "GUILD_MEMBER_UPDATE", guildId: string, userId: string): void {
  let view;
  try {
    view = findMember(core, guildId, userId);
  } catch {
    return; // They left meanwhile: REMOVE tells the rest.
  }
  core.hub.gateway?.dispatch(JsonTopic.guild(guildId), t, { guild_id: guildId, ...memberJson(view) });
}

export const memberAdded = (core: Core, guildId: string, userId: string) => memberEvent(core, "GUILD_MEMBER_ADD", guildId, userId);
export const memberUpdated = (core: Core, guildId: string, userId: string) => memberEvent(core, "GUILD_MEMBER_UPDATE", guildId, userId);

/** Discord sends the user object; the member row is gone by now. */
export function memberRemoved(core: Core, guildId: string, userId: string): void {
  const user = findUser(core, userId);
  core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "GUILD_MEMBER_REMOVE", { guild_id: guildId, user: user ? publicUser(user) : { id: userId } });
}
