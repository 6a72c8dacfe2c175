// Every user-facing string goes through t(). Catalogs live in this folder, one per language.
import { en, type MessageKey } from "./en.ts";
import { fr } from "./fr.ts";

export type { MessageKey };
export const LOCALES = { en: "English", fr: "Français" } as const;
export type Locale = keyof typeof LOCALES;
const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && Object.hasOwn(LOCALES, value);
}

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => {
    const text = catalog[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

/** The best supported language from an Accept-Language header, else English. */
export function localeFromHeader(header: string | undefined): Locale {
  if (!header) return "en";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, q] = part.trim().split(";q=");
      return { lang: (tag ?? "").slice(0, 2).toLowerCase(), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.find((r) => isLocale(r.lang))?.lang as Locale | undefined ?? "en";
}
