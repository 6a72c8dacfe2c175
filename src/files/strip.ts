// Metadata stripping at the container level: EXIF (camera, GPS position), XMP, IPTC and comments
// are cut out of the stored copy without decoding pixels. Working on the container keeps the
// original pixels (no re-encode loss), keeps animated GIF/WebP/APNG animated (Bun.Image decodes
// only their first frame and has no GIF encoder) and costs microseconds on a 12 MP photo. Colour
// profiles (ICC) and Adobe colour-transform markers are kept so colours do not shift.
// A JPEG whose EXIF says "rotate me" is re-encoded by the caller instead (image.ts), since
// dropping the orientation would show it sideways.

export interface Stripped {
  bytes: Uint8Array;
  animated: boolean;
  /** JPEG EXIF orientation (1 = as stored). */
  orientation: number;
}

export class BadImage extends Error {}
const fail = (why: string): never => {
  throw new BadImage(why);
};

const ascii = (b: Uint8Array, from: number, len: number) => String.fromCharCode(...b.subarray(from, from + len));

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const PNG_DROP = new Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]);

function stripPng(b: Uint8Array): Stripped {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let at = 8;
  let animated = false;
  for (;;) {
    if (at + 12 > b.length) fail("truncated PNG");
    const len = view.getUint32(at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + len;
    if (end > b.length) fail("truncated PNG chunk");
    if (type === "acTL") animated = true;
    if (!PNG_DROP.has(type)) parts.push(b.subarray(at, end));
    at = end;
    if (type === "IEND") break;
  }
  return { bytes: join(parts), animated, orientation: 1 };
}

/** Orientation tag (0x0112) from an EXIF APP1 payload ("Exif\0\0" + TIFF). */
function exifOrientation(seg: Uint8Array): number {
  if (seg.length < 14 || ascii(seg, 0, 6) !== "Exif\0\0") return 1;
  const tiff = seg.subarray(6);
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = ascii(tiff, 0, 2) === "II";
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) === 0x0112) return view.getUint16(entry + 8, little);
  }
  return 1;
}

// APP0 (JFIF), APP2 (ICC profile) and APP14 (Adobe) matter for display; every other APPn and
// COM segment is metadata.
const JPEG_KEEP_APP = new Set([0xe0, 0xe2, 0xee]);

function stripJpeg(b: Uint8Array): Stripped {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let at = 2;
  let orientation = 1;
  while (at < b.length) {
    if (b[at] !== 0xff) fail("bad JPEG marker");
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      parts.push(b.subarray(at, at + 2));
      at += 2;
      continue;
    }
    if (at + 4 > b.length) fail("truncated JPEG");
    const len = (b[at + 2]! << 8) | b[at + 3]!;
    const end = at + 2 + len;
    if (len < 2 || end > b.length) fail("truncated JPEG segment");
    if (marker === 0xda) {
      // Start of scan: entropy-coded data to the end (later segments are part of it or trailing).
      parts.push(b.subarray(at));
      break;
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (marker === 0xe1) orientation = Math.max(orientation, exifOrientation(b.subarray(at + 4, end)));
    if ((isApp && !JPEG_KEEP_APP.has(marker)) || marker === 0xfe) {
      at = end;
      continue;
    }
    parts.push(b.subarray(at, end));
    at = end;
  }
  return { bytes: join(parts), animated: false, orientation };
}

function stripWebp(b: Uint8Array): Stripped {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [];
  let at = 12;
  let animated = false;
  while (at + 8 <= b.length) {
    const type = ascii(b, at, 4);
    const len = view.getUint32(at + 4, true);
    const end = at + 8 + len + (len & 1);
    if (at + 8 + len > b.length) fail("truncated WebP chunk");
    if (type === "ANIM") animated = true;
    if (type === "VP8X") {
      const chunk = b.slice(at, Math.min(end, b.length));
      if ((chunk[8]! & 0x02) !== 0) animated = true;
      chunk[8] = chunk[8]! & ~0x0c; // clear the EXIF and XMP flags
      parts.push(chunk);
    } else if (type !== "EXIF" && type !== "XMP ") parts.push(b.subarray(at, Math.min(end, b.length)));
    at = end;
  }
  const body = join(parts);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return { bytes: join([header, body]), animated, orientation: 1 };
}

/** Walk a GIF's blocks: drop comments and application blocks other than the loop count. */
function stripGif(b: Uint8Array): Stripped {
  const parts: Uint8Array[] = [];
  let at = 13;
  if (b.length < 13) fail("truncated GIF");
  if (b[10]! & 0x80) at += 3 * (1 << ((b[10]! & 7) + 1));
  parts.push(b.subarray(0, at));
  const subBlocks = (from: number) => {
    let p = from;
    for (;;) {
      if (p >= b.length) fail("truncated GIF data");
      const n = b[p]!;
      p += 1 + n;
      if (n === 0) return p;
    }
  };
  let frames = 0;
  for (;;) {
    if (at >= b.length) fail("GIF without trailer");
    const block = b[at]!;
    if (block === 0x3b) {
      parts.push(b.subarray(at, at + 1));
      break;
    }
    if (block === 0x21) {
      const label = b[at + 1]!;
      const end = subBlocks(at + 2);
      const appId = label === 0xff ? ascii(b, at + 3, 11) : "";
      const keep = label === 0xf9 || label === 0x01 || (label === 0xff && (appId === "NETSCAPE2.0" || appId === "ANIMEXTS1.0"));
      if (keep) parts.push(b.subarray(at, end));
      at = end;
    } else if (block === 0x2c) {
      if (at + 10 > b.length) fail("truncated GIF frame");
      let p = at + 10;
      if (b[at + 9]! & 0x80) p += 3 * (1 << ((b[at + 9]! & 7) + 1));
      const end = subBlocks(p + 1);
      parts.push(b.subarray(at, end));
      frames++;
      at = end;
    } else fail("bad GIF block");
  }
  return { bytes: join(parts), animated: frames > 1, orientation: 1 };
}

/**
 * The first frame of an animated WebP as a still WebP, for thumbnails: Bun.Image (libwebp's
 * simple decoder) refuses animated WebP. The frame's bitstream (and alpha) is moved from its ANMF
 * chunk into a plain container.
 */
export function firstWebpFrame(b: Uint8Array): Uint8Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 12; at + 8 <= b.length; ) {
    const type = ascii(b, at, 4);
    const len = view.getUint32(at + 4, true);
    if (type === "ANMF" && len >= 16 && at + 8 + len <= b.length) {
      const frame = b.subarray(at + 8, at + 8 + len);
      const u24 = (o: number) => frame[o]! | (frame[o + 1]! << 8) | (frame[o + 2]! << 16);
      const [w, h] = [u24(6) + 1, u24(9) + 1];
      const inner = frame.subarray(16);
      const hasAlpha = ascii(inner, 0, 4) === "ALPH";
      const vp8x = new Uint8Array(18);
      vp8x.set(new TextEncoder().encode("VP8X"));
      new DataView(vp8x.buffer).setUint32(4, 10, true);
      vp8x[8] = hasAlpha ? 0x10 : 0;
      vp8x.set([(w - 1) & 255, ((w - 1) >> 8) & 255, ((w - 1) >> 16) & 255, (h - 1) & 255, ((h - 1) >> 8) & 255, ((h - 1) >> 16) & 255], 12);
      const body = join([vp8x, inner]);
      const header = new Uint8Array(12);
      header.set(new TextEncoder().encode("RIFF"));
      new DataView(header.buffer).setUint32(4, body.length + 4, true);
      header.set(new TextEncoder().encode("WEBP"), 8);
      return join([header, body]);
    }
    at += 8 + len + (len & 1);
  }
  return fail("animated WebP without frames");
}

export function stripMetadata(type: string, bytes: Uint8Array): Stripped {
  switch (type) {
    case "image/png":
      return stripPng(bytes);
    case "image/jpeg":
      return stripJpeg(bytes);
    case "image/webp":
      return stripWebp(bytes);
    case "image/gif":
      return stripGif(bytes);
  }
  return fail(`not an image type: ${type}`);
}
