// Where bots may go, as on Discord: a bot token works on the REST surface bots use, never on the
// web UI or a person's own settings (sessions, tokens, password, export, blocks), and cannot
// accept invites, create servers, administer the instance or make applications. A person's
// token cannot use what only bots use (GET /gateway/bot, /applications/@me).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { keyedError } from "../lib/field-error.ts";

/** Discord's codes: 20001 "Bots cannot use this endpoint", 20002 "Only bots can use this endpoint". */
export const BotErrorCode = { userOnly: 20001, botOnly: 20002 } as const;

type Rule = [method: string, path: RegExp];
const API = "/api/v10";

/** Routes a bot token may not use (method "*" = any). */
export const USER_ONLY: readonly Rule[] = [
  ["*", /^\/auth(\/|$)/],
  ["*", /^\/users\/@me\/(sessions|tokens|password|export|blocks|settings)(\/|$)/],
  ["DELETE", /^\/users\/@me$/],
  ["POST", /^\/guilds$/],
  ["POST", /^\/invites\/[^/]+$/],
  ["*", /^\/admin(\/|$)/],
  // A bot manages its own commands (applications/{id}/commands, .../guilds/{id}/commands), nothing else.
  ["*", /^\/applications(\/\d+(?!\d)(?!\/(commands|guilds)(\/|$)).*)?$/],
  ["*", /^\/oauth2\/authorize$/],
];

/** Routes only a bot token may use. */
export const BOT_ONLY: readonly Rule[] = [
  ["GET", /^\/gateway\/bot$/],
  ["*", /^\/applications\/@me$/],
  ["GET", /^\/oauth2\/applications\/@me$/],
];

const matches = (rules: readonly Rule[], method: string, path: string) => rules.some(([m, re]) => (m === "*" || m === method) && re.test(path));

export const routeBoundaries: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get("auth");
  const path = c.req.path;
  const api = path.startsWith(`${API}/`) ? path.slice(API.length) : null;
  if (auth?.via === "bot-token") {
    // The web UI is for people: a bot token on a page is refused rather than shown a page.
    if (api === null) throw keyedError(403, BotErrorCode.userOnly, "bots.noWebUi");
    if (matches(USER_ONLY, c.req.method, api)) throw keyedError(403, BotErrorCode.userOnly, "bots.userOnly");
  } else if (api !== null && matches(BOT_ONLY, c.req.method, api)) {
    throw keyedError(auth ? 403 : 401, BotErrorCode.botOnly, "bots.botOnly");
  }
  await next();
};
