import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { isLocale, localeFromHeader, translator, type Locale } from "../i18n/index.ts";
import type { AppEnv } from "./env.ts";

/** Remembers an anonymous visitor's language choice; a signed-in user's setting wins. */
export const LANG_COOKIE = "pokynano_lang";

/** The reader's language: their account setting, else the language cookie, else Accept-Language. */
export const chooseLocale: MiddlewareHandler<AppEnv> = async (c, next) => {
  const userLocale = c.get("auth")?.user.locale;
  const cookie = getCookie(c, LANG_COOKIE);
  const locale: Locale = isLocale(userLocale) ? userLocale : isLocale(cookie) ? cookie : localeFromHeader(c.req.header("Accept-Language"));
  c.set("locale", locale);
  c.set("t", translator(locale));
  await next();
};
