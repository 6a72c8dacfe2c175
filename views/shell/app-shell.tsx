import { assetUrl } from "../../src/assets/registry.ts";
import { Document } from "../layouts/document.tsx";

/**
 * The chat app's frame: server rail, channel sidebar, main pane, member pane. Features fill the
 * regions; until there is something to show each region explains what will appear there.
 */
export function AppShell(props: { instanceName: string }) {
  return (
    <Document title={props.instanceName}>
      <a class="skip-link" href="#main">Skip to the conversation</a>
      <div class="app-shell">
        <nav class="server-rail" aria-label="Servers">
          <a class="rail-home" href="/" aria-label="Home" aria-current="page">
            <img src={assetUrl("icons/logo.svg")} alt="" width="28" height="28" />
          </a>
          <hr class="rail-separator" />
          <ul class="rail-servers" id="server-list" aria-label="Your servers"></ul>
        </nav>
        <aside class="channel-sidebar" aria-label="Channels">
          <header class="sidebar-header">
            <h2>{props.instanceName}</h2>
          </header>
          <div class="sidebar-body empty-state" id="channel-list">
            <p>No server open.</p>
            <p class="muted">Its text and voice channels will be listed here.</p>
          </div>
        </aside>
        <main class="main-pane" id="main" tabindex={-1}>
          <header class="pane-header">
            <h1>Home</h1>
          </header>
          <section class="pane-body empty-state" aria-label="Conversation">
            <h2>Welcome to {props.instanceName}</h2>
            <p class="muted">Servers you join appear in the rail on the left. Open one to start talking.</p>
          </section>
        </main>
        <aside class="member-pane" aria-label="Members">
          <h2 class="pane-title">Members</h2>
          <p class="muted empty-state">The members of the server you open appear here.</p>
        </aside>
      </div>
    </Document>
  );
}
