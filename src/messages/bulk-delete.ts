// POST /channels/{id}/messages/bulk-delete (Discord): a moderator or bot removes 2-100 messages
// at once, none older than two weeks (Discord's rule: old messages go one by one). Every id is
// checked before anything is deleted, so a bad list deletes nothing. The work is moderation's
// (moderation/purge.ts): one transaction, MESSAGE_DELETE_BULK to JSON clients, live removal in
// browsers, an audit log entry.
import { Hono } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownChannel } from "../guilds/access.ts";
import { bulkDelete } from "../moderation/purge.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";

export const bulkDeleteBody = z.strictObject({ messages: z.array(snowflakeParam).min(2).max(100) });

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
