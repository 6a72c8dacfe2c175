// Incoming webhooks: someone with MANAGE_WEBHOOKS makes a URL that posts into one channel. Each
// webhook posts as its own bot user (never a member, no password), so its messages carry the BOT
// tag and keep an author after the webhook is deleted. The token is shown once and stored hashed.
import { and, eq } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { cleanText, usernameKey } from "../auth/names.ts";
import { newSecret, secretMatches } from "../auth/tokens.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { requireChannel, requireGuild } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { Permission } from "../permissions/permissions.ts";
import { publicUser } from "../users/service.ts";
import { auditWebhook } from "../moderation/audit-hooks.ts";
import { webhooks, type Webhook } from "./table.ts";

export const MAX_WEBHOOKS_PER_CHANNEL = 15;
export const unknownWebhook = () => new AppError(404, 10015, "Unknown Webhook.", { key: "error.notFound" });

export function cleanWebhookName(raw: string): string {
  const name = cleanText(raw);
  // Discord refuses names containing "clyde" or "discord"; we only keep the length rule.
  if ([...name].length < 1 || [...name].length > 80) throw new AppError(400, ErrorCode.invalidBody, "A webhook name has 1 to 80 characters.", { fields: { name: "1 to 80 characters." } });
  return name;
}

/** The URL's token is the bare secret: the id is already in the URL, as on Discord. */
const tokenOf = (_id: string, secret: string) => secret;

export function webhookUrl(core: Core, id: string, token: string): string {
  return `${core.config.publicUrl}/api/v10/webhooks/${id}/${token}`;
}

export async function createWebhook(core: Core, actor: User, channelId: string, rawName: string, applicationId: string | null = null): Promise<{ webhook: Webhook; token: string }> {
  const access = requireChannel(core, actor.id, channelId, Permission.MANAGE_WEBHOOKS);
  if (!access.channel.guildId || ![0, 5].includes(access.channel.type)) throw new AppError(400, ErrorCode.invalidBody, "Webhooks post in a server's text channels.");
  const name = cleanWebhookName(rawName);
  const id = ids.nextString();
  const { secret, hash } = newSecret();
  const now = new Date().toISOString();
  const webhook = await core.queue.write(({ orm }) => {
    const count = orm.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.channelId, channelId)).all().length;
    if (count >= MAX_WEBHOOKS_PER_CHANNEL) throw new AppError(400, 30007, `A channel has at most ${MAX_WEBHOOKS_PER_CHANNEL} webhooks.`);
    const username = `webhook_${id}`;
    orm.insert(users).values({ id, username, usernameKey: usernameKey(username), displayName: name, passwordHash: null, isAdmin: false, isBot: true, about: "", pronouns: "", status: "online", customStatus: "", theme: "system", locale: "en", timeFormat: "24h", createdAt: now, passwordChangedAt: now }).run();
    return orm.insert(webhooks).values({ id, type: applicationId ? 3 : 1, guildId: access.channel.guildId!, channelId, creatorId: actor.id, applicationId, name, tokenHash: hash, createdAt: now }).returning().get();
  });
  await auditWebhook(core, webhook.guildId, null, webhook);
  return { webhook, token: tokenOf(id, secret) };
}

export function findWebhook(core: Core, id: string): Webhook | null {
  return core.db.readOrm.select().from(webhooks).where(eq(webhooks.id, id)).get() ?? null;
}

/** A webhook by id and URL token (execution needs nothing else), or null. */
export function webhookByToken(core: Core, id: string, token: string): Webhook | null {
  const found = findWebhook(core, id);
  if (!found || token.length === 0 || token.length > 200) return null;
  return secretMatches(token, found.tokenHash) ? found : null;
}

/** A webhook its caller may manage (MANAGE_WEBHOOKS in its channel); 404 otherwise. */
export function managedWebhook(core: Core, userId: string, id: string): Webhook {
  const found = findWebhook(core, id);
  if (!found) throw unknownWebhook();
  requireChannel(core, userId, found.channelId, Permission.MANAGE_WEBHOOKS);
  return found;
}

export function channelWebhooks(core: Core, userId: string, channelId: string): Webhook[] {
  requireChannel(core, userId, channelId, Permission.MANAGE_WEBHOOKS);
  return core.db.readOrm.select().from(webhooks).where(eq(webhooks.channelId, channelId)).orderBy(webhooks.id).all();
}

export function guildWebhooks(core: Core, userId: string, guildId: string): Webhook[] {
  requireGuild(core, userId, guildId, Permission.MANAGE_WEBHOOKS);
  return core.db.readOrm.select().from(webhooks).where(eq(webhooks.guildId, guildId)).orderBy(webhooks.id).all();
}

export async function updateWebhook(core: Core, hook: Webhook, patch: { name?: string; channelId?: string }, actorId: string | null): Promise<Webhook> {
  const name = patch.name === undefined ? undefined : cleanWebhookName(patch.name);
  if (patch.channelId !== undefined) {
    // Moving a webhook needs MANAGE_WEBHOOKS in the new channel too (token-only callers cannot move it).
    if (actorId === null) throw new AppError(400, ErrorCode.invalidBody, "channel_id cannot be changed with a webhook token.");
    const target = requireChannel(core, actorId, patch.channelId, Permission.MANAGE_WEBHOOKS);
    if (target.channel.guildId !== hook.guildId) throw new AppError(400, ErrorCode.invalidBody, "A webhook stays in its server.", { fields: { channel_id: "Another server's channel." } });
  }
  const updated = await core.queue.write(({ orm }) => {
    if (name !== undefined) orm.update(users).set({ displayName: name }).where(eq(users.id, hook.id)).run();
    return orm.update(webhooks).set({ ...(name !== undefined && { name }), ...(patch.channelId !== undefined && { channelId: patch.channelId }) }).where(eq(webhooks.id, hook.id)).returning().get();
  });
  // A change made with the webhook's own token has no member behind it (user_id null, as on Discord).
  if (updated) await auditWebhook(core, hook.guildId, hook, updated);
  return updated;
}

/** A new URL; the old one stops at once. */
export async function resetWebhookToken(core: Core, hook: Webhook): Promise<string> {
  const { secret, hash } = newSecret();
  await core.queue.write(({ orm }) => orm.update(webhooks).set({ tokenHash: hash }).where(eq(webhooks.id, hook.id)).run());
  return tokenOf(hook.id, secret);
}

/** Its messages stay (their author is the webhook's user, kept as deleted). */
export async function deleteWebhook(core: Core, hook: Webhook): Promise<void> {
  await core.queue.write(({ orm }) => {
    orm.delete(webhooks).where(and(eq(webhooks.id, hook.id))).run();
    orm.update(users).set({ deletedAt: new Date().toISOString() }).where(eq(users.id, hook.id)).run();
  });
  await auditWebhook(core, hook.guildId, hook, null);
}

export function webhookUser(core: Core, hook: Webhook): User {
  return core.db.readOrm.select().from(users).where(eq(users.id, hook.id)).get()!;
}

/** Discord's webhook object; `token` only when just made (it is not kept). */
export function webhookJson(core: Core, hook: Webhook, token?: string) {
  const creator = hook.creatorId ? core.db.readOrm.select().from(users).where(eq(users.id, hook.creatorId)).get() : undefined;
  return {
    id: hook.id,
    type: hook.type,
    guild_id: hook.guildId,
    channel_id: hook.channelId,
    name: hook.name,
    avatar: null,
    application_id: hook.applicationId,
    user: creator ? publicUser(creator) : undefined,
    token,
    url: token ? webhookUrl(core, hook.id, token) : undefined,
  };
}
