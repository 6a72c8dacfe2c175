// Uploads: a file is received into a temporary file (counted against the size limit as it
// arrives, hashed on the way), typed from its bytes, images are checked, stripped and
// thumbnailed, and the stored copy is moved into the content-addressed store by the single writer
// in the same step that records its row. Uploads are staged (no message yet) until a send claims them.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { requireChannel } from "../guilds/access.ts";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { Permission } from "../permissions/permissions.ts";
import { processImage, THUMBS, type ThumbSize } from "./image.ts";
import { formatBytes, maxFileBytes, quotaBytes } from "./limits.ts";
import { sanitizeFilename, SPOILER_PREFIX } from "./names.ts";
import { IMAGE_TYPES, sniffType } from "./sniff.ts";
import { blobPath, placeFile, removeQuietly, thumbPath, tmpPath } from "./store.ts";
import { attachments, type Attachment } from "./table.ts";

export const tooBig = (max: number) => keyedError(413, ErrorCode.tooLarge, "files.tooLarge", { max: formatBytes(max) });
const overQuota = (quota: number, used: number) => keyedError(413, ErrorCode.tooLarge, "files.quota", { quota: formatBytes(quota), used: formatBytes(used) });

/** Bytes of every file a user has posted or staged. */
export function usedBytes(core: Core, userId: string): number {
  const row = core.db.readOrm.select({ n: sql<bigint | null>`sum(${attachments.size})` }).from(attachments).where(eq(attachments.uploaderId, userId)).get();
  return Number(row?.n ?? 0);
}

/** Refuse early, from the declared size, what would break the size limit or the quota. */
export function checkLimits(core: Core, userId: string, size: number): void {
  const max = maxFileBytes(core);
  if (size > max) throw tooBig(max);
  checkQuota(core, userId, size);
}

export function checkQuota(core: Core, userId: string, size: number): void {
  const quota = quotaBytes(core);
  const used = quota > 0 ? usedBytes(core, userId) : 0;
  if (quota > 0 && used + size > quota) throw overQuota(quota, used);
}

/** The channel where the caller may attach files (404 if unseen, 403 without ATTACH_FILES). */
export function requireAttachChannel(core: Core, userId: string, channelId: string) {
  const access = requireChannel(core, userId, channelId, Permission.ATTACH_FILES);
  if (access.channel.type === 4 || access.channel.type === 2) throw keyedError(400, ErrorCode.invalidBody, "files.notHere");
  return access;
}

export interface Received {
  tmp: string;
  size: number;
  sha256: string;
}

/** Write a request body to a temporary file, hashing it and stopping at `max` bytes. */
export async function receive(core: Core, body: ReadableStream<Uint8Array> | null, max: number): Promise<Received> {
  const tmp = tmpPath(core);
  const sink = Bun.file(tmp).writer({ highWaterMark: 1024 * 1024 });
  const hasher = new Bun.CryptoHasher("sha256");
  let size = 0;
  try {
    if (body)
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > max) throw tooBig(max);
        hasher.update(chunk);
        sink.write(chunk);
      }
    await sink.end();
  } catch (err) {
    await Promise.resolve(sink.end()).catch(() => {});
    removeQuietly(tmp);
    throw err;
  }
  return { tmp, size, sha256: hasher.digest("hex") };
}

async function hashFile(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

/** Duration (and a video's size) from the container headers only; nothing is decoded. */
async function mediaInfo(path: string): Promise<{ durationSecs: number | null; width: number | null; height: number | null }> {
  try {
    // Loaded on the first audio or video upload: its parsers are memory an idle server need not hold.
    const { parseFile } = await import("music-metadata");
    const meta = await parseFile(path, { duration: false, skipCovers: true });
    const video = meta.format.trackInfo?.find((t) => t.video)?.video;
    const d = meta.format.duration;
    return { durationSecs: d && Number.isFinite(d) ? Math.round(d * 1000) / 1000 : null, width: video?.pixelWidth ?? null, height: video?.pixelHeight ?? null };
  } catch {
    return { durationSecs: null, width: null, height: null };
  }
}

export interface IngestInput {
  uploaderId: string;
  channelId: string;
  filename: string;
  received: Received;
}

/** Type, check and store a received file; returns its staged row. Always consumes the temporary file. */
export async function ingest(core: Core, input: IngestInput): Promise<Attachment> {
  const { received } = input;
  const extra: string[] = [];
  try {
    if (received.size === 0) throw keyedError(400, ErrorCode.invalidBody, "files.empty");
    const contentType = await sniffType(new Uint8Array(await Bun.file(received.tmp).slice(0, 4100).arrayBuffer()));
    let { size, sha256 } = received;
    let meta: { width: number | null; height: number | null; durationSecs: number | null; animated: boolean } = { width: null, height: null, durationSecs: null, animated: false };
    const thumbs: [ThumbSize, string][] = [];
    if (IMAGE_TYPES.has(contentType)) {
      const image = await processImage(contentType, new Uint8Array(await Bun.file(received.tmp).arrayBuffer()));
      await Bun.write(received.tmp, image.bytes);
      size = image.bytes.byteLength;
      sha256 = new Bun.CryptoHasher("sha256").update(image.bytes).digest("hex");
      meta = { width: image.width, height: image.height, durationSecs: null, animated: image.animated };
      for (const s of Object.keys(THUMBS) as ThumbSize[]) {
        const path = tmpPath(core);
        extra.push(path);
        await Bun.write(path, image.thumbs[s]);
        thumbs.push([s, path]);
      }
    } else if (contentType.startsWith("audio/") || contentType.startsWith("video/")) {
      meta = { ...(await mediaInfo(received.tmp)), animated: false };
    }
    sha256 ||= await hashFile(received.tmp);
    const filename = sanitizeFilename(input.filename);
    const quota = quotaBytes(core);
    return await core.queue.write(({ orm }) => {
      // The quota is checked again here, where concurrent uploads of one user are serialised.
      if (quota > 0) {
        const used = Number(orm.select({ n: sql<bigint | null>`sum(${attachments.size})` }).from(attachments).where(eq(attachments.uploaderId, input.uploaderId)).get()?.n ?? 0);
        if (used + size > quota) throw overQuota(quota, used);
      }
      const row = orm
        .insert(attachments)
        .values({ id: ids.nextString(), channelId: input.channelId, uploaderId: input.uploaderId, filename, contentType, size, sha256, width: meta.width, height: meta.height, durationSecs: meta.durationSecs, animated: meta.animated, spoiler: filename.startsWith(SPOILER_PREFIX), createdAt: new Date().toISOString() })
        .returning()
        .get();
      placeFile(received.tmp, blobPath(core, sha256));
      for (const [s, path] of thumbs) placeFile(path, thumbPath(core, sha256, s));
      return row;
    });
  } finally {
    removeQuietly(received.tmp);
    for (const path of extra) removeQuietly(path);
  }
}

/** The browser's staged upload: one raw file body, named by the query string. */
export async function stageUpload(core: Core, user: User, channelId: string, input: { filename: string; declaredSize: number | null; body: ReadableStream<Uint8Array> | null }): Promise<Attachment> {
  requireAttachChannel(core, user.id, channelId);
  if (input.declaredSize !== null) checkLimits(core, user.id, input.declaredSize);
  const received = await receive(core, input.body, maxFileBytes(core));
  return ingest(core, { uploaderId: user.id, channelId, filename: input.filename, received });
}

/** Cancel a staged upload (the composer's ✕); sent attachments go with their message. */
export async function deleteStaged(core: Core, userId: string, channelId: string, attachmentId: string): Promise<void> {
  const gone = await core.queue.write(({ orm }) =>
    orm
      .delete(attachments)
      .where(and(eq(attachments.id, attachmentId), eq(attachments.channelId, channelId), eq(attachments.uploaderId, userId), isNull(attachments.messageId)))
      .returning({ id: attachments.id })
      .all(),
  );
  if (gone.length === 0) throw keyedError(404, ErrorCode.unknownRoute, "files.unknown");
}
