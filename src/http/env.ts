import type { Logger } from "../lib/log.ts";

/** What every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
  };
}
