// A bot's managed role lives only as long as the bot is in the server (as on Discord): every path
// that removes a bot (leaving, kick, ban, deleting the application) drops it inside its own
// write, so the role never outlives the membership.
import { and, eq } from "drizzle-orm";
import type { Orm } from "../db/client.ts";
import { memberRoles, roles } from "../guilds/table.ts";
import { botRoles } from "./table.ts";

/** Delete the managed roles `userId` holds in the server (none unless it is a bot); returns their ids. */
export function dropManagedRoles(orm: Orm, guildId: string, userId: string): string[] {
  const managed = orm.select({ id: botRoles.roleId }).from(botRoles).where(and(eq(botRoles.guildId, guildId), eq(botRoles.botId, userId))).all();
  for (const r of managed) {
    orm.delete(memberRoles).where(eq(memberRoles.roleId, r.id)).run();
    orm.delete(roles).where(eq(roles.id, r.id)).run();
  }
  return managed.map((r) => r.id);
}
