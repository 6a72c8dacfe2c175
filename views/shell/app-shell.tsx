import type { Child } from "hono/jsx";
import type { Guild } from "../../src/guilds/table.ts";
import { assetUrl } from "../../src/assets/registry.ts";
import { Document } from "../layouts/document.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { SearchBox } from "../search/box.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import { ShortcutsDialog } from "./shortcuts.tsx";

const STATUSES = ["online", "idle", "dnd", "invisible"] as const;

export interface ShellProps {
  ctx: PageCtx;
  guilds: Guild[];
  rail?: Map<string, { unread: boolean; mentions: number }>;
  dmMentions?: number;
  /** The open server (rail highlight), or null for home / direct messages. */
  activeGuildId: string | null;
  title: string;
  sidebarTitle: Child;
  sidebar: Child;
  mainTitle: Child;
  mainHeader?: Child;
  main: Child;
  members?: Child;
  scripts?: string[];
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => [...w][0] ?? "")
    .join("")
    .slice(0, 3);

/** A rail badge (mentions); always present so live updates have a target, hidden at zero. */
function RailBadge(props: { id: string; count: number }) {
  return (
    <span id={props.id} class="rail-badge" hidden={props.count === 0}>
      {props.count > 0 ? props.count : ""}
    </span>
  );
}

/** One server on the rail; re-rendered for one user when their mentions or reads change it. */
export function RailServer(props: { ctx: PageCtx; guild: Guild; state?: { unread: boolean; mentions: number }; active: boolean }) {
  const { t } = props.ctx;
  const g = props.guild;
  const state = props.state;
  const label = state?.mentions ? `${g.name} (${t("channel.mentions", { count: state.mentions })})` : state?.unread ? `${g.name} ${t("channel.unread")}` : g.name;
  return (
    <li id={`rail-${g.id}`}>
      <a class="rail-server" href={`/channels/${g.id}`} title={g.name} aria-label={label} aria-current={props.active ? "page" : undefined}>
        {/* The unread pill: set by the shared "something new" fragment of public channels, cleared per user. */}
        <i id={`rail-unread-${g.id}`} class={`unread-flag${state?.unread ? " on" : ""}`}></i>
        {g.icon ? <img src={`/icons/${g.icon}.webp`} alt="" width="48" height="48" /> : initials(g.name)}
        <RailBadge id={`rail-mentions-${g.id}`} count={state?.mentions ?? 0} />
      </a>
    </li>
  );
}

/** The servers on the rail; refetched by a tab when the user joins or leaves one. */
export function RailServers(props: { ctx: PageCtx; guilds: Guild[]; rail?: Map<string, { unread: boolean; mentions: number }>; activeGuildId: string | null }) {
  const { t } = props.ctx;
  return (
    <ul class="rail-servers" id="server-list" aria-label={t("shell.yourServers")} hx-ignore="">
      {props.guilds.map((g) => (
        <RailServer ctx={props.ctx} guild={g} state={props.rail?.get(g.id)} active={g.id === props.activeGuildId} />
      ))}
      <li>
        <a class="rail-server rail-add" href="/guilds/new" aria-label={t("guild.create")} title={t("guild.create")}>
          +
        </a>
      </li>
    </ul>
  );
}

/** The home button's mention badge (all direct messages). */
export function HomeBadge(props: { count: number }) {
  return <RailBadge id="rail-mentions-home" count={props.count} />;
}

/** Under the user's name: their status dot and custom status (else their username); live in all their tabs. */
export function SelfStatus(props: { ctx: PageCtx; status: string; customStatus: string }) {
  const { t, user } = props.ctx;
  return (
    <span id="self-status" class="self-status muted small" data-status={props.status} hx-ignore="">
      <span class="status-dot" data-status={props.status} role="img" aria-label={t(`presence.${props.status}` as MessageKey)}></span>
      <span class="self-status-text">{props.customStatus || user?.username}</span>
    </span>
  );
}

/** The status menu: a plain form (works without JavaScript), opened from the user panel. */
function StatusMenu(props: { ctx: PageCtx }) {
  const { t, user } = props.ctx;
  if (!user) return null;
  return (
    <details class="status-menu">
      <summary class="icon-link" aria-label={t("presence.menu")} title={t("presence.menu")}>
        <span class="status-dot" data-status={user.status === "invisible" ? "invisible" : user.status} aria-hidden="true"></span>
      </summary>
      <form method="post" action="/presence" class="status-form">
        <fieldset>
          <legend>{t("presence.status")}</legend>
          {STATUSES.map((s) => (
            <label class="status-choice">
              <input type="radio" name="status" value={s} checked={user.status === s} />
              <span class="status-dot" data-status={s} aria-hidden="true"></span>
              {t(`presence.${s}`)}
              {s === "invisible" ? <span class="hint small">{t("presence.invisibleHint")}</span> : null}
            </label>
          ))}
        </fieldset>
        <label for="custom-status">{t("presence.customStatus")}</label>
        <input id="custom-status" name="custom_status" type="text" maxlength={128} value={user.customStatus} placeholder={t("presence.customPlaceholder")} />
        <button type="submit" class="primary">
          {t("presence.save")}
        </button>
      </form>
    </details>
  );
}

/**
 * The chat app's frame: server rail, sidebar (channels or conversations, then the user panel),
 * main pane, member pane. Pages fill the regions.
 */
export function AppShell(props: ShellProps) {
  const { t, user } = props.ctx;
  return (
    <Document title={props.title} locale={props.ctx.locale} theme={props.ctx.theme} scripts={user ? [...(props.scripts ?? []), "js/presence.js", "js/search.js", "vendor/minisearch.js", "js/switcher.js", "js/shortcuts.js", "js/mobile.js"] : props.scripts} userCss={Boolean(user)}>
      <a class="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      {props.ctx.announcement ? (
        <div class="announcement-banner" role="status" hx-ignore="">
          {props.ctx.announcement}
        </div>
      ) : null}
      <div class="app-shell">
        <div class="app-nav" id="app-nav">
        <nav class="server-rail" aria-label={t("shell.servers")}>
          <a class="rail-home" href="/" aria-label={t("dm.title")} aria-current={props.activeGuildId === null ? "page" : undefined} title={t("dm.title")}>
            <img src={props.ctx.logo ? `/icons/${props.ctx.logo}.webp` : assetUrl("icons/logo.svg")} alt="" width="28" height="28" />
            <HomeBadge count={props.dmMentions ?? 0} />
          </a>
          <hr class="rail-separator" />
          <RailServers ctx={props.ctx} guilds={props.guilds} rail={props.rail} activeGuildId={props.activeGuildId} />
        </nav>
        <aside class="channel-sidebar" aria-label={t("shell.channels")}>
          <header class="sidebar-header">{props.sidebarTitle}</header>
          <div class="sidebar-body" id="channel-list">
            {props.sidebar}
          </div>
          {user ? (
            <footer class="user-panel" hx-ignore="">
              <Avatar user={user} size={32} />
              <span class="user-panel-name">
                <strong>{user.displayName ?? user.username}</strong>
                {/* The page is being opened, so the user is online unless they chose otherwise. */}
                <SelfStatus ctx={props.ctx} status={user.status} customStatus={user.customStatus} />
              </span>
              <StatusMenu ctx={props.ctx} />
              <a href="/settings/profile" class="icon-link" aria-label={t("shell.settings")} title={t("shell.settings")}>
                ⚙
              </a>
            </footer>
          ) : null}
        </aside>
        </div>
        <div class="nav-backdrop" id="nav-backdrop" hidden></div>
        <main class="main-pane" id="main" tabindex={-1}>
          <header class="pane-header">
            {/* Phones: the rail and sidebar, and the member list, open as drawers (static/js/mobile.js). */}
            <button type="button" class="icon-button mobile-only" id="open-nav" aria-controls="app-nav" aria-expanded="false" aria-label={t("client.menu")} title={t("client.menu")}>
              ☰
            </button>
            <h1>{props.mainTitle}</h1>
            {/* A DM's other person: presence.js shows their status here. */}
            <span id="header-presence" class="header-presence"></span>
            {props.mainHeader}
            {user ? <SearchBox ctx={props.ctx} guildId={props.activeGuildId} /> : null}
            {user?.isAdmin ? (
              <a href="/admin/overview" class="header-link">
                {t("shell.admin")}
              </a>
            ) : null}
            {props.members ? (
              <button type="button" class="icon-button members-toggle" id="open-members" aria-controls="member-pane" aria-expanded="false" aria-label={t("client.showMembers")} title={t("client.showMembers")}>
                👥
              </button>
            ) : null}
            {user ? (
              <button type="button" class="icon-button" id="open-shortcuts" aria-haspopup="dialog" aria-label={t("shortcuts.open")} title={`${t("shortcuts.open")} (Ctrl+/)`}>
                ⌨
              </button>
            ) : null}
            <form method="post" action="/logout" class="header-form">
              <button type="submit" class="link-button">
                {t("shell.logout")}
              </button>
            </form>
          </header>
          {props.main}
        </main>
        <aside class="member-pane" id="member-pane" aria-label={t("shell.members")}>
          <h2 class="pane-title">{t("shell.members")}</h2>
          {props.members ?? <p class="muted empty-state">{t("shell.membersHint")}</p>}
          <div id="popover" class="popover-slot"></div>
        </aside>
      </div>
      {user ? (
        <>
          {/* Live plumbing: where presence and refresh fragments land, the words presence.js
              needs, and the socket a page without a conversation opens (presence.js). */}
          <div id="presence-feed" hidden></div>
          {/* Notifications for this user land here (src/notifications/fragment.ts; static/js/notifications.js). */}
          <div id="notify-inbox" hidden></div>
          {/* A DM call ringing this user (src/voice/ring.tsx). */}
          <div id="call-ring" class="call-ring-slot" aria-live="assertive"></div>
          <div id="live-refresh" hidden></div>
          {/* Shown by static/js/shortcuts.js while the live socket is down; read out politely. */}
          <div id="connection-banner" class="connection-banner" role="status" hidden data-lost={t("client.reconnecting")} data-back={t("client.reconnected")}></div>
          <ShortcutsDialog ctx={props.ctx} />
          <span id="presence-labels" hidden data-online={t("presence.online")} data-idle={t("presence.idle")} data-dnd={t("presence.dnd")} data-offline={t("presence.offline")}></span>
          <div id="shell-live" hidden data-ws-url={props.activeGuildId ? `/ws?guild=${props.activeGuildId}` : "/ws"}></div>
        </>
      ) : null}
    </Document>
  );
}
