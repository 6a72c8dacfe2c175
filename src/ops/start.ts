// Everything operations runs beside the server: metrics (created now so the commit-latency hook is
// in place before the first write), the overview sampler, the job runner (jobs a restart
// interrupted are marked failed, their leftovers removed) and the backup schedule. Returns the stop function.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Core } from "../core.ts";
import { jobRunner } from "../jobs/runner.ts";
import { startBackupSchedule } from "../backup/service.ts";
import "../transfer/jobs.ts"; // registers the export and import job kinds
import { metricsFor } from "./metrics.ts";
import { startSampler } from "./overview.ts";

/** What a job that a crash interrupted left behind: staging folders, partial archives, uploads. */
function clearLeftovers(core: Core): void {
  const dataDir = core.config.dataDir;
  const under = (dir: string, match: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((n) => match.test(n)).map((n) => join(dir, n)) : []);
  const leftovers = [...under(dataDir, /^\.(backup-staging|restore)-/), ...under(join(dataDir, "backups"), /\.partial-\d+$/), ...under(join(dataDir, "exports"), /^\..*\.partial$/), ...under(join(dataDir, "imports"), /\.upload$/)];
  for (const path of leftovers) rmSync(path, { recursive: true, force: true });
}

export function startOperations(core: Core): () => Promise<void> {
  clearLeftovers(core);
  metricsFor(core);
  const runner = jobRunner(core);
  void runner.recover().catch((err) => core.logger.warn("could not mark interrupted jobs", { err }));
  const stopSampler = startSampler(core);
  const stopSchedule = startBackupSchedule(core);
  return async () => {
    stopSampler();
    stopSchedule();
    // A running job is cancelled (and cleans up after itself) before the queue closes.
    await runner.cancelRunning();
    await Promise.race([runner.settled(), Bun.sleep(4000)]);
  };
}
