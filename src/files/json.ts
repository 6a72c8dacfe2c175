// Discord's attachment object.
import type { AttachmentView } from "./queries.ts";

/** Discord's attachment flags. */
const IS_SPOILER = 1 << 3;
const IS_ANIMATED = 1 << 5;

export function attachmentJson(a: AttachmentView) {
  const thumbable = a.width !== null && a.contentType.startsWith("image/");
  return {
    id: a.id,
    filename: a.filename,
    description: a.description ?? undefined,
    content_type: a.contentType,
    size: a.size,
    url: a.url,
    // Discord's media proxy serves resized copies from proxy_url; ours is the lightbox-size thumbnail.
    proxy_url: thumbable ? `${a.url}&thumb=preview` : a.url,
    width: a.width ?? undefined,
    height: a.height ?? undefined,
    duration_secs: a.durationSecs ?? undefined,
    flags: (a.spoiler ? IS_SPOILER : 0) | (a.animated ? IS_ANIMATED : 0) || undefined,
  };
}
