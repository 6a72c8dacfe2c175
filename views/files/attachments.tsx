import type { AttachmentView } from "../../src/files/queries.ts";
import { formatBytes } from "../../src/files/limits.ts";
import { kindOf } from "../../src/files/sniff.ts";

/** One file card: the name links to the file (a download for anything not shown inline). */
export function FileCard(props: { a: AttachmentView }) {
  const { a } = props;
  return (
    <div class="attachment attachment-file">
      <span class="file-icon" aria-hidden="true">
        📄
      </span>
      <a href={a.path} download={a.filename} class="file-name">
        {a.filename}
      </a>
      <span class="muted small file-size">{formatBytes(a.size)}</span>
    </div>
  );
}

/**
 * A message's files, rendered once for every viewer (so no words here: labels are hidden elements
 * of the viewer's page, see FilesTools). Images show their list-size thumbnail (animated ones the
 * original, so they stay animated) and open the lightbox; audio and video get native players
 * (the files are served with byte ranges, so seeking works); anything else is a download card.
 */
export function Attachments(props: { files: AttachmentView[] }) {
  if (props.files.length === 0) return null;
  return (
    <div class="attachments" hx-ignore="">
      {props.files.map((a) => {
        const kind = kindOf(a.contentType);
        const spoiler = a.spoiler ? " spoiler" : "";
        if (kind === "image")
          return (
            <figure class={`attachment attachment-image${spoiler}`} data-attachment-id={a.id}>
              <a href={a.path} data-lightbox="" data-preview={`${a.path}?thumb=preview`} data-name={a.filename}>
                <img src={a.animated ? a.path : `${a.path}?thumb=list`} width={a.width ?? undefined} height={a.height ?? undefined} alt={a.description ?? a.filename} loading="lazy" decoding="async" />
              </a>
              {a.spoiler ? <button type="button" class="spoiler-cover" data-reveal="" aria-labelledby="label-show-spoiler"></button> : null}
            </figure>
          );
        if (kind === "video" || kind === "audio")
          return (
            <figure class={`attachment attachment-${kind}${spoiler}`} data-attachment-id={a.id} data-duration={a.durationSecs ?? undefined}>
              <figcaption class="small">
                <a href={a.path} download={a.filename}>
                  {a.filename}
                </a>{" "}
                <span class="muted">{formatBytes(a.size)}</span>
              </figcaption>
              {kind === "video" ? (
                <video controls preload="metadata" src={a.path} width={a.width ?? undefined} height={a.height ?? undefined} aria-label={a.description ?? a.filename}></video>
              ) : (
                <audio controls preload="metadata" src={a.path} aria-label={a.description ?? a.filename}></audio>
              )}
              {a.spoiler ? <button type="button" class="spoiler-cover" data-reveal="" aria-labelledby="label-show-spoiler"></button> : null}
            </figure>
          );
        return <FileCard a={a} />;
      })}
    </div>
  );
}
