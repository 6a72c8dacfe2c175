import { assetUrl } from "../../src/assets/registry.ts";
import { MAX_FILES } from "../../src/files/limits.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * Next to the pins button: the channel's files and media panel, the labels that attachments
 * (rendered once for every language) point at, and the lightbox. The lightbox is a modal <dialog>:
 * the rest of the page is inert while it is open, Esc closes it, focus goes back to the image
 * that opened it, and the arrow keys browse the images of the list it was opened from.
 */
export function FilesTools(props: { ctx: PageCtx; channelId: string }) {
  const { t } = props.ctx;
  return (
    <>
      <button type="button" class="link-button" hx-get={`/channels/${props.channelId}/files`} hx-target="#popover" hx-swap="innerHTML" aria-haspopup="dialog">
        🗂 {t("files.panel")}
      </button>
      <span id="label-show-spoiler" hidden>
        {t("files.showSpoiler")}
      </span>
      <dialog id="lightbox" class="lightbox" aria-labelledby="lightbox-title">
        <h2 id="lightbox-title" class="visually-hidden">
          {t("files.viewer")}
        </h2>
        <figure class="lightbox-figure">
          <img alt="" />
          <figcaption class="small">
            <span class="lightbox-caption"></span> <span class="lightbox-count muted"></span>{" "}
            <a class="lightbox-original" href="#" target="_blank" rel="noopener">
              {t("files.original")}
            </a>
          </figcaption>
        </figure>
        <button type="button" class="lightbox-prev" data-lightbox-prev="" aria-label={t("files.previous")}>
          ‹
        </button>
        <button type="button" class="lightbox-next" data-lightbox-next="" aria-label={t("files.next")}>
          ›
        </button>
        <button type="button" class="lightbox-close" data-lightbox-close="" aria-label={t("files.close")}>
          ✕
        </button>
      </dialog>
      <script src={assetUrl("js/lightbox.js")} defer></script>
    </>
  );
}

/**
 * In a composer (the channel's or a thread's): the file picker, and the tray where each picked
 * file shows its progress. The thread pane, swapped in by htmx, leaves the script to its slot.
 */
export function ComposerFiles(props: { ctx: PageCtx; channelId: string; script?: boolean }) {
  const { t } = props.ctx;
  return (
    <>
      <label class="attach-button link-button" title={t("files.attach")}>
        <span aria-hidden="true">📎</span>
        <span class="visually-hidden">{t("files.attach")}</span>
        <input type="file" multiple data-attach-input="" class="visually-hidden" />
      </label>
      <ul
        class="attachment-tray"
        data-attachment-tray=""
        data-channel-id={props.channelId}
        data-max={MAX_FILES}
        data-label-remove={t("files.remove")}
        data-label-spoiler={t("files.spoiler")}
        data-label-alt={t("files.alt")}
        data-label-alt-hint={t("files.altHint")}
        data-label-uploading={t("files.uploading")}
        data-label-uploaded={t("files.uploaded")}
        data-label-failed={t("files.failed")}
        data-label-too-many={t("files.tooMany", { max: MAX_FILES })}
        data-label-drop={t("files.drop")}
        hidden
      ></ul>
      {props.script === false ? null : <script src={assetUrl("js/attachments.js")} defer></script>}
    </>
  );
}
