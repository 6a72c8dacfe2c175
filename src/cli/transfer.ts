// `pokynano export` and `pokynano import`: the console's export and import jobs, run against the
// data dir directly with a progress line (safe while the server runs: SQLite serialises writers;
// a server that is running shows an imported server after a page reload).
import { renameSync, rmSync } from "node:fs";
import type { Config } from "../config.ts";
import { StartupError } from "../db/client.ts";
import type { Migration } from "../db/migrate.ts";
import type { Logger } from "../lib/log.ts";
import { findUserByName } from "../users/service.ts";
import { bundleSchema } from "../transfer/bundle.ts";
import { readServer } from "../transfer/export.ts";
import { writeCsvExport, writeHtmlExport, writeJsonExport, type Progress } from "../transfer/formats.ts";
import { importBundle, type ImportResult } from "../transfer/import.ts";
import { readImport } from "../transfer/jobs.ts";
import { withCore } from "./accounts.ts";
import { JobCancelled } from "../jobs/runner.ts";

export async function cliExport(config: Config, logger: Logger, migrations: readonly Migration[], cmd: { guild: string; channel: string | null; format: "json" | "csv" | "html"; out: string }, progress: Progress): Promise<string> {
  return withCore(config, logger, migrations, async (core) => {
    let data;
    try {
      data = readServer(core, cmd.guild, cmd.channel);
    } catch (err) {
      throw new StartupError(`${(err as Error).message} (${cmd.channel ?? cmd.guild})`);
    }
    const partial = `${cmd.out}.partial-${process.pid}`;
    const signal = new AbortController().signal;
    try {
      if (cmd.format === "csv") writeCsvExport(data, partial);
      else if (cmd.format === "json") await writeJsonExport(data, partial, progress, signal);
      else await writeHtmlExport(data, partial, progress, signal);
      renameSync(partial, cmd.out);
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
    progress(1, "done");
    return `exported ${data.bundle.messages.length} messages and ${data.files.size} files to ${cmd.out}`;
  });
}

export async function cliImport(config: Config, logger: Logger, migrations: readonly Migration[], cmd: { file: string; owner: string }, progress: Progress): Promise<string> {
  const file = Bun.file(cmd.file);
  if (!(await file.exists())) throw new StartupError(`there is no file at ${cmd.file}`);
  const name = cmd.file.split("/").pop()!.replace(/\.(zip|json)$/i, "");
  let read;
  try {
    read = readImport(await file.bytes(), name);
  } catch (err) {
    throw new StartupError(`${cmd.file}: ${(err as Error).message}`);
  }
  const parsed = bundleSchema.safeParse(read.bundle);
  if (!parsed.success) throw new StartupError(`${cmd.file} is not a valid export: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const result: ImportResult = await withCore(config, logger, migrations, async (core) => {
    const owner = findUserByName(core, cmd.owner);
    if (!owner || owner.deletedAt) throw new StartupError(`there is no user named ${cmd.owner}`);
    // Ctrl-C stops between chunks and removes what was written, as a cancelled console job does.
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once("SIGINT", stop);
    try {
      return await importBundle(core, parsed.data, async (key) => read.entries.get(key) ?? null, { ownerId: owner.id, signal: abort.signal, progress });
    } catch (err) {
      if (err instanceof JobCancelled) throw new StartupError("import interrupted; what it had written was removed");
      throw err;
    } finally {
      process.off("SIGINT", stop);
    }
  });
  progress(1, "done");
  return `imported ${result.messages} messages in ${result.channels} channels as server ${result.guild_id} (${result.users_matched} people matched, ${result.users_created} placeholders created, ${result.attachments} files)`;
}
