// Discord-shaped JSON for threads (channel objects with thread_metadata) and thread members.
import type { ThreadView } from "./queries.ts";
import type { ThreadMemberRow } from "./table.ts";

export function threadMemberJson(row: ThreadMemberRow) {
  return { id: row.threadId, user_id: row.userId, join_timestamp: row.joinTimestamp, flags: 0 };
}

/** `member` is the caller's own membership, which Discord adds when there is one. */
export function threadJson(v: ThreadView, member?: ThreadMemberRow) {
  const { channel, state } = v;
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    parent_id: channel.parentId,
    owner_id: channel.ownerId,
    name: channel.name,
    last_message_id: v.lastMessageId,
    rate_limit_per_user: channel.rateLimitPerUser,
    nsfw: channel.nsfw,
    flags: 0,
    message_count: v.messageCount,
    member_count: v.memberCount,
    thread_metadata: {
      archived: state.archived,
      auto_archive_duration: state.autoArchiveDuration,
      archive_timestamp: state.archiveTimestamp,
      locked: state.locked,
      create_timestamp: channel.createdAt,
    },
    ...(member ? { member: threadMemberJson(member) } : {}),
  };
}
