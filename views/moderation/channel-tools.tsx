// A channel's moderation tools in its header, for those who may use them: lock or unlock the
// channel in one click (MANAGE_CHANNELS and MANAGE_ROLES), pick messages to delete together and
// delete the last N (MANAGE_MESSAGES). Selecting is done by static/js/moderation-select.js on the
// message list (messages are rendered once for every viewer, so the list itself has no checkboxes);
// "delete the last N" is a plain form.
import type { PageCtx } from "../shared/page-ctx.ts";

export function ChannelTools(props: { ctx: PageCtx; channelId: string; locked: boolean; canLock: boolean; canManageMessages: boolean }) {
  const { t } = props.ctx;
  if (!props.canLock && !props.canManageMessages) return null;
  const base = `/channels/${props.channelId}/moderation`;
  return (
    <>
      {/* One menu: the header is a single 48 px row already holding the title, threads and search. */}
      <details class="channel-tools">
        <summary class="button small" title={t("moderation.channelTools")}>
          🛡 <span class="channel-tools-label">{t("moderation.moderate")}</span>
        </summary>
        <div class="channel-tools-menu" role="group" aria-label={t("moderation.channelTools")}>
          {props.canLock ? (
            <form method="post" action={`${base}/${props.locked ? "unlock" : "lock"}`} class="inline-form">
              <button type="submit" class="button small" aria-pressed={props.locked ? "true" : "false"}>
                {props.locked ? t("moderation.unlockChannel") : t("moderation.lockChannel")}
              </button>
            </form>
          ) : null}
          {props.canManageMessages ? (
            <>
              <button type="button" class="button small" data-select-messages="" aria-pressed="false">
                {t("moderation.selectMessages")}
              </button>
              <form method="post" action={`${base}/purge`} class="purge-form">
                <label for="purge-limit">{t("moderation.deleteLastCount")}</label>
                <input id="purge-limit" name="limit" type="number" min={1} max={100} value="10" required inputmode="numeric" />
                <button type="submit" class="danger">
                  {t("moderation.deleteLastSubmit")}
                </button>
              </form>
            </>
          ) : null}
        </div>
      </details>
      {props.canManageMessages ? (
        <div class="selection-bar" data-selection-bar="" data-action={`${base}/bulk-delete`} data-count-template={t("moderation.selectedCount", { n: "{n}" })} hidden>
          <span data-selection-count="" aria-live="polite"></span>
          <button type="button" class="danger" data-delete-selected="" disabled>
            {t("moderation.deleteSelected")}
          </button>
          <button type="button" class="button small" data-cancel-selection="">
            {t("common.cancel")}
          </button>
          <p class="field-error" role="alert" hidden></p>
        </div>
      ) : null}
    </>
  );
}
