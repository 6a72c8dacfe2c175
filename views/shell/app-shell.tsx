import { assetUrl } from "../../src/assets/registry.ts";
import { Document } from "../layouts/document.tsx";
import { Avatar } from "../shared/avatar.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * The chat app's frame: server rail, channel sidebar (with the user panel), main pane, member
 * pane. Features fill the regions; until there is something to show each region says what will
 * appear there.
 */
export function AppShell(props: { ctx: PageCtx }) {
  const { t, user, instanceName } = props.ctx;
  return (
    <Document title={instanceName} locale={props.ctx.locale} theme={props.ctx.theme}>
      <a class="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <div class="app-shell">
        <nav class="server-rail" aria-label={t("shell.servers")}>
          <a class="rail-home" href="/" aria-label={t("shell.home")} aria-current="page">
            <img src={assetUrl("icons/logo.svg")} alt="" width="28" height="28" />
          </a>
          <hr class="rail-separator" />
          <ul class="rail-servers" id="server-list" aria-label={t("shell.yourServers")}></ul>
        </nav>
        <aside class="channel-sidebar" aria-label={t("shell.channels")}>
          <header class="sidebar-header">
            <h2>{instanceName}</h2>
          </header>
          <div class="sidebar-body empty-state" id="channel-list">
            <p>{t("shell.noServer")}</p>
            <p class="muted">{t("shell.noServerHint")}</p>
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
            <h1>{t("shell.home")}</h1>
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
          <section class="pane-body empty-state" aria-label={t("shell.conversation")}>
            <h2>{t("shell.welcome", { name: instanceName })}</h2>
            <p class="muted">{t("shell.welcomeHint")}</p>
          </section>
        </main>
        <aside class="member-pane" aria-label={t("shell.members")}>
          <h2 class="pane-title">{t("shell.members")}</h2>
          <p class="muted empty-state">{t("shell.membersHint")}</p>
        </aside>
      </div>
    </Document>
  );
}
