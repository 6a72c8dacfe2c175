// Attachments for a page of messages: one prepared statement for any number of messages (ids as a
// JSON array), so rendering never runs a query per message.
import { asc, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { idList } from "../db/columns.ts";
import { signature } from "./sign.ts";
import { attachments, type Attachment } from "./table.ts";

export interface AttachmentView extends Attachment {
  /** Same-origin path, for HTML rendered once for every viewer. */
  path: string;
  /** Absolute, signed URL for the API (fetchable without a session until it expires, see sign.ts). */
  url: string;
}

export const attachmentPath = (a: Pick<Attachment, "id" | "channelId" | "filename">) => `/attachments/${a.channelId}/${a.id}/${encodeURIComponent(a.filename)}`;

export function viewOf(core: Core, a: Attachment): AttachmentView {
  const path = attachmentPath(a);
  return { ...a, path, url: `${core.config.publicUrl.replace(/\/$/, "")}${path}?${signature(core, a.id)}` };
}

const build = (orm: Core["db"]["readOrm"]) =>
  orm
    .select()
    .from(attachments)
    .where(sql`${attachments.messageId} in (select value from json_each(${sql.placeholder("ids")}))`)
    .orderBy(asc(attachments.messageId), asc(attachments.position))
    .prepare();
const prepared = new WeakMap<Core["db"], ReturnType<typeof build>>();

export function attachmentsOf(core: Core, messageIds: string[]): Map<string, AttachmentView[]> {
  const out = new Map<string, AttachmentView[]>();
  if (messageIds.length === 0) return out;
  let q = prepared.get(core.db);
  if (!q) prepared.set(core.db, (q = build(core.db.readOrm)));
  for (const row of q.all({ ids: idList(messageIds) })) {
    const list = out.get(row.messageId!) ?? [];
    list.push(viewOf(core, row));
    out.set(row.messageId!, list);
  }
  return out;
}
