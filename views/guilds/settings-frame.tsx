import type { Child } from "hono/jsx";
import type { Guild } from "../../src/guilds/table.ts";
import { Document } from "../layouts/document.tsx";
import { Alert } from "../shared/form.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

export interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

/** The frame of server and channel settings: a side nav back to the server, and the page. */
export function SettingsFrame(props: { ctx: PageCtx; guild: Guild; title: string; nav: NavItem[]; notice?: Child; error?: string; children: Child; scripts?: string[] }) {
  return (
    <Document title={`${props.title} · ${props.guild.name}`} locale={props.ctx.locale} theme={props.ctx.theme} bodyClass="settings-page" scripts={props.scripts}>
      <a class="skip-link" href="#main">
        {props.ctx.t("shell.skip")}
      </a>
      <div class="settings-shell">
        <nav class="settings-nav" aria-label={props.title}>
          <a href={`/channels/${props.guild.id}`} class="back-link" hx-ignore="">
            ← {props.guild.name}
          </a>
          <ul>
            {props.nav.map((n) => (
              <li>
                <a href={n.href} aria-current={n.current ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="settings-main" id="main" tabindex={-1}>
          <h1 hx-ignore="">{props.title}</h1>
          {props.notice ? (
            <div class="alert alert-success" role="status">
              {props.notice}
            </div>
          ) : null}
          {props.error ? <Alert kind="error">{props.error}</Alert> : null}
          {props.children}
        </main>
      </div>
    </Document>
  );
}
