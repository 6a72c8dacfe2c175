// `pokynano admin create-user` and `admin reset-password`: the same services as the web UI, run
// against the data dir directly (safe while the server runs: SQLite serialises the writers).
import { randomBytes } from "node:crypto";
import { setPassword } from "../auth/service.ts";
import type { Config } from "../config.ts";
import type { Core } from "../core.ts";
import { openDatabase, StartupError } from "../db/client.ts";
import { CommitQueue } from "../db/commit-queue.ts";
import { migrate, type Migration } from "../db/migrate.ts";
import { Hub } from "../hub/hub.ts";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/log.ts";
import { RateLimiter } from "../lib/rate-limit.ts";
import { createUser, findUserByName } from "../users/service.ts";

export const generatePassword = () => randomBytes(15).toString("base64url");

export async function withCore<T>(config: Config, logger: Logger, migrations: readonly Migration[], fn: (core: Core) => Promise<T>): Promise<T> {
  const db = openDatabase(config.dataDir);
  migrate(db.writer, migrations);
  const queue = new CommitQueue({ sqlite: db.writer, orm: db.writeOrm });
  try {
    return await fn({ config, logger, db, queue, hub: new Hub(), limiter: new RateLimiter() });
  } catch (err) {
    // Validation errors become one clear line for the operator.
    if (err instanceof AppError) throw new StartupError(Object.values(err.fields ?? {})[0] ?? err.message);
    throw err;
  } finally {
    await queue.close();
    db.close();
  }
}

export interface AccountCommand {
  username: string;
  displayName?: string | null;
  admin?: boolean;
  /** The password read from stdin, or null to generate one. */
  password: string | null;
}

export async function cliCreateUser(config: Config, logger: Logger, migrations: readonly Migration[], cmd: AccountCommand): Promise<string> {
  const password = cmd.password ?? generatePassword();
  const user = await withCore(config, logger, migrations, (core) => createUser(core, { username: cmd.username, password, displayName: cmd.displayName, isAdmin: cmd.admin }));
  const role = user.isAdmin ? "instance admin" : "user";
  return cmd.password === null ? `created ${role} ${user.username} (id ${user.id})\npassword: ${password}\n(shown once: store it or change it after logging in)` : `created ${role} ${user.username} (id ${user.id})`;
}

export async function cliResetPassword(config: Config, logger: Logger, migrations: readonly Migration[], cmd: AccountCommand): Promise<string> {
  const password = cmd.password ?? generatePassword();
  await withCore(config, logger, migrations, async (core) => {
    const user = findUserByName(core, cmd.username);
    if (!user || user.deletedAt) throw new StartupError(`there is no user named ${cmd.username}`);
    await setPassword(core, user, password, null);
  });
  const done = `password of ${cmd.username} reset; every session was signed out`;
  return cmd.password === null ? `${done}\npassword: ${password}\n(shown once)` : done;
}

export async function readPasswordFromStdin(): Promise<string> {
  const text = await new Response(Bun.stdin.stream()).text();
  const password = text.replace(/\r?\n$/, "");
  if (!password) throw new StartupError("--password-stdin was given but standard input was empty");
  return password;
}
