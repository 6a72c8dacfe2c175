// Upload limits: the instance's file size cap and per-user storage quota are admin settings
// (instance_settings), read on every upload so a change applies at once.
import type { Core } from "../core.ts";
import { readSetting, writeSetting } from "../instance/service.ts";

/** Attachments per message (Discord allows 10). */
export const MAX_FILES = 10;
export const DEFAULT_MAX_FILE_MB = 25;
/** The highest file size the setting accepts; the request body limits are built from it. */
export const MAX_FILE_MB_CEILING = 1024;
export const FILE_SIZE_CEILING = MAX_FILE_MB_CEILING * 1024 * 1024;
/** Per-user storage (every file they posted or staged, counted at its size); 0 means no quota. */
export const DEFAULT_QUOTA_MB = 2048;
export const MAX_QUOTA_MB = 1024 * 1024;
/** Images with more pixels are refused from their header, before any decoding (SECURITY.md). */
export const MAX_PIXELS = 40_000_000;
/** Alt text length (Discord: 1024). */
export const MAX_DESCRIPTION = 1024;
/** A staged upload never sent is deleted after this long. */
export const STAGED_TTL_MS = 60 * 60 * 1000;

const MB = 1024 * 1024;
const setting = (core: Core, key: string, fallback: number, max: number) => {
  const value = readSetting<number>(core.db.readOrm, key);
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max ? value : fallback;
};

export const maxFileMb = (core: Core) => setting(core, "max_file_size_mb", DEFAULT_MAX_FILE_MB, MAX_FILE_MB_CEILING) || DEFAULT_MAX_FILE_MB;
export const maxFileBytes = (core: Core) => maxFileMb(core) * MB;
export const quotaMb = (core: Core) => setting(core, "storage_quota_mb", DEFAULT_QUOTA_MB, MAX_QUOTA_MB);
export const quotaBytes = (core: Core) => quotaMb(core) * MB;

/** "25 MB", "1.5 MB", "812 KB": sizes in messages and on file cards (binary units, as Discord). */
export function formatBytes(n: number): string {
  if (n >= MB) return `${(n / MB).toFixed(n >= 10 * MB ? 0 : 1).replace(/\.0$/, "")} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** The admin's choice (admin page and PATCH /api/v10/admin/instance); validated by the callers' schemas. */
export async function setFileLimits(core: Core, input: { maxFileMb?: number; quotaMb?: number }): Promise<void> {
  if (input.maxFileMb !== undefined) await writeSetting(core.queue, "max_file_size_mb", input.maxFileMb);
  if (input.quotaMb !== undefined) await writeSetting(core.queue, "storage_quota_mb", input.quotaMb);
}
