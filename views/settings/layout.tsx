import type { Child } from "hono/jsx";
import type { MessageKey } from "../../src/i18n/index.ts";
import { Document } from "../layouts/document.tsx";
import { Alert } from "../shared/form.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

export const SETTINGS_PAGES = ["profile", "appearance", "security", "sessions", "tokens", "developer", "voice", "notifications", "account"] as const;
export type SettingsPage = (typeof SETTINGS_PAGES)[number];

export function SettingsLayout(props: { ctx: PageCtx; page: SettingsPage; notice?: string; error?: string; children: Child; scripts?: string[] }) {
  const { t } = props.ctx;
  const title = t(`settings.${props.page}` as MessageKey);
  return (
    <Document title={`${title} · ${t("settings.title")}`} locale={props.ctx.locale} theme={props.ctx.theme} bodyClass="settings-page" scripts={props.scripts}>
      <a class="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <div class="settings-shell">
        <nav class="settings-nav" aria-label={t("settings.title")}>
          <a href="/" class="back-link">
            ← {props.ctx.instanceName}
          </a>
          <h2>{t("settings.title")}</h2>
          <ul>
            {SETTINGS_PAGES.map((p) => (
              <li>
                <a href={`/settings/${p}`} aria-current={p === props.page ? "page" : undefined}>
                  {t(`settings.${p}` as MessageKey)}
                </a>
              </li>
            ))}
          </ul>
          <form method="post" action="/logout">
            <button type="submit" class="link-button">
              {t("shell.logout")}
            </button>
          </form>
        </nav>
        <main class="settings-main" id="main" tabindex={-1}>
          <h1>{title}</h1>
          {props.notice ? <Alert kind="success">{props.notice}</Alert> : null}
          {props.error ? <Alert kind="error">{props.error}</Alert> : null}
          {props.children}
        </main>
      </div>
    </Document>
  );
}
