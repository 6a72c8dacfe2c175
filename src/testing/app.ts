// Test harness: a real server (real SQLite in a temp dir, real migrations, real HTTP on port 0).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { createMemoryLogger } from "../lib/log.ts";
import { startServer, type RunningServer } from "../server.ts";

export interface TestApp {
  url: string;
  dataDir: string;
  config: Config;
  logs: Record<string, unknown>[];
  server: RunningServer;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Stop the server and delete its data dir. */
  close(): Promise<void>;
}

export function tempDir(prefix = "pokynano-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dataDir = overrides.dataDir ?? tempDir();
  const config: Config = {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    publicUrl: "http://127.0.0.1",
    logLevel: "debug",
    logFormat: "json",
    trustProxy: false,
    ...overrides,
  };
  const logger = createMemoryLogger();
  const server = await startServer(config, logger);
  // The port is known only now; the app reads publicUrl per request.
  if (!overrides.publicUrl) config.publicUrl = server.url;
  let closed = false;
  return {
    url: server.url,
    dataDir,
    config,
    logs: logger.lines,
    server,
    fetch: (path, init) => fetch(`${server.url}${path}`, { redirect: "manual", ...init }),
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
