// Browser side of messages: the composer's POST, deleting, and the per-user stylesheet that shows
// each person the controls for their own messages (messages are rendered once for everybody).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { safeNext } from "../http/page.ts";
import { requirePageUser } from "../users/routes.tsx";
import { deleteMessage, sendMessage, unknownMessage } from "./service.ts";
import { markRead } from "./read-state.ts";
import { addReaction, reactors, removeReaction } from "./reactions.ts";
import { requireChannel } from "../guilds/access.ts";

export function messagePages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/channels/*", requirePageUser);
  app.use("/me.css", requirePageUser);
  const cid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    return parsed.data;
  };
  // The composer script posts with this header and learns the outcome from the status; a plain
  // form post (no JavaScript) is sent back to the channel page.
  const fromScript = (c: Context<AppEnv>) => c.req.header("X-Composer") === "1";
  const back = (c: Context<AppEnv>, _channelId: string) => {
    const referer = c.req.header("Referer");
    return c.redirect(safeNext(referer && URL.canParse(referer) ? new URL(referer).pathname : "/"), 303);
  };

  app.post("/channels/:channel/messages", async (c) => {
    const channelId = cid(c);
    const form = await parseForm(c, z.object({ content: z.string().max(8000), nonce: z.string().max(25).optional() }));
    const { message } = await sendMessage(core, currentAuth(c).user, channelId, { content: form.content, nonce: form.nonce || null });
    return fromScript(c) ? c.json({ id: message.id, nonce: message.nonce }, 201) : back(c, channelId);
  });
  app.post("/channels/:channel/messages/:message/delete", async (c) => {
    const channelId = cid(c);
    const parsed = snowflakeParam.safeParse(c.req.param("message"));
    if (!parsed.success) throw unknownMessage();
    await deleteMessage(core, currentAuth(c).user.id, channelId, parsed.data);
    return c.req.header("HX-Request") ? c.body(null, 204) : back(c, channelId);
  });
  // A reaction chip: adds yours, or removes it when it is already there.
  app.post("/channels/:channel/messages/:message/reactions", async (c) => {
    const channelId = cid(c);
    const parsed = snowflakeParam.safeParse(c.req.param("message"));
    if (!parsed.success) throw unknownMessage();
    const form = await parseForm(c, z.object({ emoji: z.string().min(1).max(100) }));
    const me = currentAuth(c).user.id;
    const mine = reactors(core, me, channelId, parsed.data, encodeURIComponent(form.emoji)).some((u) => u.id === me);
    if (mine) await removeReaction(core, me, channelId, parsed.data, encodeURIComponent(form.emoji));
    else await addReaction(core, me, channelId, parsed.data, encodeURIComponent(form.emoji));
    return c.req.header("HX-Request") ? c.body(null, 204) : back(c, channelId);
  });
  // The open tab says it has seen a message that arrived live (or the reader pressed Esc).
  app.post("/channels/:channel/ack", async (c) => {
    const channelId = cid(c);
    requireChannel(core, currentAuth(c).user.id, channelId);
    const form = await parseForm(c, z.object({ message_id: z.string().regex(/^\d{1,20}$/).optional() }));
    await markRead(core, currentAuth(c).user.id, channelId, form.message_id);
    return c.body(null, 204);
  });
  app.get("/me.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "private, no-cache");
    const me = currentAuth(c).user.id;
    return c.body(`[data-author-id="${me}"] .own-or-manage { display: inline-flex; }\n.reaction[data-reactors~="${me}"] { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 20%, transparent); }\n`);
  });
  return app;
}
