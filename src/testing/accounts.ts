// Accounts for tests, made through the real services (the same code the pages and API call).
import { createSession } from "../auth/sessions.ts";
import type { User } from "../auth/table.ts";
import { createUser } from "../users/service.ts";
import type { TestApp } from "./app.ts";

export interface TestAccount {
  user: User;
  password: string;
  /** A browser session token. */
  token: string;
  /** `Cookie` header value for that session. */
  cookie: string;
  /** Headers to call the API as this user with a bearer session token. */
  bearer: { Authorization: string };
}

let counter = 0;

export async function createAccount(app: TestApp, opts: { username?: string; admin?: boolean; password?: string; displayName?: string } = {}): Promise<TestAccount> {
  const core = app.server.core;
  const password = opts.password ?? "correct horse battery staple";
  const user = await createUser(core, { username: opts.username ?? `user${++counter}_${Date.now() % 100000}`, password, isAdmin: opts.admin, displayName: opts.displayName });
  const { token } = await createSession(core, user.id, "browser", { ip: "127.0.0.1", userAgent: "bun test" });
  return { user, password, token, cookie: `pokynano_session=${token}`, bearer: { Authorization: `Bearer ${token}` } };
}

/** POST a urlencoded form the way a browser on our own origin does. */
export function postForm(app: TestApp, path: string, fields: Record<string, string | string[]>, cookie?: string): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return app.fetch(path, {
    method: "POST",
    headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}

/** JSON to the API, with optional headers (a bearer token). */
export function api(app: TestApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.fetch(`/api/v10${path}`, {
    method,
    headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookieFrom(res: Response): string | null {
  for (const line of res.headers.getSetCookie()) {
    const m = /^((?:__Host-)?pokynano_session)=([^;]+)/.exec(line);
    if (m && m[2]) return `${m[1]}=${m[2]}`;
  }
  return null;
}
