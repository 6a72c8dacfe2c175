// The content type of an upload comes from its bytes, never from the client's header or file
// name: an HTML page renamed .png is text/html here, and is then served as a download.

export type Kind = "image" | "video" | "audio" | "text" | "other";

/** Image formats we decode and thumbnail (Bun.Image reads them; GIF and WebP may be animated). */
export const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * Types a browser may show inline from our origin. Anything else (SVG, HTML, PDF, archives, ...) is
 * served as an attachment, as application/octet-stream.
 */
const INLINE = new Set([
  ...IMAGE_TYPES,
  "video/mp4",
  "video/webm",
  "video/ogg",
  "video/quicktime",
  "audio/mpeg",
  "audio/ogg",
  "audio/opus",
  "audio/wav",
  "audio/webm",
  "audio/flac",
  "audio/mp4",
  "audio/aac",
  "text/plain",
]);
export const servedInline = (type: string) => INLINE.has(type);

export function kindOf(type: string): Kind {
  if (IMAGE_TYPES.has(type)) return "image";
  if (type.startsWith("video/") && INLINE.has(type)) return "video";
  if (type.startsWith("audio/") && INLINE.has(type)) return "audio";
  if (type === "text/plain") return "text";
  return "other";
}

// file-type names a few types differently from what browsers expect for <audio>/<video>.
const ALIASES: Record<string, string> = { "audio/x-wav": "audio/wav", "audio/vnd.wave": "audio/wav", "audio/x-flac": "audio/flac", "audio/x-m4a": "audio/mp4", "video/x-m4v": "video/mp4" };

const MARKUP = /<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|object|embed|meta|style|a\s|img\s|form)/i;

/** Sniff from the first bytes (file-type reads at most ~4 KB of them for the formats we care about). */
export async function sniffType(head: Uint8Array): Promise<string> {
  // Loaded on the first upload (an idle server need not hold its format table).
  const { fileTypeFromBuffer } = await import("file-type");
  const found = await fileTypeFromBuffer(head);
  if (found) return ALIASES[found.mime] ?? found.mime;
  if (head.includes(0)) return "application/octet-stream";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.min(head.length, 4096)), { stream: true });
  } catch {
    return "application/octet-stream";
  }
  // Markup of any kind is never shown inline: SVG and HTML can run script.
  if (/<svg[\s>]/i.test(text)) return "image/svg+xml";
  if (MARKUP.test(text)) return "text/html";
  return "text/plain";
}
