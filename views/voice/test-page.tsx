import { SettingsLayout } from "../settings/layout.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

/** Settings → Voice: the connection test (static/js/voice-test.js fills the results). */
export function VoiceTestPage(props: { ctx: PageCtx; turn: boolean }) {
  const { t } = props.ctx;
  return (
    <SettingsLayout ctx={props.ctx} page="voice" scripts={["js/voice-test.js"]}>
      <section class="settings-section voice-test" id="voice-test" data-ok={t("voice.testOk")} data-fail={t("voice.testFail")} data-running={t("voice.testRunning")} data-no-turn={t("voice.testNoTurn")} data-turn={props.turn ? "1" : ""}>
        <h2>{t("voice.testTitle")}</h2>
        <p class="muted">{t("voice.testIntro")}</p>
        <button type="button" id="voice-test-run" class="primary">
          {t("voice.testRun")}
        </button>
        <dl class="voice-test-results">
          <dt>{t("voice.testUdp")}</dt>
          <dd id="voice-test-udp">–</dd>
          <dt>{t("voice.testTurn")}</dt>
          <dd id="voice-test-turn">{props.turn ? "–" : t("voice.testNoTurn")}</dd>
          <dt>{t("voice.testRtt")}</dt>
          <dd id="voice-test-rtt">–</dd>
          <dt>{t("voice.testLoss")}</dt>
          <dd id="voice-test-loss">–</dd>
        </dl>
      </section>
    </SettingsLayout>
  );
}
