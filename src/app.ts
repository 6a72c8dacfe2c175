// createApp(): the middleware order and every route mount, on one screen.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { assetRoutes } from "./assets/routes.ts";
import type { Config } from "./config.ts";
import type { DatabaseHandle } from "./db/client.ts";
import type { CommitQueue } from "./db/commit-queue.ts";
import { healthRoutes } from "./health/routes.ts";
import { homeRoutes } from "./home/routes.tsx";
import { accessLog } from "./http/access-log.ts";
import { sameOriginWrites } from "./http/csrf.ts";
import type { AppEnv } from "./http/env.ts";
import { onError, onNotFound } from "./http/errors.tsx";
import { securityHeaders } from "./http/security-headers.ts";
import type { Hub } from "./hub/hub.ts";
import { tooLarge } from "./lib/errors.ts";
import type { Logger } from "./lib/log.ts";

/** Largest body the JSON API and HTML forms accept (uploads get their own limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: DatabaseHandle;
  queue: CommitQueue;
  hub: Hub;
  isShuttingDown: () => boolean;
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const https = deps.config.publicUrl.startsWith("https:");

  app.use(requestId({ limitLength: 64 }));
  app.use(accessLog(deps.logger));
  app.use(securityHeaders({ https }));
  app.use(sameOriginWrites((own) => [own, deps.config.publicUrl]));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw tooLarge(`The request body is larger than the ${MAX_BODY_BYTES / 1024} KiB limit.`);
      },
    }),
  );

  app.route("/", healthRoutes(deps));
  app.route("/static", assetRoutes);
  app.route("/", homeRoutes({ readOrm: deps.db.readOrm }));

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
