// Deleting an application: its bot leaves every server (taking its managed roles), its commands,
// keys and application-owned webhooks go (foreign keys cascade from applications), its token and
// pending interaction tokens stop at once, and its gateway connections close. The bot's user row
// stays, marked deleted, so its messages keep an author (shown as a deleted account).
import { and, eq } from "drizzle-orm";
import { users } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { members, roles } from "../guilds/table.ts";
import { forgetApplication } from "../interactions/store.ts";
import { memberRemoved } from "../members/events.ts";
import { roleDeleted } from "../roles/events.ts";
import { ownedApplication } from "./service.ts";
import { applications, botRoles } from "./table.ts";

export async function deleteApplication(core: Core, ownerId: string, appId: string): Promise<void> {
  ownedApplication(core, ownerId, appId);
  const left = await core.queue.write(({ orm }) => {
    const guilds = orm.select({ guildId: members.guildId }).from(members).where(eq(members.userId, appId)).all();
    const managed = orm.select().from(botRoles).where(eq(botRoles.botId, appId)).all();
    for (const r of managed) orm.delete(roles).where(eq(roles.id, r.roleId)).run();
    orm.delete(members).where(eq(members.userId, appId)).run();
    orm.delete(applications).where(and(eq(applications.id, appId), eq(applications.ownerId, ownerId))).run();
    orm.update(users).set({ deletedAt: new Date().toISOString() }).where(eq(users.id, appId)).run();
    return { guilds: guilds.map((g) => g.guildId), managed };
  });
  forgetApplication(core, appId);
  core.hub.disconnectUser(appId);
  core.hub.recheckAccess();
  for (const guildId of left.guilds) memberRemoved(core, guildId, appId);
  for (const r of left.managed) roleDeleted(core, r.guildId, r.roleId);
}
