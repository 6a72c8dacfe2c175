// What the JSON gateway needs from the features: who a token is, which topics they may hear,
// and the READY / GUILD_CREATE payloads. Built here so the hub itself imports no feature.
import { resolveAccessToken } from "../auth/access-tokens.ts";
import { resolveSession } from "../auth/sessions.ts";
import { parseToken } from "../auth/tokens.ts";
import { resolveBotToken } from "../bots/service.ts";
import { channelJson } from "../channels/service.ts";
import type { Core } from "../core.ts";
import { dmJson, listDms } from "../dms/service.ts";
import { guildAccess, visibleChannels } from "../guilds/access.ts";
import { guildJson } from "../guilds/json.ts";
import { myGuilds } from "../guilds/service.ts";
import type { GatewayAuthority, Identity } from "../hub/gateway.ts";
import { listMembers, memberJson } from "../members/service.ts";
import { findUser, selfUser } from "../users/service.ts";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { channels } from "../guilds/table.ts";
import { CHOSEN_STATUSES, presenceJson } from "../presence/status.ts";
import { setPresence } from "../presence/service.ts";
import { LIMITS } from "../users/profile.ts";
import { gatewayVoiceState } from "../voice/gateway.ts";

export const JsonTopic = {
  channel: (id: string) => `json:channel:${id}`,
  guild: (id: string) => `json:guild:${id}`,
  user: (id: string) => `json:user:${id}`,
} as const;

function who(core: Core, raw: string): { userId: string; authSessionId: string | null } | null {
  // Discord clients send the token bare; accept an optional "Bearer " (people) or "Bot " (bots) too.
  const scheme = /^(Bearer|Bot) /.exec(raw)?.[1];
  const token = parseToken(scheme ? raw.slice(scheme.length + 1) : raw);
  if ((scheme === "Bot") !== (token?.kind === "bot") && scheme !== undefined) return null;
  if (token?.kind === "bot") {
    const found = resolveBotToken(core, token);
    return found ? { userId: found.bot.id, authSessionId: null } : null;
  }
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

type GuildCreateFields = (core: Core, guildId: string, visibleChannelIds: Set<string>) => Record<string, unknown>;
// `var`: features register while this module may still be evaluating (voice/live.tsx is reached
// through this module's own imports), before a `const` here would exist.
// eslint-disable-next-line no-var
var guildCreateFields: GuildCreateFields[] | undefined;
/** Features add their fields to GUILD_CREATE (voice: `voice_states`) without the gateway importing them. */
export function addGuildCreateFields(fields: GuildCreateFields): void {
  (guildCreateFields ??= []).push(fields);
}

/** GUILD_CREATE for one server as this user sees it (channels they can see, members, who is online). */
function guildCreate(core: Core, userId: string, guildId: string): { topics: string[]; d: Record<string, unknown> } | null {
  const access = guildAccess(core, userId, guildId);
  if (!access) return null;
  const channels = visibleChannels(core, access);
  const members = listMembers(core, guildId);
  // Discord lists the members who are not offline (invisible people are offline to others).
  const presences = members.filter((m) => m.presence !== "offline").map((m) => presenceJson(m.user.id, m.presence, m.user.customStatus));
  return {
    topics: [JsonTopic.guild(guildId), ...channels.map((c) => JsonTopic.channel(c.id))],
    d: {
      ...guildJson(core, access.guild),
      channels: channels.map((c) => channelJson(core, c)),
      members: members.map(memberJson),
      presences,
      member_count: members.length,
      unavailable: false,
      ...Object.assign({}, ...(guildCreateFields ?? []).map((fields) => fields(core, guildId, new Set(channels.map((c) => c.id))))),
    },
  };
}

/** Every JSON topic a user may hear: their own, each server's and its visible channels', their DMs'. */
function topicsOf(core: Core, userId: string): string[] {
  const topics = [JsonTopic.user(userId)];
  for (const guild of myGuilds(core, userId)) {
    const access = guildAccess(core, userId, guild.id);
    if (!access) continue;
    topics.push(JsonTopic.guild(guild.id), ...visibleChannels(core, access).map((c) => JsonTopic.channel(c.id)));
  }
  topics.push(...listDms(core, userId).map((d) => JsonTopic.channel(d.channel.id)));
  return topics;
}

/** op 3 PRESENCE_UPDATE: Discord's `{since, activities, status, afk}`; a custom status is an activity of type 4. */
const presenceUpdate = z.object({
  since: z.number().int().nonnegative().nullable().optional(),
  status: z.enum(CHOSEN_STATUSES),
  afk: z.boolean().optional(),
  activities: z.array(z.object({ type: z.number().int().min(0).max(6), name: z.string().max(128), state: z.string().refine((text) => [...text].length <= LIMITS.customStatus).nullish() })).max(5).optional(),
});

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
        const created = guildCreate(core, user.id, guild.id);
        if (!created) continue;
        topics.push(...created.topics);
        followUps.push({ t: "GUILD_CREATE", d: created.d });
      }
      const dms = listDms(core, user.id);
      topics.push(...dms.map((d) => JsonTopic.channel(d.channel.id)));
      return {
        userId: user.id,
        authSessionId: found.authSessionId,
        bot: user.isBot,
        topics,
        ready: { user: selfUser(user), guilds: guilds.map((g) => ({ id: g.id, unavailable: true })), private_channels: dms.map(dmJson), presences: [], application: user.isBot ? { id: user.id, flags: 0 } : null },
        followUps,
      };
    },
    topics: (userId) => topicsOf(core, userId),
    guildCreate: (userId, guildId) => guildCreate(core, userId, guildId)?.d ?? null,
    channelCreate(channelId) {
      const channel = core.db.readOrm.select().from(channels).where(eq(channels.id, channelId)).get();
      return channel ? (channelJson(core, channel) as { guild_id?: string | null }) : null;
    },
    presence(userId, d) {
      const parsed = presenceUpdate.safeParse(d);
      if (!parsed.success) return false;
      const custom = parsed.data.activities?.find((a) => a.type === 4);
      // Checked again by the service (length after cleaning); a bad custom status is a bad payload.
      setPresence(core, userId, { status: parsed.data.status, customStatus: parsed.data.activities ? (custom?.state ?? "") : undefined }).catch((err) => core.logger.warn("gateway presence update failed", { err, userId }));
      return true;
    },
    voiceState: (userId, d) => gatewayVoiceState(core, userId, d),
  };
}
