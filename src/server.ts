// Boot order: data dir -> database (pragmas, version, integrity) -> migrations -> assets ->
// listen. Nothing listens before the schema is current, so /healthz answering means ready.
import type { Server } from "bun";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "./app.ts";
import { loadAssets } from "./assets/registry.ts";
import type { Config } from "./config.ts";
import { databaseSize, openDatabase, QUICK_CHECK_INLINE_LIMIT, quickCheck, StartupError, type DatabaseHandle } from "./db/client.ts";
import { CommitQueue } from "./db/commit-queue.ts";
import { migrate, parseMigrations } from "./db/migrate.ts";
import { migrationFiles } from "./generated/embedded.ts";
import { Hub, type SocketData } from "./hub/hub.ts";
import { Gateway } from "./hub/gateway.ts";
import { gatewayAuthority } from "./gateway/authority.ts";
import { channelAccess, guildAccess } from "./guilds/access.ts";
import { browserTopics, browserView, browserWelcome, refreshFragment } from "./gateway/browser.ts";
import { announcePresence } from "./presence/service.ts";
import type { Logger } from "./lib/log.ts";
import { RateLimiter } from "./lib/rate-limit.ts";
import { sessionFromCookieHeader } from "./auth/middleware.ts";
import { sweepRevokedSockets } from "./auth/sessions.ts";
import { startThreadSweep } from "./threads/sweep.ts";
import { startFileSweep } from "./files/sweep.ts";
import { startAuditPrune } from "./moderation/audit.ts";
import { FILE_SIZE_CEILING } from "./files/limits.ts";
import type { Core } from "./core.ts";
import { voiceClosed, voiceFrame } from "./voice/signal.ts";
import { recheck as recheckVoice, stopVoice, voiceOf } from "./voice/service.ts";
import { backupBeforeMigrating } from "./backup/pre-migrate.ts";
import { startOperations } from "./ops/start.ts";
import { startSubscriptions } from "./subscriptions/deliver.ts";
import { startSearchIndexing } from "./search/indexing.ts";

export const PID_FILE = "pokynano.pid";
/** Largest request body Bun will read at all; routes set tighter limits. */
const MAX_REQUEST_BODY = FILE_SIZE_CEILING + 2 * 1024 * 1024;
const STOP_GRACE_MS = 5000;
const SWEEP_EVERY_MS = 2000;

export interface RunningServer {
  url: string;
  port: number;
  db: DatabaseHandle;
  queue: CommitQueue;
  hub: Hub;
  core: Core;
  server: Server<SocketData>;
  stop(): Promise<void>;
}

export const embeddedMigrations = () => parseMigrations(migrationFiles);

/** One server per data dir: two would not corrupt SQLite (it locks) but would split the hub and the pid file. */
const claimedInThisProcess = new Set<string>();

function claimDataDir(dataDir: string): string {
  const path = join(dataDir, PID_FILE);
  const holder = claimedInThisProcess.has(path) ? process.pid : dataDirInUse(dataDir);
  if (holder !== null && (holder !== process.pid || claimedInThisProcess.has(path))) {
    throw new StartupError(`another Pokynano (pid ${holder}) is already using ${dataDir}; stop it first or choose another --data-dir (if none is running, delete ${path})`);
  }
  writeFileSync(path, `${process.pid}\n`);
  claimedInThisProcess.add(path);
  return path;
}

function releaseDataDir(path: string): void {
  claimedInThisProcess.delete(path);
  rmSync(path, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when a server process holds the data dir (used by restore). */
export function dataDirInUse(dataDir: string): number | null {
  const path = join(dataDir, PID_FILE);
  if (!existsSync(path)) return null;
  const pid = Number(readFileSync(path, "utf8").trim());
  return pid > 0 && isAlive(pid) ? pid : null;
}

function allowedOrigin(origin: string | null, req: Request, config: Config): boolean {
  if (origin === null) return true; // not a browser: it must still authenticate
  const own = new URL(req.url).origin;
  return origin === own || origin === config.publicUrl;
}

function listen<T>(config: Config, start: () => T): T {
  try {
    return start();
  } catch (err) {
    const why = (err as Error).message.includes("in use") ? "the port is in use (is another server running?)" : (err as Error).message;
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${why}. Choose another --port or --host.`);
  }
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const db = openDatabase(config.dataDir);
  let pidFile: string | undefined;
  try {
    const large = databaseSize(db.path) > QUICK_CHECK_INLINE_LIMIT;
    if (!large) quickCheck(db.writer, db.path);
    const preMigrate = backupBeforeMigrating(config.dataDir, db.writer, embeddedMigrations());
    if (preMigrate) logger.info("database backed up before migrating", { path: preMigrate });
    const applied = migrate(db.writer, embeddedMigrations());
    if (applied.length) logger.info("migrations applied", { ids: applied });
    const assets = await loadAssets();
    logger.debug("static assets loaded", assets);
    pidFile = claimDataDir(config.dataDir);

    let shuttingDown = false;
    const queue = new CommitQueue({ sqlite: db.writer, orm: db.writeOrm });
    queue.onHookError = (err) => logger.error("search indexing failed; it is tried again with the next commit", { err });
    await startSearchIndexing(queue);
    const hub = new Hub();
    const core: Core = { config, logger, db, queue, hub, limiter: new RateLimiter() };
    const app = createApp(core, () => shuttingDown);
    hub.accessCheck = (userId, topic) => {
      const m = /^(?:html|json):(channel|guild|sidebar|rail):(\d{1,20})(?::[a-z]{2})?$/.exec(topic);
      if (!m) return true;
      return m[1] === "channel" || m[1] === "sidebar" ? channelAccess(core, userId, m[2]!) !== null : guildAccess(core, userId, m[2]!) !== null;
    };
    hub.browserTopics = (data) => browserTopics(core, data);
    hub.refreshFragment = refreshFragment;
    hub.welcome = (data) => browserWelcome(core, data);
    hub.onPresence = (userId) => announcePresence(core, userId);
    hub.voiceFrame = (ws, text) => void voiceFrame(voiceOf(core), ws, text);
    hub.voiceClosed = (ws) => voiceClosed(voiceOf(core), ws);
    hub.onRecheck = (scope) => recheckVoice(voiceOf(core), scope);
    hub.gateway = new Gateway(gatewayAuthority(core), (topic, data) => hub.publish(topic, data), () => config.publicUrl.replace(/^http/, "ws") + "/gateway");

    const server = listen(config, () => Bun.serve<SocketData>({
      port: config.port,
      hostname: config.host,
      maxRequestBodySize: MAX_REQUEST_BODY,
      idleTimeout: 30,
      fetch(req, srv) {
        const url = new URL(req.url);
        if (url.pathname === "/ws") {
          // Bun accepts any Origin by default: a page on another site must not ride our cookies.
          if (!allowedOrigin(req.headers.get("Origin"), req, config)) return new Response("cross-origin WebSocket refused", { status: 403 });
          if (shuttingDown) return new Response("shutting down", { status: 503 });
          const session = sessionFromCookieHeader(core, req.headers.get("Cookie"));
          if (!session) return new Response("log in first", { status: 401 });
          // A tab subscribes to what it shows (its channel, its server's list and member pane, its
          // rail); every subscription is authorized like the page.
          const view = browserView(core, session.userId, url, req);
          if (!view) return new Response("unknown channel", { status: 404 });
          const data: SocketData = { connectionId: crypto.randomUUID(), userId: session.userId, sessionId: session.sessionId, topics: [], kind: "browser", view };
          data.topics = browserTopics(core, data);
          const ok = srv.upgrade(req, { data });
          return ok ? undefined : new Response("expected a WebSocket upgrade", { status: 426 });
        }
        if (url.pathname === "/gateway") {
          // The JSON gateway authenticates with IDENTIFY, not cookies; a browser page on another
          // site still may not open it.
          if (!allowedOrigin(req.headers.get("Origin"), req, config)) return new Response("cross-origin WebSocket refused", { status: 403 });
          if (shuttingDown) return new Response("shutting down", { status: 503 });
          const ok = srv.upgrade(req, { data: { connectionId: crypto.randomUUID(), userId: null, sessionId: null, topics: [], kind: "gateway" } });
          return ok ? undefined : new Response("expected a WebSocket upgrade", { status: 426 });
        }
        return app.fetch(req, srv);
      },
      websocket: hub.handler,
      error(err) {
        logger.error("server error", { err });
        return new Response("internal error", { status: 500 });
      },
    }));

    hub.attach(server);

    if (large) {
      // A big instance starts serving at once; the check runs right after and is loud if it fails.
      setTimeout(() => {
        try {
          quickCheck(db.reader, db.path);
        } catch (err) {
          logger.error("database integrity check failed", { err });
        }
      }, 0);
    }

    // Every 2 s, so a session ended by another process closes its sockets well within 5 s.
    const sweep = setInterval(() => {
      try {
        sweepRevokedSockets(core);
      } catch (err) {
        logger.warn("session sweep failed", { err });
      }
    }, SWEEP_EVERY_MS);

    const stopThreadSweep = startThreadSweep(core);
    const stopFileSweep = startFileSweep(core);
    const stopAuditPrune = startAuditPrune(core);
    const stopOperations = startOperations(core);
    const stopSubscriptions = startSubscriptions(core);

    const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${server.port}`;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        shuttingDown = true;
        clearInterval(sweep);
        stopThreadSweep();
        stopFileSweep();
        stopSubscriptions();
        stopAuditPrune();
        await stopOperations();
        await stopVoice(core).catch((err) => logger.warn("voice shutdown failed", { err }));
        const closing = server.stop(false);
        hub.stop();
        await queue.close();
        const timedOut = await Promise.race([closing.then(() => false), Bun.sleep(STOP_GRACE_MS).then(() => true)]);
        if (timedOut) await server.stop(true);
        db.close();
        releaseDataDir(pidFile!);
      })());
    return { url, port: server.port!, db, queue, hub, core, server, stop };
  } catch (err) {
    db.close();
    if (pidFile) releaseDataDir(pidFile);
    throw err;
  }
}
