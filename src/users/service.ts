// Users: creation, lookup and the public (Discord-shaped) view of a user.
import { eq, sql } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { hashPassword, passwordProblem } from "../auth/passwords.ts";
import { usernameKey, usernameProblem, cleanText } from "../auth/names.ts";
import type { Core } from "../core.ts";
import type { WriteContext } from "../db/commit-queue.ts";
import { ids } from "../db/snowflake.ts";
import { fieldError } from "../lib/field-error.ts";
import type { Locale } from "../i18n/index.ts";

export const DISPLAY_NAME_MAX = 32;

export function findUser(core: Core, id: string): User | undefined {
  return core.db.readOrm.select().from(users).where(eq(users.id, id)).get();
}

export function findUserByName(core: Core, name: string): User | undefined {
  return core.db.readOrm.select().from(users).where(eq(users.usernameKey, usernameKey(name))).get();
}

export function countUsers(core: Core): number {
  return Number(core.db.readOrm.select({ n: sql<bigint>`count(*)` }).from(users).get()!.n);
}

export function checkUsername(core: Core, username: string, exceptId?: string): void {
  const problem = usernameProblem(username);
  if (problem) throw fieldError({ username: problem });
  const existing = findUserByName(core, username);
  if (existing && existing.id !== exceptId) throw fieldError({ username: "username.taken" });
}

export function cleanDisplayName(raw: string | undefined | null): string | null {
  if (raw === undefined || raw === null) return null;
  const name = cleanText(raw);
  if ([...name].length > DISPLAY_NAME_MAX) throw fieldError({ display_name: "text.tooLong" }, { max: DISPLAY_NAME_MAX });
  return name === "" ? null : name;
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string | null;
  isAdmin?: boolean;
  locale?: Locale;
}

/** Runs inside the transaction that inserts the user (e.g. to spend an invite); may throw to cancel. */
export type BeforeInsert = (tx: WriteContext) => void;

export async function createUser(core: Core, input: NewUser, beforeInsert?: BeforeInsert): Promise<User> {
  checkUsername(core, input.username);
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw fieldError({ password: problem });
  const displayName = cleanDisplayName(input.displayName);
  const passwordHash = await hashPassword(input.password);
  const now = new Date().toISOString();
  const id = ids.nextString();
  return core.queue.write((tx) => {
    const { orm } = tx;
    // Checked again inside the transaction: two registrations racing for one name.
    if (orm.select({ id: users.id }).from(users).where(eq(users.usernameKey, usernameKey(input.username))).get()) {
      throw fieldError({ username: "username.taken" });
    }
    beforeInsert?.(tx);
    return orm
      .insert(users)
      .values({
        id,
        username: input.username,
        usernameKey: usernameKey(input.username),
        displayName,
        passwordHash,
        isAdmin: input.isAdmin ?? false,
        isBot: false,
        about: "",
        pronouns: "",
        status: "online",
        customStatus: "",
        theme: "system",
        locale: input.locale ?? "en",
        timeFormat: "24h",
        createdAt: now,
        passwordChangedAt: now,
      })
      .returning()
      .get();
  });
}

/** A user as the API shows it to anyone (Discord's user object). */
export function publicUser(user: User) {
  return {
    id: user.id,
    username: user.username,
    global_name: user.displayName,
    discriminator: "0",
    avatar: user.avatar,
    bot: user.isBot,
    system: false,
    public_flags: 0,
  };
}

/** The signed-in user's own view, with private settings. */
export function selfUser(user: User) {
  return {
    ...publicUser(user),
    mfa_enabled: user.totpSecret !== null,
    locale: user.locale,
    bio: user.about,
    pronouns: user.pronouns,
    status: user.status,
    custom_status: user.customStatus,
    theme: user.theme,
    time_format: user.timeFormat,
    accent_color: user.accent,
    message_density: user.density,
    font_size: user.fontSize,
    admin: user.isAdmin,
    created_at: user.createdAt,
  };
}

export const displayNameOf = (user: User) => user.displayName ?? user.username;
