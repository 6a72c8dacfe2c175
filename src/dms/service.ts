// Direct messages: 1:1 conversations (one per pair, reopened rather than duplicated) and group
// conversations of up to 10 people with an owner. Blocks and the privacy setting decide who may
// open a conversation with whom.
import { and, desc, eq, inArray } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { channelAccess, unknownChannel } from "../guilds/access.ts";
import { blocks, channels, dmRecipients, type Channel } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { sharesServerWith } from "../members/service.ts";
import { findUser, publicUser } from "../users/service.ts";

export const GROUP_MAX = 10;
const unknownUser = () => new AppError(404, ErrorCode.unknownUser, "Unknown user.", { key: "error.notFound" });

export function isBlocked(core: Core, by: string, whom: string): boolean {
  return Boolean(core.db.readOrm.select().from(blocks).where(and(eq(blocks.userId, by), eq(blocks.blockedId, whom))).get());
}

function recipientsOf(core: Core, channelId: string): User[] {
  return core.db.readOrm.select({ user: users }).from(dmRecipients).innerJoin(users, eq(users.id, dmRecipients.userId)).where(eq(dmRecipients.channelId, channelId)).all().map((r) => r.user);
}

function existingDm(core: Core, a: string, b: string): Channel | undefined {
  const mine = core.db.readOrm.select({ id: dmRecipients.channelId }).from(dmRecipients).innerJoin(channels, eq(channels.id, dmRecipients.channelId)).where(and(eq(dmRecipients.userId, a), eq(channels.type, 1))).all().map((r) => r.id);
  if (mine.length === 0) return undefined;
  const shared = core.db.readOrm.select({ id: dmRecipients.channelId }).from(dmRecipients).where(and(inArray(dmRecipients.channelId, mine), eq(dmRecipients.userId, b))).get();
  return shared ? core.db.readOrm.select().from(channels).where(eq(channels.id, shared.id)).get() : undefined;
}

/** May `from` start a conversation with `to`? Not when blocked either way, nor when `to` allows only people they already talk to. */
function checkCanMessage(core: Core, from: string, to: User): void {
  if (to.deletedAt || to.deactivatedAt) throw unknownUser();
  if (isBlocked(core, to.id, from) || isBlocked(core, from, to.id)) throw keyedError(403, ErrorCode.forbidden, "dm.notAllowed");
  if (!sharesServerWith(core, from, [to.id]).has(to.id)) throw keyedError(403, ErrorCode.forbidden, "dm.notAllowed");
  if (!to.allowMemberDms) throw keyedError(403, ErrorCode.forbidden, "dm.notAllowed");
}

/** Open (or reopen) the 1:1 conversation with someone. */
export async function openDm(core: Core, userId: string, recipientId: string): Promise<Channel> {
  if (recipientId === userId) throw keyedError(400, ErrorCode.invalidBody, "dm.self");
  const existing = existingDm(core, userId, recipientId);
  if (existing) return existing;
  const to = findUser(core, recipientId);
  if (!to) throw unknownUser();
  checkCanMessage(core, userId, to);
  const id = ids.nextString();
  return core.queue.write(({ orm }) => {
    const channel = orm.insert(channels).values({ id, guildId: null, type: 1, name: "", topic: "", position: 0, parentId: null, rateLimitPerUser: 0, nsfw: false, synced: false, ownerId: null, createdAt: new Date().toISOString() }).returning().get();
    orm.insert(dmRecipients).values([{ channelId: id, userId }, { channelId: id, userId: recipientId }]).run();
    return channel;
  });
}

export async function createGroupDm(core: Core, userId: string, recipientIds: string[], name = ""): Promise<Channel> {
  const others = [...new Set(recipientIds)].filter((id) => id !== userId);
  if (others.length === 0) throw keyedError(400, ErrorCode.invalidBody, "dm.pickSomeone");
  if (others.length + 1 > GROUP_MAX) throw keyedError(400, ErrorCode.invalidBody, "dm.groupFull");
  for (const id of others) {
    const to = findUser(core, id);
    if (!to) throw unknownUser();
    checkCanMessage(core, userId, to);
  }
  const title = cleanText(name).slice(0, 100);
  const id = ids.nextString();
  return core.queue.write(({ orm }) => {
    const channel = orm.insert(channels).values({ id, guildId: null, type: 3, name: title, topic: "", position: 0, parentId: null, rateLimitPerUser: 0, nsfw: false, synced: false, ownerId: userId, createdAt: new Date().toISOString() }).returning().get();
    orm.insert(dmRecipients).values([userId, ...others].map((u) => ({ channelId: id, userId: u }))).run();
    return channel;
  });
}

function requireGroup(core: Core, userId: string, channelId: string): Channel {
  const access = channelAccess(core, userId, channelId);
  if (!access || access.guild) throw unknownChannel();
  if (access.channel.type !== 3) throw keyedError(400, ErrorCode.invalidBody, "dm.notGroup");
  return access.channel;
}

/** Only the owner adds people (up to 10 in all). */
export async function addToGroup(core: Core, userId: string, channelId: string, newId: string): Promise<void> {
  const channel = requireGroup(core, userId, channelId);
  if (channel.ownerId !== userId) throw keyedError(403, ErrorCode.forbidden, "dm.ownerOnly");
  const current = recipientsOf(core, channelId);
  if (current.some((u) => u.id === newId)) return;
  if (current.length + 1 > GROUP_MAX) throw keyedError(400, ErrorCode.invalidBody, "dm.groupFull");
  const to = findUser(core, newId);
  if (!to) throw unknownUser();
  checkCanMessage(core, userId, to);
  await core.queue.write(({ orm }) => orm.insert(dmRecipients).values({ channelId, userId: newId }).onConflictDoNothing().run());
}

/** The owner removes someone; anyone removes themselves (leaving). An owner who leaves hands the group on. */
export async function removeFromGroup(core: Core, userId: string, channelId: string, targetId: string): Promise<void> {
  const channel = requireGroup(core, userId, channelId);
  if (targetId !== userId && channel.ownerId !== userId) throw keyedError(403, ErrorCode.forbidden, "dm.ownerOnly");
  await core.queue.write(({ orm }) => {
    orm.delete(dmRecipients).where(and(eq(dmRecipients.channelId, channelId), eq(dmRecipients.userId, targetId))).run();
    if (targetId === channel.ownerId) {
      const heir = orm.select({ userId: dmRecipients.userId }).from(dmRecipients).where(eq(dmRecipients.channelId, channelId)).get();
      if (heir) orm.update(channels).set({ ownerId: heir.userId }).where(eq(channels.id, channelId)).run();
      else orm.delete(channels).where(eq(channels.id, channelId)).run();
    }
  });
}

export async function renameGroup(core: Core, userId: string, channelId: string, name: string): Promise<void> {
  requireGroup(core, userId, channelId);
  const title = cleanText(name);
  if ([...title].length > 100) throw fieldError({ name: "text.tooLong" }, { max: 100 });
  await core.queue.write(({ orm }) => orm.update(channels).set({ name: title }).where(eq(channels.id, channelId)).run());
}

export interface DmView {
  channel: Channel;
  recipients: User[];
}

/** My conversations, newest first, with the other people in each. */
export function listDms(core: Core, userId: string): DmView[] {
  const mine = core.db.readOrm.select({ channel: channels }).from(dmRecipients).innerJoin(channels, eq(channels.id, dmRecipients.channelId)).where(eq(dmRecipients.userId, userId)).orderBy(desc(channels.id)).all();
  return mine.map(({ channel }) => ({ channel, recipients: recipientsOf(core, channel.id).filter((u) => u.id !== userId) }));
}

export function dmView(core: Core, userId: string, channel: Channel): DmView {
  return { channel, recipients: recipientsOf(core, channel.id).filter((u) => u.id !== userId) };
}

export const dmTitle = (v: DmView) => v.channel.name || v.recipients.map((u) => u.displayName ?? u.username).join(", ") || "—";

export async function setBlocked(core: Core, userId: string, targetId: string, blocked: boolean): Promise<void> {
  if (targetId === userId) throw keyedError(400, ErrorCode.invalidBody, "dm.self");
  if (!findUser(core, targetId)) throw unknownUser();
  await core.queue.write(({ orm }) => {
    if (blocked) orm.insert(blocks).values({ userId, blockedId: targetId, createdAt: new Date().toISOString() }).onConflictDoNothing().run();
    else orm.delete(blocks).where(and(eq(blocks.userId, userId), eq(blocks.blockedId, targetId))).run();
  });
}

export function blockedIds(core: Core, userId: string): Set<string> {
  return new Set(core.db.readOrm.select({ id: blocks.blockedId }).from(blocks).where(eq(blocks.userId, userId)).all().map((r) => r.id));
}

export async function setDmPrivacy(core: Core, userId: string, allowMemberDms: boolean): Promise<void> {
  await core.queue.write(({ orm }) => orm.update(users).set({ allowMemberDms }).where(eq(users.id, userId)).run());
}

export function dmJson(v: DmView) {
  return { id: v.channel.id, type: v.channel.type, name: v.channel.type === 3 ? v.channel.name || null : undefined, owner_id: v.channel.ownerId ?? undefined, recipients: v.recipients.map(publicUser) };
}
