// Images: size from the header (over 40 megapixels is refused before any pixel is decoded),
// metadata stripped from the stored copy (strip.ts), and two thumbnails made with Bun.Image,
// the image API built into Bun (libjpeg-turbo, libspng, libwebp linked into the runtime: it works
// in the compiled binary on x86-64 and arm64 with nothing to install).
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { MAX_PIXELS } from "./limits.ts";
import { BadImage, firstWebpFrame, stripMetadata } from "./strip.ts";

/** A size for the message list (shown at most 400x300 CSS px, so 2x for dense screens) and one for the lightbox. */
export const THUMBS = { list: { width: 800, height: 600, quality: 80 }, preview: { width: 1920, height: 1920, quality: 85 } } as const;
export type ThumbSize = keyof typeof THUMBS;
/**
 * Thumbnails of photos are JPEG: encoding a 1920 px WebP of a 12 MP photo took ~300 ms here, a
 * JPEG ~110 ms, and a JPEG source has no transparency to keep. PNG, GIF and WebP sources get
 * WebP thumbnails (alpha).
 */
export const thumbFormat = (type: string): "jpeg" | "webp" => (type === "image/jpeg" ? "jpeg" : "webp");

export interface ProcessedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
  animated: boolean;
  thumbs: Record<ThumbSize, Uint8Array>;
}

const unreadable = () => keyedError(400, ErrorCode.invalidBody, "files.badImage");

async function header(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  try {
    return await new Bun.Image(bytes, { maxPixels: MAX_PIXELS }).metadata();
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_IMAGE_TOO_MANY_PIXELS") throw keyedError(413, ErrorCode.tooLarge, "files.tooManyPixels", { max: MAX_PIXELS / 1_000_000 });
    throw unreadable();
  }
}

export async function processImage(type: string, original: Uint8Array): Promise<ProcessedImage> {
  let size = await header(original);
  if (size.width * size.height > MAX_PIXELS) throw keyedError(413, ErrorCode.tooLarge, "files.tooManyPixels", { max: MAX_PIXELS / 1_000_000 });
  let stripped;
  try {
    stripped = stripMetadata(type, original);
  } catch (err) {
    if (err instanceof BadImage) throw unreadable();
    throw err;
  }
  let bytes = stripped.bytes;
  try {
    if (stripped.orientation > 1) {
      // Bun.Image applies the EXIF orientation when decoding; the re-encoded JPEG carries no EXIF.
      bytes = await new Bun.Image(original, { maxPixels: MAX_PIXELS }).jpeg({ quality: 92 }).bytes();
      size = await header(bytes);
    }
    // Bun.Image decodes the first frame of a GIF itself, but refuses an animated WebP outright.
    const still = stripped.animated && type === "image/webp" ? firstWebpFrame(bytes) : bytes;
    const thumb = (s: ThumbSize) => {
      const resized = new Bun.Image(still, { maxPixels: MAX_PIXELS }).resize(THUMBS[s].width, THUMBS[s].height, { fit: "inside", withoutEnlargement: true });
      return (thumbFormat(type) === "jpeg" ? resized.jpeg({ quality: THUMBS[s].quality }) : resized.webp({ quality: THUMBS[s].quality })).bytes();
    };
    const [list, preview] = await Promise.all([thumb("list"), thumb("preview")]);
    return { bytes, width: size.width, height: size.height, animated: stripped.animated, thumbs: { list, preview } };
  } catch (err) {
    if ((err as { status?: number }).status) throw err;
    throw unreadable();
  }
}
