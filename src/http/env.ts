import type { Auth } from "../auth/middleware.ts";
import type { Locale, Translate } from "../i18n/index.ts";
import type { Logger } from "../lib/log.ts";

/** What every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    auth: Auth | null;
    locale: Locale;
    t: Translate;
  };
}
