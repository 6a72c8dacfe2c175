// Files for tests: uploads through the real endpoints, and small real media made in memory
// (JPEG with EXIF, animated GIF, WAV) so no binary fixtures are shipped.
import type { TestAccount } from "./accounts.ts";
import type { TestApp } from "./app.ts";
import { makePng } from "./images.ts";

/** The composer's staging upload: the raw file as the body, the name in the query. */
export function stage(app: TestApp, who: TestAccount, channelId: string, bytes: Uint8Array | string, filename: string): Promise<Response> {
  return app.fetch(`/channels/${channelId}/attachments?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    headers: { Origin: app.url, Cookie: who.cookie, Accept: "application/json", "Content-Type": "application/octet-stream" },
    body: typeof bytes === "string" ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]),
  });
}

/** The composer's send with staged attachments. */
export function sendStaged(app: TestApp, who: TestAccount, channelId: string, attachments: { id: string; spoiler?: boolean; description?: string }[], content = ""): Promise<Response> {
  return app.fetch(`/channels/${channelId}/messages`, {
    method: "POST",
    headers: { Origin: app.url, Cookie: who.cookie, "X-Composer": "1", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ content, attachments: JSON.stringify(attachments) }),
  });
}

/** Discord's multipart send: files[n] plus payload_json. */
export function sendMultipart(app: TestApp, who: TestAccount, channelId: string, files: { bytes: Uint8Array | string; name: string }[], payload: Record<string, unknown> = {}): Promise<Response> {
  const form = new FormData();
  form.set("payload_json", JSON.stringify(payload));
  files.forEach((f, i) => form.set(`files[${i}]`, new Blob([f.bytes as Uint8Array<ArrayBuffer> | string]), f.name));
  return app.fetch(`/api/v10/channels/${channelId}/messages`, { method: "POST", headers: who.bearer, body: form });
}

/** A JPEG carrying an EXIF block with a GPS-like marker (and an orientation when asked). */
export async function jpegWithExif(width: number, height: number, marker: string, orientation = 1): Promise<Uint8Array> {
  const jpeg = await new Bun.Image(makePng(width, height)).jpeg({ quality: 85 }).bytes();
  // TIFF little-endian with one IFD entry: Orientation (0x0112, SHORT, 1 value).
  const tiff = [0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
  const payload = [...new TextEncoder().encode("Exif\0\0"), ...tiff, ...new TextEncoder().encode(marker)];
  const len = payload.length + 2;
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, len >> 8, len & 0xff, ...payload, ...jpeg.subarray(2)]);
}

/** A 2x2 GIF with `frames` frames, a loop block and a comment (which storage must drop). */
export function animatedGif(frames: number, comment = "secret comment"): Uint8Array {
  const bytes: number[] = [...new TextEncoder().encode("GIF89a"), 2, 0, 2, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255];
  bytes.push(0x21, 0xff, 11, ...new TextEncoder().encode("NETSCAPE2.0"), 3, 1, 0, 0, 0);
  const text = new TextEncoder().encode(comment);
  bytes.push(0x21, 0xfe, text.length, ...text, 0);
  for (let i = 0; i < frames; i++) {
    bytes.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control: 0.1 s
    bytes.push(0x2c, 0, 0, 0, 0, 2, 0, 2, 0, 0); // image descriptor 2x2
    bytes.push(2, 2, i % 2 ? 0x84 : 0x44, 0x01, 0); // LZW data
  }
  bytes.push(0x3b);
  return new Uint8Array(bytes);
}

/** A mono 16-bit PCM WAV of `seconds` (silence), whose duration is in its header. */
export function wav(seconds: number, rate = 8000): Uint8Array {
  const n = Math.round(rate * seconds);
  const out = new Uint8Array(44 + n * 2);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => out.set(new TextEncoder().encode(s), at);
  ascii(0, "RIFF");
  v.setUint32(4, 36 + n * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(Math.sin(i / 8) * 8000), true);
  return out;
}

/** A 4x4 animated WebP: two lossless frames (red, blue) in ANMF chunks, plus an EXIF chunk storage must drop. */
export async function animatedWebp(exif = "GPS secret"): Promise<Uint8Array> {
  const le24 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255];
  const chunk = (type: string, data: number[]) => {
    const out = [...new TextEncoder().encode(type), ...le24(data.length), 0, ...data];
    if (data.length & 1) out.push(0);
    return out;
  };
  const frame = async (rgb: [number, number, number]) => {
    const still = await new Bun.Image(makePng(4, 4, rgb)).webp({ lossless: true }).bytes();
    const len = new DataView(still.buffer, still.byteOffset).getUint32(16, true);
    return [...still.subarray(12, 20 + len + (len & 1))];
  };
  const frames = [await frame([255, 0, 0]), await frame([0, 0, 255])];
  const body = [
    ...chunk("VP8X", [0x02 | 0x08, 0, 0, 0, ...le24(3), ...le24(3)]),
    ...chunk("ANIM", [0, 0, 0, 0, 0, 0]),
    ...frames.flatMap((f) => chunk("ANMF", [...le24(0), ...le24(0), ...le24(3), ...le24(3), ...le24(100), 0, ...f])),
    ...chunk("EXIF", [...new TextEncoder().encode(exif)]),
  ];
  return new Uint8Array([...new TextEncoder().encode("RIFF"), ...le24(body.length + 4), 0, ...new TextEncoder().encode("WEBP"), ...body]);
}
