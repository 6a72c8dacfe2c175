import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { assetUrl } from "../../src/assets/registry.ts";

// First: page.js gives the others their setup hook (pokynanoPage.init), which in-page navigation
// during a call re-runs (static/js/page.js).
const FIRST_SCRIPTS = ["js/page.js"];
// After the page's own scripts: drafts.js uses the composer's hooks (static/js/composer.js).
const PWA_SCRIPTS = ["js/pwa.js", "js/notifications.js", "js/drafts.js"];

// htmx 4 config: the indicator stylesheet htmx would inject inline is in app.css instead (our
// CSP allows no inline style), and requests stay same-origin.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false, mode: "same-origin" });

export function Document(props: { title: string; locale: string; theme?: string; children: Child; bodyClass?: string; scripts?: string[]; userCss?: boolean }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={props.locale} data-theme={props.theme ?? "system"}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content" />
          <meta name="color-scheme" content="dark light" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title>{props.title}</title>
          <link rel="stylesheet" href={assetUrl("css/app.css")} />
          {props.userCss ? <link rel="stylesheet" href="/me.css" /> : null}
          {/* The admin's custom CSS comes last, so it wins (src/instance/routes.ts). */}
          <link rel="stylesheet" href="/instance.css" />
          <link rel="icon" href={assetUrl("icons/logo.svg")} type="image/svg+xml" />
          {/* Installable app (src/pwa/routes.ts); the service worker, notifications and drafts scripts run on every page. */}
          <link rel="manifest" href="/manifest.webmanifest" />
          <link rel="apple-touch-icon" href={assetUrl("icons/apple-touch-icon.png")} />
          <meta name="theme-color" content="#5865f2" />
          <script src={assetUrl("vendor/htmx.min.js")} defer></script>
          {[...FIRST_SCRIPTS, ...(props.scripts ?? []), ...PWA_SCRIPTS].map((s) => (
            <script src={assetUrl(s)} defer></script>
          ))}
        </head>
        <body class={props.bodyClass}>{props.children}</body>
      </html>
    </>
  );
}
