// POST /channels/{id}/messages/bulk-delete (Discord): a moderator or bot removes 2-100 messages
// at once, none older than two weeks (Discord's rule: old messages go one by one). Every id is
// checked before anything is deleted, so a bad list deletes nothing; the deletions commit in one
// transaction and each message is announced as usual (MESSAGE_DELETE, live pages).
import { Hono } from "hono";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { snowflakeTime } from "../db/snowflake.ts";
import { requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { Permission } from "../permissions/permissions.ts";
import { emitMessageEvent } from "./service.ts";
import { messages } from "./table.ts";

const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
export const bulkDeleteBody = z.strictObject({ messages: z.array(snowflakeParam).min(2).max(100) });

export async function bulkDelete(core: Core, userId: string, channelId: string, messageIds: string[]): Promise<void> {
  requireChannel(core, userId, channelId, Permission.MANAGE_MESSAGES);
  const wanted = [...new Set(messageIds)];
  const oldest = Date.now() - TWO_WEEKS_MS;
  if (wanted.some((id) => snowflakeTime(id).getTime() < oldest)) throw new AppError(400, ErrorCode.invalidBody, "You can only bulk delete messages that are under 14 days old.", { fields: { messages: "Older than 14 days." } });
  const found = core.db.readOrm.select().from(messages).where(and(eq(messages.channelId, channelId), inArray(messages.id, wanted))).all();
  if (found.length !== wanted.length) throw new AppError(400, ErrorCode.invalidBody, "Some messages are not in this channel.", { fields: { messages: "Unknown message." } });
  await core.queue.write(({ orm }) => orm.delete(messages).where(inArray(messages.id, wanted)).run());
  for (const message of found) emitMessageEvent(core, { type: "delete", message });
}

export function bulkDeleteApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.post("/:channel/messages/bulk-delete", requireUser, async (c) => {
    const channel = snowflakeParam.safeParse(c.req.param("channel"));
    if (!channel.success) throw unknownChannel();
    const body = await parseJson(c, bulkDeleteBody);
    await bulkDelete(core, currentAuth(c).user.id, channel.data, body.messages);
    return c.body(null, 204);
  });
  return app;
}
