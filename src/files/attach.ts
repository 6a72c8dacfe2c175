// A send claims staged uploads: the message service calls checkAttachments before its
// transaction and claimAttachments inside it, so a message and its files commit together (or not at all).
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Core } from "../core.ts";
import type { Orm } from "../db/client.ts";
import { idList } from "../db/columns.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { fieldError } from "../lib/field-error.ts";
import { MAX_DESCRIPTION, MAX_FILES } from "./limits.ts";
import { SPOILER_PREFIX } from "./names.ts";
import { attachments } from "./table.ts";

export interface AttachmentChoice {
  id: string;
  spoiler?: boolean;
  /** Alt text. */
  description?: string | null;
}

export const attachmentChoice = z.strictObject({
  id: z.string().regex(/^\d{1,20}$/, "Not an id."),
  spoiler: z.boolean().optional(),
  description: z.string().max(MAX_DESCRIPTION).nullish(),
});

/** The composer's `attachments` form field: a JSON array of choices. */
export function parseAttachmentField(raw: string | undefined): AttachmentChoice[] {
  if (!raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AppError(400, ErrorCode.invalidBody, "attachments is not valid JSON.", { fields: { attachments: "Not valid JSON." } });
  }
  const parsed = z.array(attachmentChoice).safeParse(value);
  if (!parsed.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid attachments.", { fields: { attachments: parsed.error.issues[0]?.message ?? "Invalid." } });
  return parsed.data;
}

/** Before the transaction: at most ten, each one a staged upload of this user in this channel. */
export function checkAttachments(core: Core, uploaderId: string, channelId: string, choices: AttachmentChoice[]): void {
  if (choices.length > MAX_FILES) throw fieldError({ attachments: "files.tooMany" }, { max: MAX_FILES });
  const wanted = new Set(choices.map((c) => c.id));
  if (wanted.size !== choices.length) throw fieldError({ attachments: "files.unknown" });
  const found = core.db.readOrm
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(sql`${attachments.id} in (select value from json_each(${idList(wanted)}))`, eq(attachments.uploaderId, uploaderId), eq(attachments.channelId, channelId), isNull(attachments.messageId)))
    .all();
  if (found.length !== wanted.size) throw fieldError({ attachments: "files.unknown" });
}

/** Inside the send transaction: link each staged upload to the message, in order. */
export function claimAttachments(orm: Orm, messageId: string, uploaderId: string, channelId: string, choices: AttachmentChoice[]): void {
  choices.forEach((choice, position) => {
    const row = orm
      .update(attachments)
      .set({ messageId, position, spoiler: choice.spoiler ?? false, description: choice.description?.trim() || null })
      .where(and(eq(attachments.id, choice.id), eq(attachments.uploaderId, uploaderId), eq(attachments.channelId, channelId), isNull(attachments.messageId)))
      .returning()
      .get();
    // Raced with a cancel or another send: the whole message is rolled back (its savepoint).
    if (!row) throw fieldError({ attachments: "files.unknown" });
    // Discord marks spoilers by the name; a name that already says so is a spoiler too.
    if (row.filename.startsWith(SPOILER_PREFIX) || choice.spoiler)
      orm
        .update(attachments)
        .set({ spoiler: true, filename: row.filename.startsWith(SPOILER_PREFIX) ? row.filename : `${SPOILER_PREFIX}${row.filename}` })
        .where(eq(attachments.id, row.id))
        .run();
  });
}

/** The ids of a message's attachments, in order. */
export function attachmentIdsOf(core: Core, messageId: string): string[] {
  return core.db.readOrm.select({ id: attachments.id }).from(attachments).where(eq(attachments.messageId, messageId)).orderBy(attachments.position).all().map((r) => r.id);
}

/**
 * An edit's `attachments` (Discord's PATCH semantics: the ones to keep). Before the transaction:
 * every id must be one of the message's own; returns the ids to drop.
 */
export function attachmentsToDrop(current: string[], keep: string[]): string[] {
  const mine = new Set(current);
  if (keep.some((id) => !mine.has(id))) throw fieldError({ attachments: "files.unknown" });
  const kept = new Set(keep);
  return current.filter((id) => !kept.has(id));
}

/** Inside the edit transaction: unlink the dropped attachments (the file_gc trigger queues their files for the sweep). */
export function dropAttachments(orm: Orm, messageId: string, drop: string[]): void {
  if (drop.length) orm.delete(attachments).where(and(eq(attachments.messageId, messageId), sql`${attachments.id} in (select value from json_each(${idList(new Set(drop))}))`)).run();
}
