// Compiled into its own small binary by arm64.test.ts (and run under qemu-aarch64): the file
// pipeline's libraries — Bun.Image (thumbnails, re-encode), the container-level metadata strip,
// file-type and music-metadata — on inputs made here. Prints one JSON line.
import { parseBuffer } from "music-metadata";
import { processImage } from "../../src/files/image.ts";
import { sniffType } from "../../src/files/sniff.ts";
import { animatedGif, animatedWebp, jpegWithExif, wav } from "../../src/testing/files.ts";
import { hugePngHeader, makePng } from "../../src/testing/images.ts";

const dims = async (bytes: Uint8Array) => {
  const m = await new Bun.Image(bytes).metadata();
  return [m.width, m.height, m.format];
};
const png = await processImage("image/png", makePng(3000, 1500));
const jpeg = await processImage("image/jpeg", await jpegWithExif(60, 20, "GPS 48.85N", 6));
const gif = await processImage("image/gif", animatedGif(3));
const webp = await processImage("image/webp", await animatedWebp());
let bomb = "accepted";
try {
  await processImage("image/png", hugePngHeader(20000, 20000));
} catch (err) {
  bomb = String((err as { status?: number }).status);
}
const audio = await parseBuffer(wav(1.5), { mimeType: "audio/wav" }, { duration: false });
console.log(
  JSON.stringify({
    arch: process.arch,
    png: { size: [png.width, png.height], list: await dims(png.thumbs.list), preview: await dims(png.thumbs.preview) },
    jpeg: { size: [jpeg.width, jpeg.height], exif: Buffer.from(jpeg.bytes).includes("Exif") },
    gif: { animated: gif.animated },
    webp: { animated: webp.animated, thumb: await dims(webp.thumbs.list) },
    bomb,
    sniff: [await sniffType(wav(0.1)), await sniffType(new TextEncoder().encode("<svg onload=x>")), await sniffType(makePng(2, 2))],
    wavSeconds: audio.format.duration,
  }),
);
