// Member screening: a server may require new members to accept its rules before taking part.
// Until they do, the member row is `pending` and the access check leaves them only reading
// (restrict.ts). Turning screening on does not affect people already in the server (as on Discord).
import { and, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import type { Orm } from "../db/client.ts";
import { requireGuild } from "../guilds/access.ts";
import { members } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { memberUpdated } from "../members/events.ts";
import { Permission } from "../permissions/permissions.ts";
import { AuditAction, audit, diff } from "./audit.ts";
import { guildModeration } from "./table.ts";

export const RULES_MAX = 6000;

export interface ServerRules {
  rules: string;
  screening: boolean;
}

export function serverRules(orm: Orm | Core["db"]["readOrm"], guildId: string): ServerRules {
  const row = orm.select().from(guildModeration).where(eq(guildModeration.guildId, guildId)).get();
  return { rules: row?.rules ?? "", screening: row?.screening ?? false };
}

/** Is a newcomer to this server pending (inside the join transaction)? */
export const joinsPending = (orm: Orm, guildId: string): boolean => serverRules(orm, guildId).screening;

export async function setServerRules(core: Core, userId: string, guildId: string, input: ServerRules): Promise<ServerRules> {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  const rules = input.rules.replace(/\r\n?/g, "\n").trim();
  if (rules.length > RULES_MAX) throw new AppError(400, ErrorCode.invalidBody, `The rules have at most ${RULES_MAX} characters.`, { fields: { rules: `At most ${RULES_MAX} characters.` } });
  if (input.screening && !rules) throw new AppError(400, ErrorCode.invalidBody, "Write the rules before asking members to accept them.", { fields: { rules: "Required for screening." } });
  const before = serverRules(core.db.readOrm, guildId);
  const next = { rules, screening: input.screening };
  await core.queue.write(({ orm }) => orm.insert(guildModeration).values({ guildId, ...next }).onConflictDoUpdate({ target: guildModeration.guildId, set: next }).run());
  const changes = diff({ ...before }, { ...next }, ["rules", "screening"]);
  if (changes.length) await audit(core, { guildId, userId, action: AuditAction.GUILD_UPDATE, targetId: guildId, changes });
  return next;
}

/** The member accepts the rules: they may take part from now on. */
export async function acceptRules(core: Core, userId: string, guildId: string): Promise<void> {
  requireGuild(core, userId, guildId);
  await core.queue.write(({ orm }) => orm.update(members).set({ pending: false }).where(and(eq(members.guildId, guildId), eq(members.userId, userId))).run());
  // Bots and gateway clients learn the member is no longer pending (Discord sends this too).
  memberUpdated(core, guildId, userId);
}
