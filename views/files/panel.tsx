import type { AttachmentView } from "../../src/files/queries.ts";
import { kindOf } from "../../src/files/sniff.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import { FileCard } from "./attachments.tsx";

const jump = (a: AttachmentView) => `?around=${a.messageId}#m-${a.messageId}`;

/** A channel's files and media, newest first, in the shell's popover (like the pinned list). */
export function FilesPanel(props: { ctx: PageCtx; files: AttachmentView[] }) {
  const { t } = props.ctx;
  const media = props.files.filter((a) => kindOf(a.contentType) === "image" || kindOf(a.contentType) === "video");
  const others = props.files.filter((a) => !media.includes(a));
  return (
    <section class="files-popover card" role="dialog" aria-labelledby="files-title">
      <header class="popover-header">
        <h3 id="files-title">🗂 {t("files.panel")}</h3>
        <button type="button" class="link-button" data-close-popover="" aria-label={t("files.close")}>
          ✕
        </button>
      </header>
      {props.files.length === 0 ? <p class="muted">{t("files.none")}</p> : null}
      {media.length ? (
        <>
          <h4 class="small muted">{t("files.images")}</h4>
          <ul class="media-grid" data-gallery="" hx-ignore="">
            {media.map((a) =>
              kindOf(a.contentType) === "image" ? (
                <li class={a.spoiler ? "spoiler" : undefined}>
                  <a href={a.path} data-lightbox="" data-preview={`${a.path}?thumb=preview`} data-name={a.filename}>
                    <img src={`${a.path}?thumb=list`} alt={a.description ?? a.filename} loading="lazy" />
                  </a>
                </li>
              ) : (
                <li>
                  <a href={jump(a)} data-jump={a.messageId} class="media-video">
                    🎬 <span>{a.filename}</span>
                  </a>
                </li>
              ),
            )}
          </ul>
        </>
      ) : null}
      {others.length ? (
        <>
          <h4 class="small muted">{t("files.others")}</h4>
          <ul class="files-list" hx-ignore="">
            {others.map((a) => (
              <li>
                <FileCard a={a} />
                <a class="small" href={jump(a)} data-jump={a.messageId ?? undefined}>
                  {t("files.jump")}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
