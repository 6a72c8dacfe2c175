// Browser side of messages: the composer's POST, editing, pinning, deleting, reacting, loading
// more history, the pinned list, mention suggestions, and the per-user stylesheet that shows each
// person their own controls and highlights what mentions them (messages are rendered once for all).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { pageCtx, safeNext } from "../http/page.ts";
import { requirePageUser } from "../users/routes.tsx";
import { deleteMessage, editMessage, findMessage, sendMessage, unknownMessage } from "./service.ts";
import { markRead } from "./read-state.ts";
import { addReaction, reactors, removeReaction } from "./reactions.ts";
import { pinMessage, unpinMessage } from "./pins.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { EditForm } from "../../views/messages/edit-form.tsx";
import { fragmentRoutes } from "./fragments.tsx";
import { userStylesheet } from "./me-css.ts";
import { appearanceCss } from "../users/appearance.ts";
import { roleColourCss } from "../users/role-colours.ts";
import { parseAttachmentField } from "../files/attach.ts";
import { isSnowflake } from "./history.ts";

const snowflakeField = z.string().refine(isSnowflake, "Not an id.");

export function messagePages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/channels/*", requirePageUser);
  app.use("/me.css", requirePageUser);
  const cid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success || !isSnowflake(parsed.data)) throw unknownChannel();
    return parsed.data;
  };
  const mid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("message"));
    if (!parsed.success || !isSnowflake(parsed.data)) throw unknownMessage();
    return parsed.data;
  };
  const me = (c: Context<AppEnv>) => currentAuth(c).user;
  // The composer script posts with this header and learns the outcome from the status; a plain
  // form post (no JavaScript) is sent back to the channel page.
  const fromScript = (c: Context<AppEnv>) => c.req.header("X-Composer") === "1";
  const back = (c: Context<AppEnv>) => {
    const referer = c.req.header("Referer");
    return c.redirect(safeNext(referer && URL.canParse(referer) ? new URL(referer).pathname : "/"), 303);
  };
  const done = (c: Context<AppEnv>) => (c.req.header("HX-Request") || fromScript(c) ? c.body(null, 204) : back(c));

  app.post("/channels/:channel/messages", async (c) => {
    const channelId = cid(c);
    const form = await parseForm(c, z.object({ content: z.string().max(8000), nonce: z.string().max(25).optional(), reply_to: z.union([snowflakeField, z.literal("")]).optional(), reply_ping: z.string().max(5).optional(), attachments: z.string().max(20_000).optional() }));
    const { message } = await sendMessage(core, me(c), channelId, { content: form.content, nonce: form.nonce || null, replyToId: form.reply_to || null, replyPing: form.reply_ping === "1", attachments: parseAttachmentField(form.attachments) });
    return fromScript(c) ? c.json({ id: message.id, nonce: message.nonce }, 201) : back(c);
  });
  // The edit form replaces the message's text in place; saving broadcasts the new message, whose
  // bytes replace the whole article (and so the form) in every tab.
  app.get("/channels/:channel/messages/:message/edit", (c) => {
    const channelId = cid(c);
    requireChannel(core, me(c).id, channelId);
    const message = findMessage(core, channelId, mid(c));
    if (message.authorId !== me(c).id) throw new AppError(403, ErrorCode.forbidden, "You can only edit your own messages.", { key: "error.forbidden" });
    return c.html(<EditForm ctx={pageCtx(c, core)} message={message} />);
  });
  app.post("/channels/:channel/messages/:message/edit", async (c) => {
    const form = await parseForm(c, z.object({ content: z.string().max(8000) }));
    await editMessage(core, me(c).id, cid(c), mid(c), form.content);
    return done(c);
  });
  app.post("/channels/:channel/messages/:message/delete", async (c) => {
    await deleteMessage(core, me(c).id, cid(c), mid(c));
    return done(c);
  });
  // The pin button toggles: the message's current state decides.
  app.post("/channels/:channel/messages/:message/pin", async (c) => {
    const channelId = cid(c);
    requireChannel(core, me(c).id, channelId);
    const message = findMessage(core, channelId, mid(c));
    await (message.pinned ? unpinMessage : pinMessage)(core, me(c).id, channelId, message.id);
    return done(c);
  });
  // A reaction chip: adds yours, or removes it when it is already there.
  app.post("/channels/:channel/messages/:message/reactions", async (c) => {
    const channelId = cid(c);
    const form = await parseForm(c, z.object({ emoji: z.string().min(1).max(100) }));
    const emoji = encodeURIComponent(form.emoji);
    const mine = reactors(core, me(c).id, channelId, mid(c), emoji).some((u) => u.id === me(c).id);
    await (mine ? removeReaction : addReaction)(core, me(c).id, channelId, mid(c), emoji);
    return done(c);
  });
  // The open tab says it has seen a message that arrived live (or the reader pressed Esc).
  app.post("/channels/:channel/ack", async (c) => {
    const channelId = cid(c);
    requireChannel(core, me(c).id, channelId);
    const form = await parseForm(c, z.object({ message_id: snowflakeField.optional() }));
    await markRead(core, me(c).id, channelId, form.message_id);
    return c.body(null, 204);
  });
  app.route("/", fragmentRoutes(core, cid));
  app.get("/me.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "private, no-cache");
    return c.body(`${userStylesheet(core, me(c).id)}${appearanceCss(me(c))}${roleColourCss(core, me(c).id)}\n`);
  });
  return app;
}
