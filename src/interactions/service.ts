// Interactions: a person invokes a slash command or clicks a component; the owning application
// hears INTERACTION_CREATE on its gateway, or, when it set an interactions endpoint URL, gets it
// POSTed there signed with Ed25519 (the HTTP answer is then its response). The application answers
// once through the callback (reply, ephemeral reply, deferral, update of the component's message),
// then follows up through /webhooks/{application_id}/{token} for 15 minutes.
import type { User } from "../auth/table.ts";
import { findUser } from "../users/service.ts";
import { channelJson } from "../channels/service.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { channelAccess, type ChannelAccess } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { findMember, memberJson } from "../members/service.ts";
import { messageJson, renderMessages } from "../messages/render.ts";
import { findMessage } from "../messages/service.ts";
import type { Message } from "../messages/table.ts";
import { safeFetch, SafeFetchError } from "../net/safe-fetch.ts";
import { publicUser } from "../users/service.ts";
import { clearThinking, publishEphemeral, publishThinking } from "./ephemeral.tsx";
import { readKeys, signInteraction } from "./keys.ts";
import { EPHEMERAL, messagePayload, type MessagePayload } from "./payload.ts";
import { editAsApp, postAsApp } from "./post.ts";
import { remember, type Pending } from "./store.ts";
import { z } from "zod";

export const InteractionType = { PING: 1, APPLICATION_COMMAND: 2, MESSAGE_COMPONENT: 3 } as const;
export const CallbackType = { PONG: 1, CHANNEL_MESSAGE: 4, DEFERRED_CHANNEL_MESSAGE: 5, DEFERRED_UPDATE_MESSAGE: 6, UPDATE_MESSAGE: 7 } as const;

export const callbackBody = z.object({ type: z.number().int(), data: messagePayload.optional() });
export type Callback = z.infer<typeof callbackBody>;

export const unknownInteraction = () => new AppError(404, 10062, "Unknown interaction.", { key: "error.notFound" });
const noAnswer = () => new AppError(400, ErrorCode.invalidBody, "The application did not respond.", { key: "interactions.noAnswer" });

interface Invocation {
  appId: string;
  type: 2 | 3;
  invoker: User;
  access: ChannelAccess;
  data: Record<string, unknown>;
  message?: Message;
}

function payloadOf(core: Core, inv: Invocation, id: string, token: string) {
  const { access, invoker } = inv;
  const guildId = access.channel.guildId;
  const bot = guildId ? channelAccess(core, inv.appId, access.channel.id) : null;
  const base = {
    id,
    application_id: inv.appId,
    type: inv.type,
    token,
    version: 1,
    data: inv.data,
    channel_id: access.channel.id,
    channel: channelJson(core, access.channel),
    locale: invoker.locale === "fr" ? "fr" : "en-US",
    app_permissions: String(bot?.permissions ?? 0n),
    entitlements: [],
    authorizing_integration_owners: guildId ? { "0": guildId } : { "1": invoker.id },
    context: guildId ? 0 : 1,
    attachment_size_limit: 25 * 1024 * 1024,
  };
  const message = inv.message ? messageJson(renderMessages(core, guildId, [inv.message], { html: false })[0]!) : undefined;
  if (!guildId) return { ...base, user: publicUser(invoker), message };
  return { ...base, guild_id: guildId, guild_locale: "en-US", guild: { id: guildId, locale: "en-US", features: [] }, member: { ...memberJson(findMember(core, guildId, invoker.id)), permissions: String(access.permissions) }, message };
}

/** Create an interaction and hand it to its application; resolves once it is delivered (and, over HTTP, answered). */
export async function invoke(core: Core, inv: Invocation): Promise<void> {
  const id = ids.nextString();
  const { pending, token } = remember(core, { id, appId: inv.appId, type: inv.type, userId: inv.invoker.id, channelId: inv.access.channel.id, guildId: inv.access.channel.guildId, componentMessageId: inv.message?.id ?? null });
  const payload = payloadOf(core, inv, id, token);
  const keys = readKeys(core, inv.appId);
  if (keys?.endpointUrl) {
    const answer = await postSigned(core, keys.endpointUrl, keys.privateKey, payload);
    const parsed = callbackBody.safeParse(answer);
    if (!parsed.success) throw noAnswer();
    await respond(core, pending, parsed.data);
    return;
  }
  if (!core.hub.isOnline(inv.appId)) throw noAnswer();
  core.hub.gateway?.dispatch(JsonTopic.user(inv.appId), "INTERACTION_CREATE", payload);
}

/** POST a signed interaction to an endpoint and return its JSON answer (null when it gave none). */
export async function postSigned(core: Core, url: string, privateKey: Buffer, payload: unknown): Promise<unknown> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await safeFetch(url, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "User-Agent": "Pokynano-Interactions/1", "X-Signature-Ed25519": signInteraction(privateKey, timestamp, body), "X-Signature-Timestamp": timestamp },
      timeoutMs: 3000,
      maxRedirects: 0,
      maxBytes: 256 * 1024,
      context: core,
    });
    if (res.status < 200 || res.status >= 300) return null;
    return JSON.parse(new TextDecoder().decode(res.body));
  } catch (err) {
    if (err instanceof SafeFetchError || err instanceof SyntaxError) return null;
    throw err;
  }
}

function botOf(core: Core, appId: string): User {
  const bot = findUser(core, appId);
  if (!bot) throw unknownInteraction();
  return bot;
}

async function sendFor(core: Core, p: Pending, payload: MessagePayload): Promise<Message> {
  const bot = botOf(core, p.appId);
  if (p.responded === CallbackType.DEFERRED_CHANNEL_MESSAGE && p.original === null) clearThinking(core, p.userId, p.id);
  if ((payload.flags ?? 0) & EPHEMERAL || (p.deferredEphemeral && p.original === null && p.responded === CallbackType.DEFERRED_CHANNEL_MESSAGE)) {
    const invoker = findUser(core, p.userId);
    const message: Message = { id: ids.nextString(), channelId: p.channelId, authorId: bot.id, content: (payload.content ?? "").trim(), nonce: null, replyToId: null, editedAt: null, pinned: false, pinnedAt: null, mentionsEveryone: false, suppressEmbeds: false };
    p.ephemeral.set(message.id, message);
    if (invoker) publishEphemeral(core, invoker, p.guildId, message, false);
    return message;
  }
  return postAsApp(core, { author: bot, channelId: p.channelId, guildId: p.guildId, payload, componentsApp: p.appId });
}

/** The one response to an interaction (callback endpoint, or an HTTP endpoint's answer). */
export async function respond(core: Core, p: Pending, cb: Callback): Promise<Message | null> {
  if (p.responded !== null) throw new AppError(400, 40060, "Interaction has already been acknowledged.");
  const data = cb.data ?? {};
  switch (cb.type) {
    case CallbackType.CHANNEL_MESSAGE: {
      p.responded = cb.type;
      try {
        p.original = await sendFor(core, p, data);
      } catch (err) {
        p.responded = null;
        throw err;
      }
      return p.original;
    }
    case CallbackType.DEFERRED_CHANNEL_MESSAGE: {
      p.responded = cb.type;
      p.deferredEphemeral = ((data.flags ?? 0) & EPHEMERAL) !== 0;
      const invoker = findUser(core, p.userId);
      if (invoker) publishThinking(core, invoker, p.channelId, p.id, botOf(core, p.appId).displayName ?? botOf(core, p.appId).username);
      return null;
    }
    case CallbackType.DEFERRED_UPDATE_MESSAGE:
    case CallbackType.UPDATE_MESSAGE: {
      if (p.type !== 3 || !p.componentMessageId) throw new AppError(400, ErrorCode.invalidBody, "Only component interactions can update their message.", { fields: { type: "Not for this interaction." } });
      p.responded = cb.type;
      p.original = findMessage(core, p.channelId, p.componentMessageId);
      if (cb.type === CallbackType.UPDATE_MESSAGE) p.original = await updateOriginal(core, p, p.original, data);
      return p.original;
    }
    default:
      throw new AppError(400, ErrorCode.invalidBody, "Unsupported interaction response type.", { fields: { type: "4, 5, 6 or 7." } });
  }
}

async function updateOriginal(core: Core, p: Pending, message: Message, data: MessagePayload): Promise<Message> {
  const ephemeral = p.ephemeral.get(message.id);
  if (ephemeral) {
    const edited = { ...ephemeral, content: data.content === undefined ? ephemeral.content : data.content.trim(), editedAt: new Date().toISOString() };
    p.ephemeral.set(edited.id, edited);
    const invoker = findUser(core, p.userId);
    if (invoker) publishEphemeral(core, invoker, p.guildId, edited, true);
    return edited;
  }
  return editAsApp(core, message, data, message.authorId === p.appId ? p.appId : null);
}

/** POST /webhooks/{application_id}/{token}: a follow-up message (after any response). */
export async function followUp(core: Core, p: Pending, data: MessagePayload): Promise<Message> {
  if (p.responded === null) throw new AppError(400, 40060, "The interaction has not been acknowledged yet.");
  // After a deferral the first follow-up is the awaited reply (as on Discord).
  if (p.responded === CallbackType.DEFERRED_CHANNEL_MESSAGE && p.original === null) {
    p.original = await sendFor(core, p, data);
    return p.original;
  }
  return sendFor(core, p, data);
}

/** A message of this interaction by id ("@original" = the response). */
export function interactionMessage(core: Core, p: Pending, messageId: string): Message | null {
  if (messageId === "@original") return p.original;
  const eph = p.ephemeral.get(messageId);
  if (eph) return eph;
  try {
    const m = findMessage(core, p.channelId, messageId);
    return m.authorId === p.appId ? m : null;
  } catch {
    return null;
  }
}

/** PATCH …/messages/{id}: edit a response or follow-up; @original after a deferral creates the reply. */
export async function editInteractionMessage(core: Core, p: Pending, messageId: string, data: MessagePayload): Promise<Message> {
  if (messageId === "@original" && p.original === null && p.responded === CallbackType.DEFERRED_CHANNEL_MESSAGE) {
    p.original = await sendFor(core, p, data);
    return p.original;
  }
  const message = interactionMessage(core, p, messageId);
  if (!message) throw new AppError(404, 10008, "Unknown message.", { key: "error.notFound" });
  const updated = await updateOriginal(core, p, message, data);
  if (messageId === "@original" || p.original?.id === updated.id) p.original = updated;
  return updated;
}

/** The message as the application reads it back (ephemeral ones carry flag 64). */
export function interactionMessageJson(core: Core, p: Pending, message: Message) {
  const [r] = renderMessages(core, p.guildId, [message], { html: false });
  const json = messageJson(r!);
  return p.ephemeral.has(message.id) ? { ...json, flags: EPHEMERAL, webhook_id: p.appId, application_id: p.appId } : { ...json, webhook_id: p.appId, application_id: p.appId };
}
