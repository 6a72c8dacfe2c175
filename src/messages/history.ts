// What a channel page shows: the newest messages, or a window around one message (a jump), and
// whether there is more above or below to load as the reader scrolls.
import { and, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { renderMessages, type RenderedMessage } from "./render.ts";
import { listMessages } from "./service.ts";
import { readStates } from "./table.ts";

export const PAGE_SIZE = 50;

import { isSnowflake } from "../db/snowflake.ts";
export { isSnowflake };

export interface HistoryView {
  channelId: string;
  /** Oldest first, as shown. */
  messages: RenderedMessage[];
  hasOlder: boolean;
  /** Only when the window is not at the present (a jump into the past). */
  hasNewer: boolean;
  /** The message the reader jumped to. */
  highlightId: string | null;
  /** The reader's last-read message before this visit: the "new messages" divider goes after it. */
  lastReadId: string | null;
}

/** The reader's last-read message in a channel (read before the page view marks it read). */
export function lastReadOf(core: Core, userId: string, channelId: string): string | null {
  return core.db.readOrm.select({ id: readStates.lastReadId }).from(readStates).where(and(eq(readStates.userId, userId), eq(readStates.channelId, channelId))).get()?.id ?? null;
}

/** A page of history. `around` jumps to a message (it must be in this channel, or the present is shown). */
export function loadHistory(core: Core, userId: string, channelId: string, guildId: string | null, opts: { around?: string | null; lastReadId?: string | null } = {}): HistoryView {
  const around = opts.around && isSnowflake(opts.around) ? opts.around : null;
  let list = around ? listMessages(core, userId, channelId, { around, limit: PAGE_SIZE }) : [];
  const found = around !== null && list.some((m) => m.id === around);
  if (!found) list = listMessages(core, userId, channelId, { limit: PAGE_SIZE });
  const ordered = list.reverse();
  const first = ordered[0]?.id;
  const last = ordered.at(-1)?.id;
  const hasOlder = first ? listMessages(core, userId, channelId, { before: first, limit: 1 }).length > 0 : false;
  const hasNewer = found && last ? listMessages(core, userId, channelId, { after: last, limit: 1 }).length > 0 : false;
  return { channelId, messages: renderMessages(core, guildId, ordered), hasOlder, hasNewer, highlightId: found ? around : null, lastReadId: opts.lastReadId ?? null };
}

/** The next page while scrolling: older than `before` or newer than `after` (neither: the newest), oldest first. */
export function loadPage(core: Core, userId: string, channelId: string, guildId: string | null, cursor: { before?: string | undefined; after?: string | undefined }) {
  const list = listMessages(core, userId, channelId, { ...cursor, limit: PAGE_SIZE + 1 });
  const more = list.length > PAGE_SIZE;
  // Newest first from the query: drop the probe row on the far side of the cursor.
  const page = cursor.after ? list.slice(-PAGE_SIZE) : list.slice(0, PAGE_SIZE);
  return { messages: renderMessages(core, guildId, page.reverse()), more };
}
