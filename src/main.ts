// Entry point of `npm start` and of the compiled binary: parse the command line, run one command.
import { cliCreateUser, cliResetPassword, readPasswordFromStdin } from "./cli/accounts.ts";
import { healthcheck } from "./cli/healthcheck.ts";
import { runMigrate } from "./cli/migrate.ts";
import { progressLine } from "./cli/progress.ts";
import { createBackup } from "./backup/archive.ts";
import { restoreBackup } from "./backup/restore.ts";
import { cliExport, cliImport } from "./cli/transfer.ts";
import { ConfigError, parseCommandLine } from "./config.ts";
import { StartupError } from "./db/client.ts";
import { createLogger } from "./lib/log.ts";
import { embeddedMigrations, startServer } from "./server.ts";
import { VERSION } from "./version.ts";

function fail(message: string, status: number): never {
  process.stderr.write(`pokynano: ${message}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCommandLine(process.argv.slice(2), process.env, Boolean(process.stdout.isTTY));
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
  const { command, config } = parsed;
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });

  switch (command.name) {
    case "help":
    case "version":
      console.log(command.text);
      return;
    case "backup": {
      const line = progressLine();
      const { bytes, manifest } = await createBackup(config.dataDir, command.out, { progress: line.update });
      line.done();
      console.log(`backup written to ${command.out} (${bytes} bytes, integrity ok, ${manifest.counts.messages} messages, ${manifest.files.count} files)`);
      return;
    }
    case "restore": {
      const line = progressLine();
      const { report, keptAs, filesKeptAs } = await restoreBackup(config.dataDir, command.file, embeddedMigrations(), { dryRun: command.dryRun, progress: line.update });
      line.done();
      const counts = report.manifest ? ` (${report.manifest.counts.messages} messages, ${report.files} files, taken ${report.manifest.created_at} by Pokynano ${report.manifest.pokynano})` : "";
      if (command.dryRun) console.log(`${command.file} is a valid backup${counts}; nothing was changed`);
      else console.log(`restored ${command.file} into ${config.dataDir}${counts}${keptAs ? `; the previous database is kept as ${keptAs}` : ""}${filesKeptAs ? `, the previous files as ${filesKeptAs}` : ""}`);
      return;
    }
    case "export":
    case "import": {
      const line = progressLine();
      const text = command.name === "export" ? await cliExport(config, logger, embeddedMigrations(), command, line.update) : await cliImport(config, logger, embeddedMigrations(), command, line.update);
      line.done();
      console.log(text);
      return;
    }
    case "migrate":
      console.log(runMigrate(config.dataDir, embeddedMigrations(), command.statusOnly));
      return;
    case "create-user":
    case "reset-password": {
      const password = command.passwordStdin ? await readPasswordFromStdin() : null;
      const run = command.name === "create-user" ? cliCreateUser : cliResetPassword;
      const displayName = command.name === "create-user" ? command.displayName : null;
      const admin = command.name === "create-user" && command.admin;
      console.log(await run(config, logger, embeddedMigrations(), { username: command.username, displayName, admin, password }));
      return;
    }
    case "healthcheck": {
      const result = await healthcheck(command.url);
      if (!result.ok) fail(`unhealthy: ${result.detail}`, 1);
      console.log("ok");
      return;
    }
    case "serve": {
      const running = await startServer(config, logger);
      logger.info("pokynano listening", { version: VERSION, public_url: config.publicUrl, address: running.url, data_dir: config.dataDir });
      const shutdown = async (signal: string) => {
        logger.info("shutting down", { signal });
        await running.stop();
        logger.info("stopped");
        process.exit(0);
      };
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
      process.once("SIGINT", () => void shutdown("SIGINT"));
      return;
    }
  }
}

main().catch((err) => {
  if (err instanceof StartupError) fail(err.message, 1);
  process.stderr.write(`pokynano: unexpected error: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
