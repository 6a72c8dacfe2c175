// Who a person is: first-run setup, registration, login (with 2FA), password changes and resets.
import { eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { consumeInstanceInvite } from "../instance/invites.ts";
import { joinByInvite, resolveInvite } from "../invites/service.ts";
import { registrationMode, writeSetting, type RegistrationMode } from "../instance/service.ts";
import type { Locale } from "../i18n/index.ts";
import { AppError, ErrorCode, rateLimited } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { cleanText } from "./names.ts";
import { countUsers, createUser, findUser, findUserByName } from "../users/service.ts";
import { verifySecondFactor } from "./mfa.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { createSession, revokeAllSessions, type ClientInfo } from "./sessions.ts";
import { formatToken, newSecret, secretMatches, type ParsedToken } from "./tokens.ts";
import { passwordResets, users, type Session, type User } from "./table.ts";

const MINUTE = 60_000;
export const LIMITS = {
  loginPerIp: { max: 30, windowMs: 10 * MINUTE },
  // Per account *and* IP: an attacker elsewhere cannot lock a person out of their own account.
  loginPerAccountIp: { max: 10, windowMs: 10 * MINUTE },
  registerAttemptsPerIp: { max: 60, windowMs: 10 * MINUTE },
  // Accounts actually created from one address: what stops a script filling an open instance.
  accountsPerIp: { max: 10, windowMs: 60 * MINUTE },
  mfaPerIp: { max: 30, windowMs: 10 * MINUTE },
  resetPerIp: { max: 20, windowMs: 10 * MINUTE },
} as const;

function limit(core: Core, key: string, rule: { max: number; windowMs: number }): void {
  const decision = core.limiter.hit(key, rule);
  if (!decision.ok) throw rateLimited(decision.retryAfter);
}

export const invalidLogin = () => keyedError(401, ErrorCode.unauthorized, "login.invalid");

export function needsSetup(core: Core): boolean {
  return countUsers(core) === 0;
}

export interface SetupInput {
  instanceName: string;
  username: string;
  password: string;
  registration: RegistrationMode;
  locale?: Locale;
}

/** First run: name the instance and create its owner, who is the instance admin. */
export async function setupInstance(core: Core, input: SetupInput, client: ClientInfo): Promise<{ user: User; token: string }> {
  if (!needsSetup(core)) throw new AppError(404, ErrorCode.unknownRoute, "Not found.");
  const name = cleanText(input.instanceName).slice(0, 64);
  if (!name) throw fieldError({ instance_name: "text.tooLong" }, { max: 64 });
  const user = await createUser(core, { username: input.username, password: input.password, isAdmin: true, locale: input.locale }, ({ orm }) => {
    // Only the very first account may take this path, even if two setups race.
    if (orm.select({ id: users.id }).from(users).limit(1).get()) throw new AppError(404, ErrorCode.unknownRoute, "Not found.");
  });
  await writeSetting(core.queue, "instance_name", name);
  await writeSetting(core.queue, "registration_mode", input.registration);
  const { token } = await createSession(core, user.id, "browser", client);
  return { user, token };
}

export interface RegisterInput {
  username: string;
  password: string;
  displayName?: string | null;
  invite?: string | null;
  locale?: Locale;
}

export async function register(core: Core, input: RegisterInput, client: ClientInfo, kind: Session["kind"]): Promise<{ user: User; token: string }> {
  limit(core, `register:ip:${client.ip}`, LIMITS.registerAttemptsPerIp);
  const created = core.limiter.peek(`register:created:${client.ip}`, LIMITS.accountsPerIp);
  if (!created.ok) throw rateLimited(created.retryAfter);
  if (needsSetup(core)) throw keyedError(403, ErrorCode.forbidden, "register.closed");
  const mode = registrationMode(core.db.readOrm);
  if (mode === "closed") throw keyedError(403, ErrorCode.forbidden, "register.closed");
  const invite = input.invite?.trim();
  if (mode === "invite" && !invite) throw keyedError(403, ErrorCode.forbidden, "register.inviteNeeded");
  // A server invite also opens the door on an invite-only instance, and the new account joins that server.
  const guildInvite = invite ? resolveInvite(core, invite) : null;
  const user = await createUser(core, { username: input.username, password: input.password, displayName: input.displayName, locale: input.locale }, (tx) => {
    if (mode === "invite" && !guildInvite && !consumeInstanceInvite(tx, invite!)) throw fieldError({ invite: "register.inviteInvalid" });
  });
  if (guildInvite) await joinByInvite(core, user.id, guildInvite.invite.code).catch((err) => core.logger.warn("joining through the invite failed after registration", { err }));
  core.limiter.hit(`register:created:${client.ip}`, LIMITS.accountsPerIp);
  const { token } = await createSession(core, user.id, kind, client);
  return { user, token };
}

export interface LoginInput {
  login: string;
  password: string;
  code?: string | null;
}

/** Check username and password (uniform failure for unknown user and wrong password). */
export async function checkPassword(core: Core, input: LoginInput, client: ClientInfo): Promise<User> {
  limit(core, `login:ip:${client.ip}`, LIMITS.loginPerIp);
  const accountKey = `login:acct:${input.login.toLowerCase().slice(0, 64)}:${client.ip}`;
  limit(core, accountKey, LIMITS.loginPerAccountIp);
  const user = input.login.length <= 64 ? findUserByName(core, input.login) : undefined;
  // A bot never signs in, even if an admin tool gave it a password: it uses its bot token.
  const ok = await verifyPassword(user && !user.deletedAt && !user.isBot ? user.passwordHash : null, input.password.slice(0, 1024));
  if (!user || !ok) throw invalidLogin();
  if (user.deactivatedAt) throw keyedError(403, ErrorCode.forbidden, "login.deactivated");
  core.limiter.reset(accountKey);
  return user;
}

export async function checkSecondFactor(core: Core, user: User, code: string | null | undefined, client: ClientInfo): Promise<void> {
  if (!user.totpSecret) return;
  if (!code) throw keyedError(401, ErrorCode.mfaRequired, "login.mfaRequired");
  limit(core, `mfa:ip:${client.ip}`, LIMITS.mfaPerIp);
  limit(core, `mfa:user:${user.id}:${client.ip}`, LIMITS.loginPerAccountIp);
  if (!(await verifySecondFactor(core, user, code))) throw keyedError(401, ErrorCode.mfaInvalid, "login.mfaInvalid");
}

export async function login(core: Core, input: LoginInput, client: ClientInfo, kind: Session["kind"]): Promise<{ user: User; token: string }> {
  const user = await checkPassword(core, input, client);
  await checkSecondFactor(core, user, input.code, client);
  const { token } = await createSession(core, user.id, kind, client);
  return { user, token };
}

// Browser logins with 2FA happen in two steps; between them the password check is remembered
// under a random ticket for five minutes (in memory: a restart just means typing it again).
const tickets = new Map<string, { userId: string; expires: number; tries: number }>();
const TICKET_TTL_MS = 5 * MINUTE;

export function issueMfaTicket(userId: string): string {
  const now = Date.now();
  for (const [k, v] of tickets) if (v.expires < now) tickets.delete(k);
  const ticket = randomBytes(24).toString("base64url");
  tickets.set(ticket, { userId, expires: now + TICKET_TTL_MS, tries: 0 });
  return ticket;
}

export async function redeemMfaTicket(core: Core, ticket: string, code: string, client: ClientInfo): Promise<{ user: User; token: string }> {
  const entry = tickets.get(ticket);
  if (!entry || entry.expires < Date.now() || entry.tries >= 5) {
    tickets.delete(ticket);
    throw keyedError(401, ErrorCode.unauthorized, "login.mfaExpired");
  }
  entry.tries++;
  const user = findUser(core, entry.userId);
  if (!user || user.deactivatedAt || user.deletedAt) throw invalidLogin();
  await checkSecondFactor(core, user, code, client);
  tickets.delete(ticket);
  const { token } = await createSession(core, user.id, "browser", client);
  return { user, token };
}

function checkNewPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw fieldError({ new_password: problem });
}

/** Set a password and sign out every session except `keep`. */
export async function setPassword(core: Core, user: User, password: string, keep: string | null): Promise<void> {
  checkNewPassword(password, user.username);
  const passwordHash = await hashPassword(password);
  const now = new Date().toISOString();
  await core.queue.write(({ orm }) => orm.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, user.id)).run());
  await revokeAllSessions(core, user.id, keep);
}

export async function changePassword(core: Core, user: User, current: string, next: string, keep: string | null): Promise<void> {
  if (!(await verifyPassword(user.passwordHash, current))) throw keyedError(403, ErrorCode.forbidden, "password.wrong");
  await setPassword(core, user, next, keep);
}

export const RESET_TTL_MS = 24 * 3600 * 1000;

/** Admin-forced reset: the old password and every session stop working; a one-time link sets a new one. */
export async function forcePasswordReset(core: Core, userId: string, adminId: string | null): Promise<string> {
  const { secret, hash } = newSecret();
  const id = ids.nextString();
  const now = new Date();
  await core.queue.write(({ orm }) => {
    orm.update(users).set({ passwordHash: null }).where(eq(users.id, userId)).run();
    orm.delete(passwordResets).where(eq(passwordResets.userId, userId)).run();
    orm
      .insert(passwordResets)
      .values({ id, userId, secretHash: hash, createdBy: adminId, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + RESET_TTL_MS).toISOString() })
      .run();
  });
  await revokeAllSessions(core, userId, null);
  return `${core.config.publicUrl}/reset/${formatToken("reset", id, secret)}`;
}

/** The user a reset token is for, when it is valid, unused and unexpired. */
export function resetTarget(core: Core, token: ParsedToken | null): User | null {
  if (!token || token.kind !== "reset") return null;
  const row = core.db.readOrm.select().from(passwordResets).where(eq(passwordResets.id, token.id)).get();
  if (!row || row.usedAt || row.expiresAt <= new Date().toISOString() || !secretMatches(token.secret, row.secretHash)) return null;
  const user = findUser(core, row.userId);
  return user && !user.deletedAt ? user : null;
}

export async function completePasswordReset(core: Core, token: ParsedToken, password: string, client: ClientInfo): Promise<User> {
  limit(core, `reset:ip:${client.ip}`, LIMITS.resetPerIp);
  const user = resetTarget(core, token);
  if (!user) throw keyedError(404, ErrorCode.unknownRoute, "reset.invalid");
  checkNewPassword(password, user.username);
  await setPassword(core, user, password, null);
  await core.queue.write(({ orm }) => orm.update(passwordResets).set({ usedAt: new Date().toISOString() }).where(eq(passwordResets.id, token.id)).run());
  return user;
}
