// The end of an account's story: export (GDPR access) and deletion. Deletion keeps the row as a
// tombstone ("Deleted user") so anything that refers to the id keeps working, erases everything
// personal, and records whether the person asked for their messages to go too.
import { eq } from "drizzle-orm";
import { accessTokens, recoveryCodes, sessions, users, type User } from "../auth/table.ts";
import { DELETED_PREFIX } from "../auth/names.ts";
import { verifyPassword } from "../auth/passwords.ts";
import { listSessions } from "../auth/sessions.ts";
import { listAccessTokens, publicAccessToken } from "../auth/access-tokens.ts";
import type { Core } from "../core.ts";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { findUser, selfUser } from "./service.ts";

/** Sections other features add to the export (messages, uploads...), keyed by name. */
export type ExportSection = (core: Core, user: User) => unknown;
const exportSections = new Map<string, ExportSection>();
export function registerExportSection(name: string, section: ExportSection): void {
  exportSections.set(name, section);
}

export function exportUserData(core: Core, user: User) {
  const data: Record<string, unknown> = {
    format: "pokynano-export-1",
    exported_at: new Date().toISOString(),
    profile: selfUser(user),
    sessions: listSessions(core, user.id).map((s) => ({ id: s.id, device: s.device, ip: s.ip, created_at: s.createdAt, last_seen_at: s.lastSeenAt })),
    access_tokens: listAccessTokens(core, user.id).map(publicAccessToken),
  };
  for (const [name, section] of exportSections) data[name] = section(core, user);
  return data;
}

/** Erase the account. `byAdmin` skips the password check. */
export async function deleteAccount(core: Core, user: User, opts: { password?: string; removeMessages: boolean; byAdmin?: boolean }): Promise<void> {
  if (!opts.byAdmin && !(await verifyPassword(user.passwordHash, opts.password ?? ""))) {
    throw keyedError(403, ErrorCode.forbidden, "password.wrong");
  }
  const name = `${DELETED_PREFIX}${user.id}`.slice(0, 32);
  await core.queue.write(({ orm }) => {
    orm.delete(sessions).where(eq(sessions.userId, user.id)).run();
    orm.delete(accessTokens).where(eq(accessTokens.userId, user.id)).run();
    orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).run();
    orm
      .update(users)
      .set({
        username: name,
        usernameKey: name,
        displayName: "Deleted user",
        passwordHash: null,
        isAdmin: false,
        avatar: null,
        about: "",
        pronouns: "",
        customStatus: "",
        status: "invisible",
        totpSecret: null,
        totpPendingSecret: null,
        deletedAt: new Date().toISOString(),
        deleteMessages: opts.removeMessages,
      })
      .where(eq(users.id, user.id))
      .run();
  });
  core.hub.disconnectUser(user.id);
}

export async function setDeactivated(core: Core, userId: string, deactivated: boolean): Promise<User | undefined> {
  await core.queue.write(({ orm }) => {
    orm.update(users).set({ deactivatedAt: deactivated ? new Date().toISOString() : null }).where(eq(users.id, userId)).run();
    // Deactivation signs the person out everywhere; reactivation does not sign anyone in.
    if (deactivated) orm.delete(sessions).where(eq(sessions.userId, userId)).run();
  });
  if (deactivated) core.hub.disconnectUser(userId);
  return findUser(core, userId);
}
