// Applications and their bot accounts: a user creates an application, which makes a bot user
// (users.is_bot, no password, so it can never sign in to the web UI) and a bot token shown once.
import { and, eq, sql } from "drizzle-orm";
import { cleanText, usernameKey, usernameProblem } from "../auth/names.ts";
import { users, type User } from "../auth/table.ts";
import { formatToken, newSecret, secretMatches, type ParsedToken } from "../auth/tokens.ts";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { AppError, conflict, ErrorCode } from "../lib/errors.ts";
import { fieldError } from "../lib/field-error.ts";
import { publicUser } from "../users/service.ts";
import { applications, type Application } from "./table.ts";

export const MAX_APPLICATIONS_PER_USER = 25;
export const NAME_MAX = 32;
export const DESCRIPTION_MAX = 400;

export const unknownApplication = () => new AppError(404, ErrorCode.unknownRoute, "Unknown application.", { key: "error.notFound" });

export function cleanAppName(raw: string): string {
  const name = cleanText(raw);
  if ([...name].length < 2 || [...name].length > NAME_MAX) throw fieldError({ name: "bots.nameLength" }, { max: NAME_MAX });
  return name;
}

export function cleanAppDescription(raw: string | undefined): string {
  const text = cleanText(raw ?? "", { multiline: true });
  if ([...text].length > DESCRIPTION_MAX) throw fieldError({ description: "text.tooLong" }, { max: DESCRIPTION_MAX });
  return text;
}

/** A free username from the application's name: "Weather Bot" -> "Weather_Bot", then "Weather_Bot_2", ... */
function freeUsername(core: Core, name: string): string {
  let base = name.normalize("NFKD").replace(/[^A-Za-z0-9_.]+/g, "_").replace(/\.{2,}/g, ".").replace(/^[._]+|[._]+$/g, "").slice(0, 26);
  if (base.length < 2 || usernameProblem(base)) base = "bot";
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}_${n}`;
    if (usernameProblem(candidate)) continue;
    if (!core.db.readOrm.select({ id: users.id }).from(users).where(eq(users.usernameKey, usernameKey(candidate))).get()) return candidate;
  }
}

export async function createApplication(core: Core, owner: User, input: { name: string; description?: string }): Promise<{ app: Application; bot: User; token: string }> {
  if (owner.isBot) throw new AppError(403, ErrorCode.forbidden, "Bots cannot create applications.", { key: "error.forbidden" });
  const name = cleanAppName(input.name);
  const description = cleanAppDescription(input.description);
  const { secret, hash } = newSecret();
  const id = ids.nextString();
  const now = new Date().toISOString();
  const result = await core.queue.write(({ orm }) => {
    const owned = orm.select({ n: sql<bigint>`count(*)` }).from(applications).where(eq(applications.ownerId, owner.id)).get()!.n;
    if (Number(owned) >= MAX_APPLICATIONS_PER_USER) throw conflict(`You already have ${MAX_APPLICATIONS_PER_USER} applications; delete one first.`);
    // Picked inside the transaction: two applications with the same name cannot take one username.
    const username = freeUsername(core, name);
    const bot = orm
      .insert(users)
      .values({ id, username, usernameKey: usernameKey(username), displayName: name, passwordHash: null, isAdmin: false, isBot: true, about: description, pronouns: "", status: "online", customStatus: "", theme: "system", locale: "en", timeFormat: "24h", createdAt: now, passwordChangedAt: now })
      .returning()
      .get();
    const app = orm.insert(applications).values({ id, ownerId: owner.id, name, description, tokenHash: hash, tokenResetAt: now, createdAt: now }).returning().get();
    return { app, bot };
  });
  return { ...result, token: formatToken("bot", id, secret) };
}

export function listApplications(core: Core, ownerId: string): { app: Application; bot: User }[] {
  return core.db.readOrm.select({ app: applications, bot: users }).from(applications).innerJoin(users, eq(users.id, applications.id)).where(eq(applications.ownerId, ownerId)).orderBy(applications.id).all();
}

/** An application by id, as its owner sees it (404 for anyone else). */
export function ownedApplication(core: Core, ownerId: string, appId: string): { app: Application; bot: User } {
  const found = core.db.readOrm.select({ app: applications, bot: users }).from(applications).innerJoin(users, eq(users.id, applications.id)).where(and(eq(applications.id, appId), eq(applications.ownerId, ownerId))).get();
  if (!found) throw unknownApplication();
  return found;
}

/** Any application by id (the invite page shows its name to whoever follows the link). */
export function findApplication(core: Core, appId: string): { app: Application; bot: User } | null {
  return core.db.readOrm.select({ app: applications, bot: users }).from(applications).innerJoin(users, eq(users.id, applications.id)).where(eq(applications.id, appId)).get() ?? null;
}

export async function updateApplication(core: Core, ownerId: string, appId: string, patch: { name?: string; description?: string }): Promise<{ app: Application; bot: User }> {
  ownedApplication(core, ownerId, appId);
  const name = patch.name === undefined ? undefined : cleanAppName(patch.name);
  const description = patch.description === undefined ? undefined : cleanAppDescription(patch.description);
  if (name === undefined && description === undefined) return ownedApplication(core, ownerId, appId);
  await core.queue.write(({ orm }) => {
    orm.update(applications).set({ ...(name !== undefined && { name }), ...(description !== undefined && { description }) }).where(eq(applications.id, appId)).run();
    orm.update(users).set({ ...(name !== undefined && { displayName: name }), ...(description !== undefined && { about: description }) }).where(eq(users.id, appId)).run();
  });
  return ownedApplication(core, ownerId, appId);
}

/** A new bot token; the old one stops working on its next request, and its gateway sessions close. */
export async function resetBotToken(core: Core, ownerId: string, appId: string): Promise<string> {
  ownedApplication(core, ownerId, appId);
  const { secret, hash } = newSecret();
  await core.queue.write(({ orm }) => orm.update(applications).set({ tokenHash: hash, tokenResetAt: new Date().toISOString() }).where(eq(applications.id, appId)).run());
  core.hub.disconnectUser(appId);
  return formatToken("bot", appId, secret);
}

/** The bot behind a `pkb.` token, or null (unknown, reset, or its owner deactivated). */
export function resolveBotToken(core: Core, token: ParsedToken): { app: Application; bot: User } | null {
  if (token.kind !== "bot") return null;
  const found = findApplication(core, token.id);
  if (!found || !secretMatches(token.secret, found.app.tokenHash)) return null;
  if (found.bot.deactivatedAt || found.bot.deletedAt) return null;
  return found;
}

/** Discord's application object, as its owner sees it. */
export function applicationJson(app: Application, bot: User) {
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    icon: bot.avatar,
    bot_public: false,
    bot_require_code_grant: false,
    flags: 0,
    owner_id: app.ownerId,
    created_at: app.createdAt,
    bot: publicUser(bot),
  };
}
