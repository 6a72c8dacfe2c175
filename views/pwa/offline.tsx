import type { PageCtx } from "../shared/page-ctx.ts";
import { Document } from "../layouts/document.tsx";

/** Cached by the service worker and shown when a page cannot be loaded (static/js/offline.js). */
export function OfflinePage(props: { ctx: PageCtx; logo: string }) {
  const { t } = props.ctx;
  return (
    <Document title={t("pwa.offlineTitle")} locale={props.ctx.locale} theme={props.ctx.theme} bodyClass="offline-page" scripts={["js/offline.js"]}>
      <main class="offline-screen" id="main">
        <img src={props.logo} alt="" width="64" height="64" />
        <h1>{t("pwa.offlineTitle")}</h1>
        <p>{t("pwa.offlineText")}</p>
        <button type="button" id="offline-retry" class="primary">
          {t("pwa.retry")}
        </button>
      </main>
    </Document>
  );
}
