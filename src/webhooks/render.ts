// How webhook messages show: the name and avatar they were posted as (the per-message username
// and avatar_url overrides, else the webhook's own), for render.ts's batched lookups.
import { sql } from "drizzle-orm";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { idList } from "../db/columns.ts";
import type { Message } from "../messages/table.ts";
import { proxyPath } from "../previews/sign.ts";
import { webhookMessages } from "./table.ts";

export interface WebhookAuthor {
  id: string;
  name: string;
  /** Same-origin proxy path of avatar_url (null: the webhook user's own avatar). */
  avatarSrc: string | null;
  avatarUrl: string | null;
}

/** Only messages by bot users can be webhook messages: others cost no query. */
export function webhookAuthors(core: Core, list: Message[], authors: Map<string, User>): Map<string, WebhookAuthor> {
  const candidates = list.filter((m) => authors.get(m.authorId)?.isBot);
  if (candidates.length === 0) return new Map();
  const rows = core.db.readOrm
    .select()
    .from(webhookMessages)
    .where(sql`${webhookMessages.messageId} in (select value from json_each(${idList(candidates.map((m) => m.id))}))`)
    .all();
  return new Map(
    rows.map((r) => {
      const user = authors.get(list.find((m) => m.id === r.messageId)!.authorId);
      return [r.messageId, { id: r.webhookId, name: r.username ?? user?.displayName ?? user?.username ?? "webhook", avatarSrc: r.avatarUrl ? proxyPath(core, r.avatarUrl) : null, avatarUrl: r.avatarUrl }];
    }),
  );
}
