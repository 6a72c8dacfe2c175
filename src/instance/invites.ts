// Instance invite links: let someone register on an invite-only instance.
import { eq, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Core } from "../core.ts";
import type { WriteContext } from "../db/commit-queue.ts";
import { instanceInvites } from "../auth/table.ts";

export type InstanceInvite = typeof instanceInvites.$inferSelect;

export async function createInstanceInvite(core: Core, createdBy: string, opts: { maxUses?: number | null; maxAgeSeconds?: number | null } = {}): Promise<InstanceInvite> {
  const code = randomBytes(9).toString("base64url");
  const now = new Date();
  const expiresAt = opts.maxAgeSeconds ? new Date(now.getTime() + opts.maxAgeSeconds * 1000).toISOString() : null;
  return core.queue.write(({ orm }) =>
    orm.insert(instanceInvites).values({ code, createdBy, createdAt: now.toISOString(), expiresAt, maxUses: opts.maxUses ?? null, uses: 0 }).returning().get(),
  );
}

export function listInstanceInvites(core: Core): InstanceInvite[] {
  return core.db.readOrm.select().from(instanceInvites).orderBy(instanceInvites.createdAt).all();
}

export async function deleteInstanceInvite(core: Core, code: string): Promise<void> {
  await core.queue.write(({ orm }) => orm.delete(instanceInvites).where(eq(instanceInvites.code, code)).run());
}

/** Inside a write: use one slot of the invite; false when it does not exist, expired or is used up. */
export function consumeInstanceInvite({ orm }: WriteContext, code: string): boolean {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return false;
  const invite = orm.select().from(instanceInvites).where(eq(instanceInvites.code, code)).get();
  if (!invite) return false;
  if (invite.expiresAt && invite.expiresAt <= new Date().toISOString()) return false;
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return false;
  orm.update(instanceInvites).set({ uses: sql`${instanceInvites.uses} + 1` }).where(eq(instanceInvites.code, code)).run();
  return true;
}
