// Parts of the app shell a tab refetches when the server tells it they changed (a channel became
// visible or hidden, a server joined or left): rendered for the asking user, like the page.
import { Hono, type Context } from "hono";
import { GuildSidebar } from "../../views/guilds/sidebar.tsx";
import { RailServers } from "../../views/shell/app-shell.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { channelAccessFor, requireGuild, unknownGuild, visibleChannels } from "../guilds/access.ts";
import { shellData } from "../guilds/shell.ts";
import type { AppEnv } from "../http/env.ts";
import { snowflakeParam } from "../http/validate.ts";
import { channelStates } from "../messages/read-state.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { requirePageUser } from "../users/routes.tsx";
import { sidebarVoice } from "../voice/live.tsx";

const optionalId = (value: string | undefined) => (value !== undefined && snowflakeParam.safeParse(value).success ? value : undefined);

export function shellFragments(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requirePageUser);
  app.get("/sidebar/:guild", (c: Context<AppEnv>) => {
    const guildId = snowflakeParam.safeParse(c.req.param("guild"));
    if (!guildId.success) throw unknownGuild();
    const access = requireGuild(core, currentAuth(c).user.id, guildId.data);
    const channels = visibleChannels(core, access);
    const active = channels.find((ch) => ch.id === optionalId(c.req.query("channel")) && ch.type !== 4);
    const perms = active ? channelAccessFor(core, access, active) : access.permissions;
    const can = { manageChannels: has(access.permissions, Permission.MANAGE_CHANNELS), manageGuild: has(access.permissions, Permission.MANAGE_GUILD), invite: has(perms, Permission.CREATE_INSTANT_INVITE) };
    const { ctx } = shellData(c, core);
    return c.html(<GuildSidebar ctx={ctx} guild={access.guild} channels={channels} activeId={active?.id} can={can} states={channelStates(core, access.member.userId, channels.map((ch) => ch.id))} voice={sidebarVoice(core, channels)} />);
  });
  app.get("/rail", (c) => {
    const { ctx, guilds, rail } = shellData(c, core);
    return c.html(<RailServers ctx={ctx} guilds={guilds} rail={rail} activeGuildId={optionalId(c.req.query("guild")) ?? null} />);
  });
  return app;
}
