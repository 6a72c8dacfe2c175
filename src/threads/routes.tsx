// Browser side of threads. Every action is a link or a form that works as a page load; with htmx
// the answer is the pane alone, swapped into #thread-pane beside the channel.
import { and, eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { ThreadList } from "../../views/threads/list.tsx";
import { ThreadPane } from "../../views/threads/pane.tsx";
import { ThreadSlot } from "../../views/threads/slot.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { channelAccess, requireChannel, unknownChannel, type GuildAccess } from "../guilds/access.ts";
import type { Channel } from "../guilds/table.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { AppError } from "../lib/errors.ts";
import { parseAttachmentField } from "../files/attach.ts";
import { renderMessages } from "../messages/render.ts";
import { listMessages, sendMessage, unknownMessage } from "../messages/service.ts";
import { messages } from "../messages/table.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { requirePageUser } from "../users/routes.tsx";
import { joinThread, leaveThread, listThreadMembers } from "./members.ts";
import { listThreads, requireThread, threadView } from "./queries.ts";
import { isThreadType, nameFromContent } from "./rules.ts";
import { startThread, startThreadFromMessage, updateThread } from "./service.ts";
import { threadLabelsCss } from "./labels.ts";

const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
const param = (c: Context<AppEnv>, name: string, notFound: () => AppError = unknownChannel) => {
  const parsed = snowflakeParam.safeParse(c.req.param(name));
  if (!parsed.success) throw notFound();
  return parsed.data;
};
const fromHtmx = (c: Context<AppEnv>) => c.req.header("HX-Request") === "true";
const threadUrl = (thread: Channel) => `/channels/${thread.guildId}/${thread.parentId}?thread=${thread.id}`;
const listUrl = (parent: Channel) => `/channels/${parent.guildId}/${parent.id}?threads=1`;

function pane(c: Context<AppEnv>, core: Core, threadId: string, error?: string) {
  const userId = me(c);
  const { channel, state, permissions } = requireThread(core, userId, threadId);
  const guildId = channel.guildId!;
  const history = has(permissions, Permission.READ_MESSAGE_HISTORY) ? listMessages(core, userId, threadId, { limit: 50 }).reverse() : [];
  const starter = state.starterMessageId ? core.db.readOrm.select().from(messages).where(and(eq(messages.id, state.starterMessageId), eq(messages.channelId, channel.parentId!))).get() : undefined;
  const members = listThreadMembers(core, userId, threadId);
  return (
    <ThreadPane
      ctx={pageCtx(c, core)}
      view={threadView(core, channel, state)}
      starter={starter ? (renderMessages(core, guildId, [starter])[0] ?? null) : null}
      messages={renderMessages(core, guildId, history)}
      members={members}
      joined={members.some((m) => m.user.id === userId)}
      can={{ send: has(permissions, Permission.SEND_MESSAGES), manageMessages: has(permissions, Permission.MANAGE_MESSAGES), edit: has(permissions, Permission.MANAGE_THREADS) || channel.ownerId === userId }}
      error={error}
    />
  );
}

function list(c: Context<AppEnv>, core: Core, parentId: string, form: { error?: string; name?: string } = {}) {
  const parent = requireChannel(core, me(c), parentId);
  return (
    <ThreadList
      ctx={pageCtx(c, core)}
      guildId={parent.channel.guildId!}
      channelId={parentId}
      active={listThreads(core, me(c), parentId, { archived: false }).threads}
      archived={listThreads(core, me(c), parentId, { archived: true }).threads}
      canCreate={has(parent.permissions, Permission.CREATE_PUBLIC_THREADS)}
      {...form}
    />
  );
}

/** The pane of the channel page: an open thread (?thread=ID), the list (?threads=1), or empty. */
export function threadSlotFor(c: Context<AppEnv>, core: Core, _access: GuildAccess, channel: Channel, permissions: bigint) {
  const wanted = c.req.query("thread");
  let content = null;
  if (wanted && /^\d{1,20}$/.test(wanted)) {
    const thread = requireThread(core, me(c), wanted);
    if (thread.channel.parentId !== channel.id) throw unknownChannel();
    content = pane(c, core, wanted);
  } else if (c.req.query("threads") && has(permissions, Permission.READ_MESSAGE_HISTORY)) {
    content = list(c, core, channel.id);
  }
  return (
    <ThreadSlot ctx={pageCtx(c, core)} canCreate={has(permissions, Permission.CREATE_PUBLIC_THREADS)}>
      {content}
    </ThreadSlot>
  );
}

export function threadPages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/threads/*", requirePageUser);
  app.use("/channels/*", requirePageUser);
  // The open pane after an action: the pane itself for htmx, the channel page with it otherwise.
  const showThread = (c: Context<AppEnv>, thread: Channel, error?: string) => {
    if (!fromHtmx(c)) return c.redirect(threadUrl(thread), 303);
    c.header("HX-Push-Url", threadUrl(thread));
    return c.html(pane(c, core, thread.id, error), error ? 400 : 200);
  };

  app.get("/threads/labels.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "private, no-cache");
    return c.body(threadLabelsCss(c.get("t"), c.get("locale")));
  });
  // Closing the pane: htmx swaps this nothing into it (its socket closes with it).
  app.get("/threads/none", (c) => c.html(""));
  app.get("/threads/:thread{[0-9]+}", (c) => {
    const { channel } = requireThread(core, me(c), param(c, "thread"));
    return fromHtmx(c) ? c.html(pane(c, core, channel.id)) : c.redirect(threadUrl(channel), 303);
  });
  app.get("/channels/:channel{[0-9]+}/threads", (c) => {
    const parentId = param(c, "channel");
    const parent = requireChannel(core, me(c), parentId).channel;
    return fromHtmx(c) ? c.html(list(c, core, parentId)) : c.redirect(listUrl(parent), 303);
  });
  app.post("/channels/:channel{[0-9]+}/threads", async (c) => {
    const parentId = param(c, "channel");
    const form = await parseForm(c, z.object({ name: z.string().max(1000) }));
    try {
      return showThread(c, await startThread(core, me(c), parentId, { name: form.name }));
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      const error = errors.fields?.name ?? errors.general;
      if (!fromHtmx(c)) throw err;
      return c.html(list(c, core, parentId, { error, name: form.name }), status as 400);
    }
  });
  // "Create thread" on a message: named after the message, or opened when it already has one.
  app.post("/channels/:channel{[0-9]+}/messages/:message{[0-9]+}/threads", async (c) => {
    const channelId = param(c, "channel");
    const messageId = param(c, "message", unknownMessage);
    requireChannel(core, me(c), channelId);
    const message = core.db.readOrm.select().from(messages).where(and(eq(messages.id, messageId), eq(messages.channelId, channelId))).get();
    if (!message) throw unknownMessage();
    const existing = channelAccess(core, me(c), messageId);
    if (existing && isThreadType(existing.channel.type)) return showThread(c, existing.channel);
    const name = nameFromContent(message.content) || c.get("t")("thread.defaultName");
    return showThread(c, await startThreadFromMessage(core, me(c), channelId, messageId, { name }));
  });

  app.post("/threads/:thread{[0-9]+}/messages", async (c) => {
    const threadId = param(c, "thread");
    const form = await parseForm(c, z.object({ content: z.string().max(8000), nonce: z.string().max(25).optional(), attachments: z.string().max(20_000).optional() }));
    // Files staged in the thread (POST /channels/{thread}/attachments), as the channel composer sends them.
    const { message } = await sendMessage(core, currentAuth(c).user, threadId, { content: form.content, nonce: form.nonce || null, attachments: parseAttachmentField(form.attachments) });
    // The thread composer script asks for JSON and learns the outcome from the status.
    if (c.req.header("X-Composer") === "1") return c.json({ id: message.id, nonce: message.nonce }, 201);
    return c.redirect(threadUrl(requireThread(core, me(c), threadId).channel), 303);
  });
  // Join, leave and settings redraw the pane; a refusal is shown in it (or as an error page without JavaScript).
  const act = async (c: Context<AppEnv>, threadId: string, run: () => Promise<unknown>) => {
    let error: string | undefined;
    try {
      await run();
    } catch (err) {
      const { errors } = formErrors(c, err);
      error = errors.general ?? Object.values(errors.fields ?? {})[0];
      if (!fromHtmx(c)) throw err;
    }
    return showThread(c, requireThread(core, me(c), threadId).channel, error);
  };
  app.post("/threads/:thread{[0-9]+}/join", (c) => act(c, param(c, "thread"), () => joinThread(core, me(c), param(c, "thread"))));
  app.post("/threads/:thread{[0-9]+}/leave", (c) => act(c, param(c, "thread"), () => leaveThread(core, me(c), param(c, "thread"))));
  app.post("/threads/:thread{[0-9]+}/settings", async (c) => {
    const threadId = param(c, "thread");
    const form = await parseForm(c, z.object({ auto_archive_duration: z.string().regex(/^\d{1,6}$/).optional(), archived: z.enum(["0", "1"]).optional() }));
    return act(c, threadId, () =>
      updateThread(core, me(c), threadId, {
        autoArchiveDuration: form.auto_archive_duration === undefined ? undefined : Number(form.auto_archive_duration),
        archived: form.archived === undefined ? undefined : form.archived === "1",
      }),
    );
  });
  return app;
}
