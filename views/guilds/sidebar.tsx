import type { Channel, Guild } from "../../src/guilds/table.ts";
import type { ChannelState } from "../../src/messages/read-state.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import { VoiceLabels, VoiceMembers, type VoiceMemberView } from "../voice/members.tsx";

export interface SidebarAbilities {
  manageChannels: boolean;
  manageGuild: boolean;
  invite: boolean;
}

const ICON: Record<number, string> = { 0: "#", 2: "🔊" };

/** A channel's (or DM's) mention count; always present so live updates have a target, hidden at zero. */
export function MentionBadge(props: { ctx: PageCtx; channelId: string; count: number }) {
  return (
    <span id={`mentions-${props.channelId}`} class="mention-badge" hidden={props.count === 0} aria-label={props.count > 0 ? props.ctx.t("channel.mentions", { count: props.count }) : undefined}>
      {props.count > 0 ? props.count : ""}
    </span>
  );
}

function ChannelItem(props: { ctx: PageCtx; guild: Guild; channel: Channel; activeId?: string; can: SidebarAbilities; state?: ChannelState; voice?: VoiceMemberView[] }) {
  const { channel: c, ctx } = props;
  const unread = Boolean(props.state?.unread) && c.id !== props.activeId;
  const mentions = c.id === props.activeId ? 0 : (props.state?.mentions ?? 0);
  return (
    <li class="channel-item" data-channel-id={c.id} data-kind="channel" draggable={props.can.manageChannels ? "true" : undefined}>
      {/* A voice channel's link joins it (static/js/voice.js on its page reads ?join). */}
      <a class="channel-link" href={`/channels/${props.guild.id}/${c.id}${c.type === 2 ? "?join=1" : ""}`} aria-current={c.id === props.activeId ? "page" : undefined}>
        <span class="channel-icon" aria-hidden="true">
          {ICON[c.type] ?? "#"}
        </span>
        <span class="channel-name">{c.name}</span>
        {/* Live targets: the flag is set by one fragment shared by every tab showing this server
            (bold via CSS), the badge per user; the words stay in the page's language. */}
        <i id={`unread-${c.id}`} class={`unread-flag${unread ? " on" : ""}`}></i>
        <span class="visually-hidden unread-text">{ctx.t("channel.unread")}</span>
        <MentionBadge ctx={ctx} channelId={c.id} count={mentions} />
      </a>
      {props.can.manageChannels ? (
        <a class="channel-gear" href={`/channels/${c.id}/settings`} aria-label={`${ctx.t("channel.settings")}: ${c.name}`} title={ctx.t("channel.settings")}>
          ⚙
        </a>
      ) : null}
      {c.type === 2 ? <VoiceMembers channelId={c.id} members={props.voice ?? []} /> : null}
    </li>
  );
}

/**
 * The channel list: loose channels, then each category (collapsible) with its channels. Members
 * who may manage channels can drag them (static/js/reorder.js); the gear opens a channel's settings.
 */
export function GuildSidebar(props: { ctx: PageCtx; guild: Guild; channels: Channel[]; activeId?: string; can: SidebarAbilities; states?: Map<string, ChannelState>; voice?: Map<string, VoiceMemberView[]> }) {
  const { t } = props.ctx;
  const categories = props.channels.filter((c) => c.type === 4);
  const loose = props.channels.filter((c) => c.type !== 4 && !categories.some((cat) => cat.id === c.parentId));
  const list = (items: Channel[], parentId: string) => (
    <ul class="channel-items" data-parent-id={parentId} data-accept="channel" data-reorder={props.can.manageChannels ? `/guilds/${props.guild.id}/channels/order` : undefined}>
      {items.map((c) => (
        <ChannelItem ctx={props.ctx} guild={props.guild} channel={c} activeId={props.activeId} can={props.can} state={props.states?.get(c.id)} voice={props.voice?.get(c.id)} />
      ))}
    </ul>
  );
  return (
    <nav aria-label={t("shell.channels")} hx-ignore="">
      {props.can.invite || props.can.manageChannels ? (
        <p class="sidebar-actions">
          {props.can.invite && props.activeId ? <a href={`/channels/${props.activeId}/invite`}>{t("channel.invite")}</a> : null}
          {props.can.manageChannels ? <a href={`/guilds/${props.guild.id}/channels/new`}>{t("channel.create")}</a> : null}
        </p>
      ) : null}
      <VoiceLabels ctx={props.ctx} />
      {list(loose, "")}
      <ul class="category-list" data-parent-id="" data-accept="category" data-reorder={props.can.manageChannels ? `/guilds/${props.guild.id}/channels/order` : undefined}>
      {categories.map((cat) => (
        <li data-channel-id={cat.id} data-kind="category" draggable={props.can.manageChannels ? "true" : undefined}>
        <details class="category" open>
          <summary>
            <span class="category-name">{cat.name}</span>
          </summary>
          {/* Outside the summary: a summary may not hold other controls. */}
          {props.can.manageChannels ? (
            <span class="category-actions">
                <a class="category-add" href={`/guilds/${props.guild.id}/channels/new?parent=${cat.id}`} aria-label={t("channel.createIn", { name: cat.name })} title={t("channel.createIn", { name: cat.name })}>
                  +
                </a>
                <a class="channel-gear" href={`/channels/${cat.id}/settings`} aria-label={`${t("channel.settings")}: ${cat.name}`}>
                  ⚙
                </a>
            </span>
          ) : null}
          {list(
            props.channels.filter((c) => c.parentId === cat.id),
            cat.id,
          )}
        </details>
        </li>
      ))}
      </ul>
      {props.can.manageChannels ? <p class="hint small">{t("channel.dragHint")}</p> : null}
    </nav>
  );
}

export function GuildHeader(props: { ctx: PageCtx; guild: Guild; canOpenSettings: boolean }) {
  return (
    <div class="guild-header" hx-ignore="">
      <h2>{props.guild.name}</h2>
      <a href={`/guilds/${props.guild.id}/settings`} class="icon-link" aria-label={props.ctx.t("guild.settings")} title={props.ctx.t("guild.settings")}>
        ⚙
      </a>
    </div>
  );
}
