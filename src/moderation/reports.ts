// Reports: a member reports a message or a member with a reason; moderators work through a queue
// (open, actioned, dismissed) and act from it. The reported message's text and author are copied
// into the report, so it survives the message being deleted (by its author or by the action).
import { and, desc, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { guildAccess, missingPermission, requireChannel, requireGuild, type GuildAccess } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { unknownMember } from "../members/service.ts";
import { deleteMessage, findMessage } from "../messages/service.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { AuditAction, audit } from "./audit.ts";
import { banWithPurge, kickMember, timeoutMember } from "./members.ts";
import { reports, type ReportRow } from "./table.ts";

export const REASON_MAX = 1000;
const MODERATOR = [Permission.MANAGE_MESSAGES, Permission.KICK_MEMBERS, Permission.BAN_MEMBERS, Permission.MODERATE_MEMBERS];

/** Anyone who can act on reports: MANAGE_MESSAGES, KICK_MEMBERS, BAN_MEMBERS or MODERATE_MEMBERS. */
export const isModerator = (a: GuildAccess) => MODERATOR.some((p) => has(a.permissions, p));
export const unknownReport = () => new AppError(404, ErrorCode.unknownRoute, "Unknown report.", { key: "error.notFound" });

function cleanReason(raw: string): string {
  const reason = raw.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "").trim();
  if (!reason) throw new AppError(400, ErrorCode.invalidBody, "Say why you report this.", { fields: { reason: "Required." } });
  if (reason.length > REASON_MAX) throw new AppError(400, ErrorCode.invalidBody, `A reason has at most ${REASON_MAX} characters.`, { fields: { reason: `At most ${REASON_MAX} characters.` } });
  return reason;
}

export async function reportMessage(core: Core, userId: string, channelId: string, messageId: string, reason: string): Promise<ReportRow> {
  const access = requireChannel(core, userId, channelId, Permission.READ_MESSAGE_HISTORY);
  if (!access.guild) throw new AppError(400, ErrorCode.invalidBody, "Messages are reported to a server's moderators; direct messages have none.");
  const message = findMessage(core, channelId, messageId);
  const why = cleanReason(reason);
  return insert(core, { guildId: access.guild.guild.id, reporterId: userId, targetUserId: message.authorId, channelId, messageId, content: message.content, reason: why });
}

export async function reportUser(core: Core, userId: string, guildId: string, targetId: string, reason: string): Promise<ReportRow> {
  requireGuild(core, userId, guildId);
  if (!guildAccess(core, targetId, guildId)) throw unknownMember();
  return insert(core, { guildId, reporterId: userId, targetUserId: targetId, channelId: null, messageId: null, content: "", reason: cleanReason(reason) });
}

async function insert(core: Core, row: Omit<ReportRow, "id" | "status" | "handledBy" | "handledAt" | "resolution" | "createdAt">): Promise<ReportRow> {
  return core.queue.write(({ orm }) => orm.insert(reports).values({ ...row, id: ids.nextString(), status: "open", createdAt: new Date().toISOString() }).returning().get());
}

export function listReports(core: Core, userId: string, guildId: string, status: ReportRow["status"] | "all" = "open"): ReportRow[] {
  const access = requireGuild(core, userId, guildId);
  if (!isModerator(access)) throw missingPermission();
  const where = status === "all" ? eq(reports.guildId, guildId) : and(eq(reports.guildId, guildId), eq(reports.status, status));
  return core.db.readOrm.select().from(reports).where(where).orderBy(desc(reports.id)).limit(200).all();
}

export type ReportAction = { type: "dismiss" } | { type: "delete_message" } | { type: "timeout"; seconds: number } | { type: "kick" } | { type: "ban"; deleteMessageSeconds: number };

/** Close a report, doing what the moderator chose first (each action checks its own permission). */
export async function resolveReport(core: Core, userId: string, guildId: string, reportId: string, action: ReportAction): Promise<ReportRow> {
  const access = requireGuild(core, userId, guildId);
  if (!isModerator(access)) throw missingPermission();
  const report = core.db.readOrm.select().from(reports).where(and(eq(reports.guildId, guildId), eq(reports.id, reportId))).get();
  if (!report) throw unknownReport();
  const why = `Report ${report.id}: ${report.reason}`.slice(0, 512);
  switch (action.type) {
    case "delete_message":
      if (!report.channelId || !report.messageId) throw new AppError(400, ErrorCode.invalidBody, "This report is not about a message.");
      try {
        findMessage(core, report.channelId, report.messageId);
        await deleteMessage(core, userId, report.channelId, report.messageId);
        await audit(core, { guildId, userId, action: AuditAction.MESSAGE_DELETE, targetId: report.targetUserId, options: { channel_id: report.channelId, count: "1" }, reason: why });
      } catch (err) {
        // Already gone (its author deleted it): the report can still be closed as actioned.
        if (!(err instanceof AppError && err.status === 404)) throw err;
      }
      break;
    case "timeout":
      await timeoutMember(core, userId, guildId, report.targetUserId, new Date(Date.now() + action.seconds * 1000), why);
      break;
    case "kick":
      await kickMember(core, userId, guildId, report.targetUserId);
      break;
    case "ban":
      await banWithPurge(core, userId, guildId, report.targetUserId, { reason: why, deleteMessageSeconds: action.deleteMessageSeconds });
      break;
  }
  const status = action.type === "dismiss" ? "dismissed" : "actioned";
  const row = await core.queue.write(({ orm }) => orm.update(reports).set({ status, handledBy: userId, handledAt: new Date().toISOString(), resolution: action.type }).where(eq(reports.id, reportId)).returning().get());
  await audit(core, { guildId, userId, action: AuditAction.REPORT_RESOLVE, targetId: report.targetUserId, options: { report_id: report.id, status, resolution: action.type } });
  return row;
}

export function reportJson(r: ReportRow) {
  return { id: r.id, guild_id: r.guildId, reporter_id: r.reporterId, target_user_id: r.targetUserId, channel_id: r.channelId, message_id: r.messageId, content: r.content, reason: r.reason, status: r.status, handled_by: r.handledBy, handled_at: r.handledAt, resolution: r.resolution, created_at: r.createdAt };
}
