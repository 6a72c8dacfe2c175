// Who follows a thread: joining, leaving, the member list, and the automatic join of whoever
// starts a thread or writes in it (as in Discord).
import { and, asc, eq } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { members } from "../guilds/table.ts";
import { keyedError } from "../lib/field-error.ts";
import { emitThreadEvent } from "./events.ts";
import { requireThread } from "./queries.ts";
import { ThreadErrorCode } from "./service.ts";
import { threadMembers, type ThreadMemberRow } from "./table.ts";

export interface ThreadMemberView {
  row: ThreadMemberRow;
  user: User;
  /** Server nickname, display name or username. */
  name: string;
}

function isMember(core: Core, threadId: string, userId: string): boolean {
  return core.db.readOrm.select({ u: threadMembers.userId }).from(threadMembers).where(and(eq(threadMembers.threadId, threadId), eq(threadMembers.userId, userId))).get() !== undefined;
}

/** Join a thread you can see. An archived thread must be reopened first (Discord refuses too). */
export async function joinThread(core: Core, userId: string, threadId: string): Promise<void> {
  const { channel, state } = requireThread(core, userId, threadId);
  if (state.archived) throw keyedError(400, ThreadErrorCode.archived, "thread.archived");
  if (isMember(core, threadId, userId)) return;
  const added = await core.queue.write(({ orm }) => orm.insert(threadMembers).values({ threadId, userId, joinTimestamp: new Date().toISOString() }).onConflictDoNothing().returning().all());
  if (added.length) emitThreadEvent(core, { type: "members", thread: channel, added: [userId], removed: [] });
}

export async function leaveThread(core: Core, userId: string, threadId: string): Promise<void> {
  const { channel } = requireThread(core, userId, threadId);
  const removed = await core.queue.write(({ orm }) => orm.delete(threadMembers).where(and(eq(threadMembers.threadId, threadId), eq(threadMembers.userId, userId))).returning().all());
  if (removed.length) emitThreadEvent(core, { type: "members", thread: channel, added: [], removed: [userId] });
}

/** The thread's members who are still in the server, in joining order. */
export function listThreadMembers(core: Core, userId: string, threadId: string): ThreadMemberView[] {
  const { channel } = requireThread(core, userId, threadId);
  return core.db.readOrm
    .select({ row: threadMembers, user: users, nick: members.nick })
    .from(threadMembers)
    .innerJoin(users, eq(users.id, threadMembers.userId))
    .innerJoin(members, and(eq(members.userId, threadMembers.userId), eq(members.guildId, channel.guildId!)))
    .where(eq(threadMembers.threadId, threadId))
    .orderBy(asc(threadMembers.joinTimestamp))
    .all()
    .map((r) => ({ row: r.row, user: r.user, name: r.nick ?? r.user.displayName ?? r.user.username }));
}

export function threadMember(core: Core, userId: string, threadId: string, memberId: string): ThreadMemberView | undefined {
  return listThreadMembers(core, userId, threadId).find((m) => m.user.id === memberId);
}

/** After a message lands in a thread: its author follows the thread from then on. Returns true when newly added. */
export async function addAuthor(core: Core, threadId: string, userId: string): Promise<boolean> {
  if (isMember(core, threadId, userId)) return false;
  const added = await core.queue.write(({ orm }) => orm.insert(threadMembers).values({ threadId, userId, joinTimestamp: new Date().toISOString() }).onConflictDoNothing().returning().all());
  return added.length > 0;
}
