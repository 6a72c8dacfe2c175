// Instance-wide settings. Values are stored as JSON text; reads go through the read connection,
// writes through the commit queue.
import { eq, sql } from "drizzle-orm";
import type { CommitQueue } from "../db/commit-queue.ts";
import type { Orm } from "../db/client.ts";
import { instanceSettings } from "./table.ts";

export const DEFAULT_INSTANCE_NAME = "Pokynano";

// Settings are read on hot paths (every message reads the rate limit): prepared once per connection.
const settingQueries = new WeakMap<Orm, ReturnType<typeof buildSettingQuery>>();
const buildSettingQuery = (orm: Orm) => orm.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.key, sql.placeholder("key"))).prepare();

// A request reads several settings (send, API and upload limits...) and they change rarely, only
// through writeSetting: values are remembered per connection until the next write anywhere.
// Callers must treat a returned object as read-only (it is shared).
let generation = 0;
const remembered = new WeakMap<Orm, { generation: number; values: Map<string, unknown> }>();

export function readSetting<T>(orm: Orm, key: string): T | undefined {
  let memo = remembered.get(orm);
  if (!memo || memo.generation !== generation) remembered.set(orm, (memo = { generation, values: new Map() }));
  if (memo.values.has(key)) return memo.values.get(key) as T | undefined;
  let query = settingQueries.get(orm);
  if (!query) settingQueries.set(orm, (query = buildSettingQuery(orm)));
  const row = query.get({ key });
  const value = row ? (JSON.parse(row.value) as T) : undefined;
  memo.values.set(key, value);
  return value;
}

export function writeSetting(queue: CommitQueue, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  const updatedAt = new Date().toISOString();
  // Forgotten before the write (a read meanwhile may cache the old value) and again once committed.
  generation++;
  return queue
    .write(({ orm }) => {
      orm
        .insert(instanceSettings)
        .values({ key, value: json, updatedAt })
        .onConflictDoUpdate({ target: instanceSettings.key, set: { value: json, updatedAt } })
        .run();
    })
    .finally(() => {
      generation++;
    });
}

export function instanceName(orm: Orm): string {
  return readSetting<string>(orm, "instance_name") ?? DEFAULT_INSTANCE_NAME;
}

export const REGISTRATION_MODES = ["open", "invite", "closed"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

export function registrationMode(orm: Orm): RegistrationMode {
  const mode = readSetting<string>(orm, "registration_mode");
  return (REGISTRATION_MODES as readonly string[]).includes(mode ?? "") ? (mode as RegistrationMode) : "invite";
}
