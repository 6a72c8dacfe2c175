// Browser pages of a server: its channels (the app shell), creating a server, the member card,
// and the role colour stylesheet.
import { VoicePanel } from "../../views/voice/panel.tsx";
import { sidebarVoice } from "../voice/live.tsx";
import { sendBlockedNotice } from "../moderation/notice.tsx";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { NewGuildPage } from "../../views/guilds/forms.tsx";
import { MemberCard, MemberPane } from "../../views/guilds/members.tsx";
import { GuildHeader, GuildSidebar } from "../../views/guilds/sidebar.tsx";
import { AppShell } from "../../views/shell/app-shell.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors } from "../http/page.ts";
import { parseForm, snowflakeParam, text } from "../http/validate.ts";
import { findMember, groupMembers, listMembers } from "../members/service.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { guildRoles } from "../roles/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { channelAccessFor, requireGuild, unknownChannel, unknownGuild, visibleChannels, type GuildAccess } from "./access.ts";
import { createGuild } from "./service.ts";
import { MessagePane } from "../../views/messages/pane.tsx";
import { lastReadOf, loadHistory } from "../messages/history.ts";
import { channelStates, markRead } from "../messages/read-state.ts";
import { setGuildIcon } from "./icon.ts";
import { shellData } from "./shell.ts";
import { threadSlotFor } from "../threads/routes.tsx";
import { ThreadsButton } from "../../views/threads/slot.tsx";
import { channelTools } from "../moderation/channel-tools.tsx";
import type { Channel } from "./table.ts";

const param = (c: Context<AppEnv>, name: string, notFound: () => Error) => {
  const parsed = snowflakeParam.safeParse(c.req.param(name));
  if (!parsed.success) throw notFound();
  return parsed.data;
};

export function guildPages(core: Core) {
  const app = new Hono<AppEnv>();
  // Mounted at "/": scope the sign-in check to this app's own paths, not every request.
  app.use("/guilds", requirePageUser);
  app.use("/guilds/*", requirePageUser);
  app.use("/channels/*", requirePageUser);

  app.get("/guilds/new", (c) => c.html(<NewGuildPage ctx={shellData(c, core).ctx} />));
  app.post("/guilds", async (c) => {
    const form = await parseForm(c, z.object({ name: text(200), description: text(1000).optional(), icon: z.instanceof(File).optional() }));
    const { ctx } = shellData(c, core);
    const t = ctx.t;
    try {
      const guild = await createGuild(core, currentAuth(c).user.id, {
        name: form.name,
        description: form.description,
        layout: { textCategory: t("layout.textCategory"), voiceCategory: t("layout.voiceCategory"), general: t("layout.general"), generalVoice: t("layout.generalVoice") },
      });
      // An unreadable icon does not cost the new server: it is created, and the icon can be set again in its settings.
      if (form.icon && form.icon.size > 0) await setGuildIcon(core, currentAuth(c).user.id, guild.id, new Uint8Array(await form.icon.arrayBuffer())).catch(() => undefined);
      return c.redirect(`/channels/${guild.id}`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return c.html(<NewGuildPage ctx={ctx} errors={errors} values={{ name: form.name, description: form.description ?? "" }} />, status);
    }
  });

  // Opening a server lands on its first text channel the member can see.
  app.get("/channels/:guild{[0-9]+}", (c) => {
    const access = requireGuild(core, currentAuth(c).user.id, param(c, "guild", unknownGuild));
    const channels = visibleChannels(core, access);
    const first = channels.find((ch) => ch.type === 0) ?? channels.find((ch) => ch.type !== 4);
    if (!first) return renderGuild(c, core, access, channels, null);
    return c.redirect(`/channels/${access.guild.id}/${first.id}`, 302);
  });

  app.get("/channels/:guild{[0-9]+}/:channel{[0-9]+}", async (c) => {
    const access = requireGuild(core, currentAuth(c).user.id, param(c, "guild", unknownGuild));
    const channels = visibleChannels(core, access);
    const channelId = param(c, "channel", unknownChannel);
    const channel = channels.find((ch) => ch.id === channelId && ch.type !== 4);
    if (!channel) throw unknownChannel();
    // Opening a channel reads it (as in Discord); the sidebar then shows it as read.
    const lastReadId = channel.type === 0 ? lastReadOf(core, access.member.userId, channel.id) : null;
    if (channel.type === 0) await markRead(core, access.member.userId, channel.id);
    return renderGuild(c, core, access, channels, channel, lastReadId);
  });

  app.get("/guilds/:guild{[0-9]+}/members/:user{[0-9]+}/card", (c) => {
    const me = currentAuth(c).user.id;
    const access = requireGuild(core, me, param(c, "guild", unknownGuild));
    const view = findMember(core, access.guild.id, param(c, "user", unknownGuild));
    return c.html(<MemberCard ctx={shellData(c, core).ctx} guildId={access.guild.id} view={view} isSelf={view.user.id === me} isOwner={view.user.id === access.guild.ownerId} />);
  });

  // Role colours as a stylesheet of our own origin: the CSP allows no inline style attributes.
  app.get("/guilds/:guild{[0-9]+}/roles.css", (c) => {
    const access = requireGuild(core, currentAuth(c).user.id, param(c, "guild", unknownGuild));
    const css = guildRoles(core, access.guild.id)
      .filter((r) => r.color)
      .map((r) => {
        const hex = r.color.toString(16).padStart(6, "0");
        return `[data-role-color="role-color-${hex}"] { color: #${hex}; }`;
      })
      .join("\n");
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "private, no-cache");
    return c.body(css);
  });

  return app;
}

function renderGuild(c: Context<AppEnv>, core: Core, access: GuildAccess, channels: Channel[], channel: Channel | null, lastReadId: string | null = null) {
  const { ctx, dmStates, shell } = shellData(c, core);
  const { t } = ctx;
  const perms = channel ? channelAccessFor(core, access, channel) : access.permissions;
  const can = {
    manageChannels: has(access.permissions, Permission.MANAGE_CHANNELS),
    manageGuild: has(access.permissions, Permission.MANAGE_GUILD),
    invite: has(perms, Permission.CREATE_INSTANT_INVITE),
  };
  const roles = guildRoles(core, access.guild.id);
  // Invisible people look offline to others (but not to themselves).
  const online = (user: { id: string; status: string }) => core.hub.isOnline(user.id) && (user.status !== "invisible" || user.id === access.member.userId);
  const groups = groupMembers(listMembers(core, access.guild.id), roles.filter((r) => r.hoist && r.id !== access.guild.id), online);
  const cardFor = c.req.query("member");
  const card = cardFor && /^\d{1,20}$/.test(cardFor) ? (() => {
    try {
      const view = findMember(core, access.guild.id, cardFor);
      return <MemberCard ctx={ctx} guildId={access.guild.id} view={view} isSelf={view.user.id === access.member.userId} isOwner={view.user.id === access.guild.ownerId} />;
    } catch {
      return null;
    }
  })() : null;
  return c.html(
    <AppShell
      {...shell}
      activeGuildId={access.guild.id}
      title={channel ? `#${channel.name} · ${access.guild.name}` : access.guild.name}
      sidebarTitle={<GuildHeader ctx={ctx} guild={access.guild} canOpenSettings={true} />}
      sidebar={<GuildSidebar ctx={ctx} guild={access.guild} channels={channels} activeId={channel?.id} can={can} states={channelStates(core, access.member.userId, channels.map((ch) => ch.id))} voice={sidebarVoice(core, channels)} />}
      mainTitle={channel ? <span hx-ignore="">{channel.type === 2 ? "🔊 " : "#"}{channel.name}</span> : access.guild.name}
      mainHeader={
        <>
          {channel?.topic ? <p class="channel-topic" hx-ignore="">{channel.topic}</p> : null}
          {channel?.type === 0 ? <ThreadsButton ctx={ctx} guildId={access.guild.id} channelId={channel.id} /> : null}
          {channel?.type === 0 ? channelTools(core, ctx, access, channel, perms) : null}
        </>
      }
      main={
        <>
        {channel && channel.type === 0 && has(perms, Permission.READ_MESSAGE_HISTORY) ? (
          <MessagePane
            ctx={ctx}
            history={loadHistory(core, access.member.userId, channel.id, access.guild.id, { around: c.req.query("around"), lastReadId })}
            intro={t("channel.start", { name: channel.name })}
            canSend={has(perms, Permission.SEND_MESSAGES)}
            sendBlocked={sendBlockedNotice(core, ctx, access)}
            sendSlot={access.guild.id}
            canManage={has(perms, Permission.MANAGE_MESSAGES)}
            canPin={has(perms, Permission.PIN_MESSAGES)}
            placeholder={t("message.placeholder", { name: channel.name })}
          />
        ) : (
          channel?.type === 2 ? (
            <VoicePanel ctx={ctx} guildId={access.guild.id} channelId={channel.id} name={channel.name} canStream={has(perms, Permission.STREAM)} />
          ) : (
          <section class="pane-body conversation" aria-label={t("shell.conversation")}>
            {channel ? (
              <div class="conversation-start" hx-ignore="">
                <h2>{channel.type === 2 ? channel.name : `#${channel.name}`}</h2>
                <p class="muted">{channel.type === 2 ? t("channel.voiceEmpty") : t("channel.start", { name: channel.name })}</p>
              </div>
            ) : null}
          </section>
          )
        )}
        {channel?.type === 0 ? threadSlotFor(c, core, access, channel, perms) : null}
        </>
      }
      members={
        <>
          <link rel="stylesheet" href={`/guilds/${access.guild.id}/roles.css`} />
          <MemberPane ctx={ctx} guildId={access.guild.id} channelId={channel?.id ?? null} groups={groups} />
          {card}
        </>
      }
      scripts={["js/history.js", "js/mentions.js", "js/composer.js", "js/commands.js", "js/moderation-live.js", ...(channel?.type === 0 && has(perms, Permission.MANAGE_MESSAGES) ? ["js/moderation-select.js"] : []), ...(can.manageChannels ? ["js/reorder.js"] : []), ...(channel?.type === 2 ? ["js/voice.js"] : [])]}
    />,
  );
}
