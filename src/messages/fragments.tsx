// HTML fragments the conversation loads on demand: the next page of history while scrolling, the
// pinned list, and the composer's mention suggestions (JSON: the script builds the list).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { HistoryPage } from "../../views/messages/pane.tsx";
import { PinsPopover } from "../../views/messages/pins.tsx";
import { isSnowflake, loadPage } from "./history.ts";
import { findMentionables } from "./mentionables.ts";
import { listPins } from "./pins.ts";
import { renderMessages } from "./render.ts";

const cursor = z.string().refine(isSnowflake);

export function fragmentRoutes(core: Core, cid: (c: Context<AppEnv>) => string) {
  const app = new Hono<AppEnv>();
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;

  app.get("/channels/:channel/history", (c) => {
    // No cursor: the newest page (a tab re-fetches it after its live connection came back).
    const q = z.object({ before: cursor.optional(), after: cursor.optional() }).refine((v) => !(v.before && v.after)).safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "Give before or after (a message id), not both.");
    const channelId = cid(c);
    const access = requireChannel(core, me(c), channelId);
    const direction = q.data.after ? "after" : "before";
    const page = loadPage(core, me(c), channelId, access.channel.guildId, q.data);
    return c.html(<HistoryPage ctx={pageCtx(c, core)} channelId={channelId} direction={direction} messages={page.messages} more={page.more} />);
  });
  app.get("/channels/:channel/pins", (c) => {
    const channelId = cid(c);
    const access = requireChannel(core, me(c), channelId);
    const pins = renderMessages(core, access.channel.guildId, listPins(core, me(c), channelId));
    return c.html(<PinsPopover ctx={pageCtx(c, core)} pins={pins} />);
  });
  app.get("/channels/:channel/mentionables", (c) => {
    const q = z.object({ kind: z.enum(["user", "channel"]), q: z.string().max(100).default("") }).safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "kind is user or channel; q is at most 100 characters.");
    return c.json(findMentionables(core, me(c), cid(c), q.data.kind, q.data.q));
  });
  return app;
}
