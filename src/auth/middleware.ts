// Who is asking. Every request passes through `authenticate`: a bearer token (session or personal
// access token), a bot token (`Authorization: Bot …`) or the session cookie becomes `c.var.auth`. A malformed, unknown, revoked or
// expired bearer token is a 401 at once; a stale cookie is dropped and the visitor is anonymous.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { parseScopes, resolveAccessToken, SCOPES, type Scope } from "./access-tokens.ts";
import { resolveSession, SESSION_TTL_MS } from "./sessions.ts";
import type { User } from "./table.ts";
import { parseToken } from "./tokens.ts";
import { resolveBotToken } from "../bots/service.ts";

export interface Auth {
  user: User;
  /** The session behind the request (cookie or bearer session token); null for an access token. */
  sessionId: string | null;
  via: "cookie" | "session-token" | "access-token" | "bot-token";
  /** The personal access token behind the request, if that is how it authenticated. */
  tokenId: string | null;
  scopes: ReadonlySet<Scope>;
}

export const cookieName = (core: Core) => (core.config.publicUrl.startsWith("https:") ? "__Host-pokynano_session" : "pokynano_session");

export function setSessionCookie(c: Context, core: Core, token: string): void {
  setCookie(c, cookieName(core), token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: core.config.publicUrl.startsWith("https:"),
    path: "/",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: Context, core: Core): void {
  deleteCookie(c, cookieName(core), { path: "/", secure: core.config.publicUrl.startsWith("https:") });
}

const invalidToken = () => keyedError(401, ErrorCode.unauthorized, "error.invalidToken");

const sessionScopes = (user: User): Set<Scope> => new Set(SCOPES.filter((s) => s !== "admin" || user.isAdmin));

export function authenticate(core: Core): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("auth", null);
    const header = c.req.header("Authorization");
    if (header !== undefined) {
      const match = /^(Bearer|Bot) +(\S+)$/i.exec(header.trim());
      if (!match) throw invalidToken();
      const token = parseToken(match[2]);
      // The scheme must match the token: `Bot pkb.…` for bots, `Bearer` for everything else.
      if ((match[1]!.toLowerCase() === "bot") !== (token?.kind === "bot")) throw invalidToken();
      if (token?.kind === "bot") {
        const found = resolveBotToken(core, token);
        if (!found) throw invalidToken();
        c.set("auth", { user: found.bot, sessionId: null, via: "bot-token", tokenId: null, scopes: new Set<Scope>(["read", "write"]) });
      } else if (token?.kind === "session") {
        const found = resolveSession(core, token);
        if (!found) throw invalidToken();
        c.set("auth", { user: found.user, sessionId: found.session.id, via: "session-token", tokenId: null, scopes: sessionScopes(found.user) });
      } else if (token?.kind === "access") {
        const found = resolveAccessToken(core, token);
        if (!found) throw invalidToken();
        const scopes = new Set(parseScopes(found.row.scopes).filter((s) => s !== "admin" || found.user.isAdmin));
        c.set("auth", { user: found.user, sessionId: null, via: "access-token", tokenId: found.row.id, scopes });
      } else {
        throw invalidToken();
      }
    } else {
      const raw = getCookie(c, cookieName(core));
      if (raw !== undefined) {
        const token = parseToken(raw);
        const found = token ? resolveSession(core, token) : null;
        if (found) c.set("auth", { user: found.user, sessionId: found.session.id, via: "cookie", tokenId: null, scopes: sessionScopes(found.user) });
        else clearSessionCookie(c, core);
      }
    }
    await next();
  };
}

/** The signed-in session behind a WebSocket upgrade (the cookie is all a browser sends), or null. */
export function sessionFromCookieHeader(core: Core, cookieHeader: string | null): { userId: string; sessionId: string } | null {
  if (!cookieHeader) return null;
  const name = cookieName(core);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const token = parseToken(decodeURIComponent(part.slice(eq + 1).trim()));
    const found = token ? resolveSession(core, token) : null;
    return found ? { userId: found.user.id, sessionId: found.session.id } : null;
  }
  return null;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** API routes behind this need a signed-in user; unsafe methods also need the write scope. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get("auth");
  if (!auth) throw keyedError(401, ErrorCode.unauthorized, "error.unauthorized");
  if (!SAFE.has(c.req.method) && !auth.scopes.has("write")) throw keyedError(403, ErrorCode.forbidden, "error.readOnlyToken");
  await next();
};

/** Instance administration: an admin, and for a token the admin scope. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get("auth");
  if (!auth) throw keyedError(401, ErrorCode.unauthorized, "error.unauthorized");
  if (!auth.user.isAdmin || !auth.scopes.has("admin")) throw keyedError(403, ErrorCode.forbidden, "error.adminScope");
  await next();
};

/** The signed-in user, for handlers behind requireUser / requireAdmin. */
export function currentAuth(c: Context<AppEnv>): Auth {
  const auth = c.get("auth");
  if (!auth) throw keyedError(401, ErrorCode.unauthorized, "error.unauthorized");
  return auth;
}
