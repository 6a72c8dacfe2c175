import type { Child } from "hono/jsx";
import type { Guild } from "../../src/guilds/table.ts";
import { assetUrl } from "../../src/assets/registry.ts";
import { Document } from "../layouts/document.tsx";
import { Avatar } from "../shared/avatar.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

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

/**
 * The chat app's frame: server rail, sidebar (channels or conversations, then the user panel),
 * main pane, member pane. Pages fill the regions.
 */
export function AppShell(props: ShellProps) {
  const { t, user } = props.ctx;
  return (
    <Document title={props.title} locale={props.ctx.locale} theme={props.ctx.theme} scripts={props.scripts} userCss={Boolean(user)}>
      <a class="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <div class="app-shell">
        <nav class="server-rail" aria-label={t("shell.servers")}>
          <a class="rail-home" href="/" aria-label={t("dm.title")} aria-current={props.activeGuildId === null ? "page" : undefined} title={t("dm.title")}>
            <img src={assetUrl("icons/logo.svg")} alt="" width="28" height="28" />
            {props.dmMentions ? <span class="rail-badge">{props.dmMentions}</span> : null}
          </a>
          <hr class="rail-separator" />
          <ul class="rail-servers" id="server-list" aria-label={t("shell.yourServers")} hx-ignore="">
            {props.guilds.map((g) => {
              const state = props.rail?.get(g.id);
              const label = state?.mentions ? `${g.name} (${t("channel.mentions", { count: state.mentions })})` : state?.unread ? `${g.name} ${t("channel.unread")}` : g.name;
              return (
                <li class={state?.unread ? "rail-unread" : undefined}>
                  <a class="rail-server" href={`/channels/${g.id}`} title={g.name} aria-label={label} aria-current={g.id === props.activeGuildId ? "page" : undefined}>
                    {g.icon ? <img src={`/icons/${g.icon}.webp`} alt="" width="48" height="48" /> : initials(g.name)}
                    {state?.mentions ? <span class="rail-badge">{state.mentions}</span> : null}
                  </a>
                </li>
              );
            })}
            <li>
              <a class="rail-server rail-add" href="/guilds/new" aria-label={t("guild.create")} title={t("guild.create")}>
                +
              </a>
            </li>
          </ul>
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
                <span class="muted small">{user.username}</span>
              </span>
              <a href="/settings/profile" class="icon-link" aria-label={t("shell.settings")} title={t("shell.settings")}>
                ⚙
              </a>
            </footer>
          ) : null}
        </aside>
        <main class="main-pane" id="main" tabindex={-1}>
          <header class="pane-header">
            <h1>{props.mainTitle}</h1>
            {props.mainHeader}
            {user?.isAdmin ? (
              <a href="/admin/users" class="header-link">
                {t("shell.admin")}
              </a>
            ) : null}
            <form method="post" action="/logout" class="header-form">
              <button type="submit" class="link-button">
                {t("shell.logout")}
              </button>
            </form>
          </header>
          {props.main}
        </main>
        <aside class="member-pane" aria-label={t("shell.members")}>
          <h2 class="pane-title">{t("shell.members")}</h2>
          {props.members ?? <p class="muted empty-state">{t("shell.membersHint")}</p>}
          <div id="popover" class="popover-slot"></div>
        </aside>
      </div>
    </Document>
  );
}
