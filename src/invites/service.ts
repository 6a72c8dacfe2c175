// Server invites: created from a channel, with an expiry and a use limit; joining through one.
import { memberAdded } from "../members/events.ts";
import { auditInvite } from "../moderation/audit-hooks.ts";
import { and, eq, sql } from "drizzle-orm";
import { joinsPending } from "../moderation/screening.ts";
import { randomBytes } from "node:crypto";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { guildAccess, requireChannel, requireGuild } from "../guilds/access.ts";
import { memberCount } from "../guilds/service.ts";
import { channels, guilds, invites, members, type Channel, type Guild, type Invite } from "../guilds/table.ts";
import { ErrorCode } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { bannedError, isBanned } from "../members/service.ts";
import { Permission } from "../permissions/permissions.ts";
import { publicUser } from "../users/service.ts";

/** The expiry choices offered (seconds; 0 = never), as in Discord. */
export const INVITE_AGES = [1800, 3600, 21600, 43200, 86400, 604800, 0] as const;
export const INVITE_CODE = /^[A-Za-z0-9_-]{4,32}$/;

export const invalidInvite = () => keyedError(404, ErrorCode.unknownRoute, "invite.invalid");

export async function createInvite(core: Core, userId: string, channelId: string, opts: { maxAge: number; maxUses: number }): Promise<Invite> {
  const { channel, guild } = requireChannel(core, userId, channelId, Permission.CREATE_INSTANT_INVITE);
  if (!guild) throw invalidInvite();
  if (!(INVITE_AGES as readonly number[]).includes(opts.maxAge)) throw fieldError({ max_age: "error.invalidBody" });
  if (!Number.isInteger(opts.maxUses) || opts.maxUses < 0 || opts.maxUses > 100) throw fieldError({ max_uses: "error.invalidBody" });
  const now = new Date();
  const code = randomBytes(6).toString("base64url");
  const created = await core.queue.write(({ orm }) =>
    orm
      .insert(invites)
      .values({
        code,
        guildId: guild.guild.id,
        channelId: channel.id,
        inviterId: userId,
        createdAt: now.toISOString(),
        expiresAt: opts.maxAge ? new Date(now.getTime() + opts.maxAge * 1000).toISOString() : null,
        maxUses: opts.maxUses || null,
        uses: 0,
      })
      .returning()
      .get(),
  );
  await auditInvite(core, guild.guild.id, code, channel.id, true);
  return created;
}

const usable = (invite: Invite) => (!invite.expiresAt || invite.expiresAt > new Date().toISOString()) && (invite.maxUses === null || invite.uses < invite.maxUses);

export interface InviteView {
  invite: Invite;
  guild: Guild;
  channel: Channel;
  inviter: User | null;
  memberCount: number;
}

/** A usable invite with what its page shows, or null for an unknown, expired, used-up or revoked one. */
export function resolveInvite(core: Core, code: string): InviteView | null {
  if (!INVITE_CODE.test(code)) return null;
  const row = core.db.readOrm
    .select({ invite: invites, guild: guilds, channel: channels })
    .from(invites)
    .innerJoin(guilds, eq(guilds.id, invites.guildId))
    .innerJoin(channels, eq(channels.id, invites.channelId))
    .where(eq(invites.code, code))
    .get();
  if (!row || !usable(row.invite)) return null;
  const inviter = row.invite.inviterId ? (core.db.readOrm.select().from(users).where(eq(users.id, row.invite.inviterId)).get() ?? null) : null;
  return { ...row, inviter, memberCount: memberCount(core, row.guild.id) };
}

/** Join through an invite. Already a member: nothing changes. Banned: refused. */
export async function joinByInvite(core: Core, userId: string, code: string): Promise<Guild> {
  const view = resolveInvite(core, code);
  if (!view) throw invalidInvite();
  if (guildAccess(core, userId, view.guild.id)) return view.guild;
  if (isBanned(core, view.guild.id, userId)) throw bannedError();
  await core.queue.write(({ orm }) => {
    const fresh = orm.select().from(invites).where(eq(invites.code, code)).get();
    if (!fresh || !usable(fresh)) throw invalidInvite();
    orm.update(invites).set({ uses: sql`${invites.uses} + 1` }).where(eq(invites.code, code)).run();
    // With member screening on, a newcomer only reads until they accept the rules (moderation/screening.ts).
    orm.insert(members).values({ guildId: view.guild.id, userId, nick: null, joinedAt: new Date().toISOString(), pending: joinsPending(orm, view.guild.id) }).onConflictDoNothing().run();
  });
  // The newcomer's open gateway sessions and tabs start hearing the server (GUILD_CREATE, rail).
  core.hub.recheckAccess({ userId });
  memberAdded(core, view.guild.id, userId);
  return view.guild;
}

export function listInvites(core: Core, userId: string, guildId: string): InviteView[] {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  const codes = core.db.readOrm.select({ code: invites.code }).from(invites).where(eq(invites.guildId, guildId)).all();
  return codes.map((c) => resolveInvite(core, c.code)).filter((v): v is InviteView => v !== null);
}

/** Revoke: MANAGE_GUILD, or the person who made it. */
export async function revokeInvite(core: Core, userId: string, code: string): Promise<void> {
  const invite = INVITE_CODE.test(code) ? core.db.readOrm.select().from(invites).where(eq(invites.code, code)).get() : undefined;
  if (!invite) throw invalidInvite();
  const access = guildAccess(core, userId, invite.guildId);
  if (!access) throw invalidInvite();
  if (invite.inviterId !== userId) requireGuild(core, userId, invite.guildId, Permission.MANAGE_GUILD);
  await core.queue.write(({ orm }) => orm.delete(invites).where(and(eq(invites.code, code), eq(invites.guildId, invite.guildId))).run());
  await auditInvite(core, invite.guildId, code, invite.channelId, false);
}

export function inviteJson(v: InviteView) {
  const maxAge = v.invite.expiresAt ? Math.round((Date.parse(v.invite.expiresAt) - Date.parse(v.invite.createdAt)) / 1000) : 0;
  return {
    code: v.invite.code,
    guild: { id: v.guild.id, name: v.guild.name, icon: v.guild.icon, description: v.guild.description || null },
    channel: { id: v.channel.id, name: v.channel.name, type: v.channel.type },
    inviter: v.inviter ? publicUser(v.inviter) : null,
    uses: v.invite.uses,
    max_uses: v.invite.maxUses ?? 0,
    max_age: maxAge,
    temporary: false,
    created_at: v.invite.createdAt,
    expires_at: v.invite.expiresAt,
    approximate_member_count: v.memberCount,
  };
}
