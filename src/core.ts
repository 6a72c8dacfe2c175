// What services need from the running server, passed explicitly (no globals): configuration,
// the database (read connection + commit queue), the hub (to publish and disconnect), the log.
import type { Config } from "./config.ts";
import type { DatabaseHandle } from "./db/client.ts";
import type { CommitQueue } from "./db/commit-queue.ts";
import type { Hub } from "./hub/hub.ts";
import type { RateLimiter } from "./lib/rate-limit.ts";
import type { Logger } from "./lib/log.ts";

export interface Core {
  config: Config;
  db: DatabaseHandle;
  queue: CommitQueue;
  hub: Hub;
  logger: Logger;
  limiter: RateLimiter;
}
