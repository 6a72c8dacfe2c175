// Personal access tokens for scripts: scoped (read, write, admin), shown once, stored hashed,
// revocable. A token is the user acting through a script, limited to its scopes.
import { and, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { cleanText } from "./names.ts";
import { fieldError } from "../lib/field-error.ts";
import { conflict } from "../lib/errors.ts";
import { formatToken, newSecret, secretMatches, type ParsedToken } from "./tokens.ts";
import { accessTokens, users, type AccessToken, type User } from "./table.ts";

export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
const MAX_TOKENS_PER_USER = 50;

export const parseScopes = (stored: string): Scope[] => stored.split(" ").filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));

export async function createAccessToken(core: Core, user: User, input: { name: string; scopes: Scope[] }): Promise<{ token: string; row: AccessToken }> {
  const name = cleanText(input.name).slice(0, 64) || "token";
  const scopes = [...new Set(input.scopes)].filter((s) => s !== "admin" || user.isAdmin);
  if (scopes.length === 0) throw fieldError({ scopes: "tokens.scopeNeeded" });
  const { secret, hash } = newSecret();
  const id = ids.nextString();
  const row = await core.queue.write(({ orm }) => {
    if (orm.select({ id: accessTokens.id }).from(accessTokens).where(eq(accessTokens.userId, user.id)).all().length >= MAX_TOKENS_PER_USER) {
      throw conflict(`You already have ${MAX_TOKENS_PER_USER} tokens; revoke one first.`);
    }
    return orm
      .insert(accessTokens)
      .values({ id, userId: user.id, name, secretHash: hash, scopes: scopes.join(" "), createdAt: new Date().toISOString() })
      .returning()
      .get();
  });
  return { token: formatToken("access", id, secret), row };
}

export function listAccessTokens(core: Core, userId: string): AccessToken[] {
  return core.db.readOrm.select().from(accessTokens).where(eq(accessTokens.userId, userId)).orderBy(accessTokens.id).all();
}

export async function revokeAccessToken(core: Core, userId: string, tokenId: string): Promise<boolean> {
  const gone = await core.queue.write(({ orm }) =>
    orm.delete(accessTokens).where(and(eq(accessTokens.id, tokenId), eq(accessTokens.userId, userId))).returning({ id: accessTokens.id }).all(),
  );
  return gone.length > 0;
}

export function resolveAccessToken(core: Core, token: ParsedToken): { row: AccessToken; user: User } | null {
  if (token.kind !== "access") return null;
  const found = core.db.readOrm.select().from(accessTokens).innerJoin(users, eq(users.id, accessTokens.userId)).where(eq(accessTokens.id, token.id)).get();
  if (!found || !secretMatches(token.secret, found.access_tokens.secretHash)) return null;
  const { access_tokens: row, users: user } = found;
  if (user.deactivatedAt || user.deletedAt) return null;
  const today = new Date().toISOString().slice(0, 10);
  if (row.lastUsedAt?.slice(0, 10) !== today) {
    core.queue.write(({ orm }) => orm.update(accessTokens).set({ lastUsedAt: new Date().toISOString() }).where(eq(accessTokens.id, row.id)).run()).catch(() => {});
  }
  return { row, user };
}

export const publicAccessToken = (row: AccessToken) => ({
  id: row.id,
  name: row.name,
  scopes: parseScopes(row.scopes),
  created_at: row.createdAt,
  last_used_at: row.lastUsedAt,
});
