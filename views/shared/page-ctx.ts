import type { User } from "../../src/auth/table.ts";
import type { Locale, Translate } from "../../src/i18n/index.ts";

/** What every full page needs to render: the reader's language and theme, who they are, the instance name. */
export interface PageCtx {
  t: Translate;
  locale: Locale;
  theme: "dark" | "light" | "system";
  user: User | null;
  instanceName: string;
  /** The admin's announcement banner (empty: none), shown by the app shell. */
  announcement?: string;
  /** The admin's logo (its hash: /icons/<hash>.webp), or "" for Pokynano's. */
  logo?: string;
  /** The admin's description of the instance, shown on the sign-in and registration pages. */
  description?: string;
}

/** Errors to show on a re-rendered form: one general message and per-field messages. */
export interface FormErrors {
  general?: string;
  fields?: Record<string, string>;
}
