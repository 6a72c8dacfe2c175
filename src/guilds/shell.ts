// What every app-shell page needs besides the page context: the rail's servers.
import type { Context } from "hono";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { currentAuth } from "../auth/middleware.ts";
import { myGuilds } from "./service.ts";
import { guildAccess, visibleChannels } from "./access.ts";
import { channelStates } from "../messages/read-state.ts";
import { listDms } from "../dms/service.ts";

export interface RailState {
  unread: boolean;
  mentions: number;
}

export function shellData(c: Context<AppEnv>, core: Core) {
  const userId = currentAuth(c).user.id;
  const guilds = myGuilds(core, userId);
  // The rail shows, per server, whether anything is unread and how many mentions wait there.
  const rail = new Map<string, RailState>();
  for (const guild of guilds) {
    const access = guildAccess(core, userId, guild.id);
    if (!access) continue;
    const states = channelStates(core, userId, visibleChannels(core, access).filter((ch) => ch.type === 0).map((ch) => ch.id));
    let unread = false;
    let mentions = 0;
    for (const s of states.values()) {
      unread ||= s.unread;
      mentions += s.mentions;
    }
    rail.set(guild.id, { unread, mentions });
  }
  const dmStates = channelStates(core, userId, listDms(core, userId).map((d) => d.channel.id));
  const dmMentions = [...dmStates.values()].reduce((n, s) => n + s.mentions, 0);
  const ctx = pageCtx(c, core);
  // `shell` spreads straight into <AppShell>: the parts every app page shares.
  return { ctx, guilds, rail, dmMentions, dmStates, shell: { ctx, guilds, rail, dmMentions } };
}
