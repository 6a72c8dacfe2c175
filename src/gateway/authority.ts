// What the JSON gateway needs from the features: who a token is, which topics they may hear,
// and the READY / GUILD_CREATE payloads. Built here so the hub itself imports no feature.
import { resolveAccessToken } from "../auth/access-tokens.ts";
import { resolveSession } from "../auth/sessions.ts";
import { parseToken } from "../auth/tokens.ts";
import { channelJson } from "../channels/service.ts";
import type { Core } from "../core.ts";
import { dmJson, listDms } from "../dms/service.ts";
import { guildAccess, visibleChannels } from "../guilds/access.ts";
import { guildJson } from "../guilds/json.ts";
import { myGuilds } from "../guilds/service.ts";
import type { GatewayAuthority, Identity } from "../hub/gateway.ts";
import { listMembers, memberJson } from "../members/service.ts";
import { findUser, selfUser } from "../users/service.ts";

export const JsonTopic = {
  channel: (id: string) => `json:channel:${id}`,
  guild: (id: string) => `json:guild:${id}`,
  user: (id: string) => `json:user:${id}`,
} as const;

function who(core: Core, raw: string): { userId: string; authSessionId: string | null } | null {
  // Discord clients send the token bare; accept an optional "Bearer " too. "Bot" tokens belong
  // to bot accounts, which do not exist yet.
  const token = parseToken(raw.replace(/^Bearer /, ""));
  if (token?.kind === "session") {
    const found = resolveSession(core, token);
    return found ? { userId: found.user.id, authSessionId: found.session.id } : null;
  }
  if (token?.kind === "access") {
    const found = resolveAccessToken(core, token);
    return found ? { userId: found.user.id, authSessionId: null } : null;
  }
  return null;
}

export function gatewayAuthority(core: Core): GatewayAuthority {
  return {
    userOf: (token) => who(core, token)?.userId ?? null,
    identify(token): Identity | null {
      const found = who(core, token);
      if (!found) return null;
      const user = findUser(core, found.userId);
      if (!user) return null;
      const topics = [JsonTopic.user(user.id)];
      const followUps: Identity["followUps"] = [];
      const guilds = myGuilds(core, user.id);
      for (const guild of guilds) {
        const access = guildAccess(core, user.id, guild.id);
        if (!access) continue;
        const channels = visibleChannels(core, access);
        topics.push(JsonTopic.guild(guild.id), ...channels.map((c) => JsonTopic.channel(c.id)));
        const members = listMembers(core, guild.id);
        followUps.push({
          t: "GUILD_CREATE",
          d: { ...guildJson(core, guild), channels: channels.map((c) => channelJson(core, c)), members: members.map(memberJson), member_count: members.length, unavailable: false },
        });
      }
      const dms = listDms(core, user.id);
      topics.push(...dms.map((d) => JsonTopic.channel(d.channel.id)));
      return {
        userId: user.id,
        authSessionId: found.authSessionId,
        topics,
        ready: { user: selfUser(user), guilds: guilds.map((g) => ({ id: g.id, unavailable: true })), private_channels: dms.map(dmJson), application: null },
        followUps,
      };
    },
  };
}
