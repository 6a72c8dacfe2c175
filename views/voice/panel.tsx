import { assetUrl } from "../../src/assets/registry.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * The call panel of a voice channel page (static/js/voice.js drives it): join/leave, the
 * controls, the settings (input mode, push-to-talk key, devices, level meter, noise suppression
 * and echo cancellation) and the grid of participants. Words come from here, in the page's
 * language; the script only toggles state.
 */
export function VoicePanel(props: { ctx: PageCtx; guildId: string | null; channelId: string; name: string; canStream: boolean }) {
  const { t } = props.ctx;
  const labels = {
    "data-l-connecting": t("voice.connecting"),
    "data-l-connected": t("voice.connected"),
    "data-l-reconnecting": t("voice.reconnecting"),
    "data-l-ptt-only": t("voice.pttOnly"),
    "data-l-receive-only": t("voice.receiveOnly"),
    "data-l-full": t("voice.errorFull"),
    "data-l-forbidden": t("voice.errorForbidden"),
    "data-l-unknown": t("voice.errorUnknown"),
    "data-l-media": t("voice.errorMedia", { reason: "{reason}" }),
    "data-l-left": t("voice.leftNotice", { reason: "{reason}" }),
    "data-l-volume": t("voice.volume", { name: "{name}" }),
    "data-l-fullscreen": t("voice.fullscreen"),
    "data-l-spotlight": t("voice.spotlight"),
    "data-l-key-hint": t("voice.pttKeyHint"),
    "data-l-declined": t("voice.declined", { name: "{name}" }),
  };
  return (
    <>
    {/* The call itself is js/voice.js (in the page's head); these draw it: the panel here, the dock on every page while in a call. */}
    <script src={assetUrl("js/voice-tiles.js")} defer></script>
    <script src={assetUrl("js/voice-dock.js")} defer></script>
    <script src={assetUrl("js/voice-panel.js")} defer></script>
    <section id="voice-panel" class="voice-panel pane-body" aria-label={props.name} data-channel-id={props.channelId} data-guild-id={props.guildId ?? ""} {...labels} hx-ignore="">
      <p id="voice-status" class="voice-status" role="status"></p>
      <div class="voice-actions">
        <button type="button" id="voice-join" class="primary">{t("voice.join")}</button>
        <button type="button" id="voice-leave" hidden>{t("voice.leave")}</button>
        <button type="button" id="voice-mute" aria-pressed="false" hidden>{t("voice.mute")}</button>
        <button type="button" id="voice-deafen" aria-pressed="false" hidden>{t("voice.deafen")}</button>
        {props.canStream ? (
          <>
            <button type="button" id="voice-camera" aria-pressed="false" hidden>{t("voice.camera")}</button>
            <button type="button" id="voice-screen" aria-pressed="false" hidden>{t("voice.screen")}</button>
          </>
        ) : null}
        <button type="button" id="voice-layout" aria-pressed="false" hidden data-grid={t("voice.layoutGrid")} data-speaker={t("voice.layoutSpeaker")}>{t("voice.layoutSpeaker")}</button>
      </div>
      <details class="voice-settings">
        <summary>{t("voice.settings")}</summary>
        <fieldset>
          <legend>{t("voice.mode")}</legend>
          <label><input type="radio" name="voice-mode" value="vad" checked /> {t("voice.modeVad")}</label>
          <label><input type="radio" name="voice-mode" value="ptt" /> {t("voice.modePtt")}</label>
          <label>{t("voice.pttKey")} <button type="button" id="voice-ptt-key" class="key-capture">Space</button></label>
        </fieldset>
        <label>{t("voice.inputDevice")} <select id="voice-input"></select></label>
        <label>{t("voice.outputDevice")} <select id="voice-output"></select></label>
        <label>{t("voice.inputLevel")} <meter id="voice-level" min={0} max={1} low={0.2} high={0.8} value={0}></meter></label>
        <label><input type="checkbox" id="voice-ns" checked /> {t("voice.noiseSuppression")}</label>
        <label><input type="checkbox" id="voice-ec" checked /> {t("voice.echoCancellation")}</label>
      </details>
      <div id="voice-grid" class="voice-grid" data-layout="grid"></div>
      <p class="muted voice-empty">{t("voice.empty")}</p>
    </section>
    </>
  );
}
