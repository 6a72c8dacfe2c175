// What the admin adds to every page: an announcement banner (shown in the app shell), a custom
// stylesheet (served as /instance.css, linked last so it wins) and the instance description.
// The CSS is admin-only input and is not sanitised; it is served as text/css with nosniff, so it
// can restyle pages but never run as a script (and the CSP allows no inline script anyway).
import type { Core } from "../core.ts";
import type { Orm } from "../db/client.ts";
import { cleanText } from "../auth/names.ts";
import { AVATAR_MAX_BYTES, storeSquareImage } from "../users/avatar.ts";
import { iconDir } from "../guilds/icon.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { readSetting, writeSetting } from "./service.ts";

export const MAX_ANNOUNCEMENT = 500;
export const MAX_DESCRIPTION = 500;
export const MAX_CUSTOM_CSS = 100 * 1024;

export const announcement = (orm: Orm) => readSetting<string>(orm, "announcement") ?? "";
export const customCss = (orm: Orm) => readSetting<string>(orm, "custom_css") ?? "";
export const instanceDescription = (orm: Orm) => readSetting<string>(orm, "instance_description") ?? "";
/** The logo's hash under <data>/icons (served at /icons/<hash>.webp), or "" for the default logo. */
export const instanceLogo = (orm: Orm) => readSetting<string>(orm, "instance_logo") ?? "";
export const LOGO_MAX_BYTES = AVATAR_MAX_BYTES;

/** A new logo (the server-icon pipeline: decoded, square 256 px WebP, named by hash), or null to go back to the default. */
export async function setInstanceLogo(core: Core, upload: Uint8Array | null): Promise<{ before: string; after: string }> {
  if (upload && upload.length > LOGO_MAX_BYTES) throw new AppError(413, ErrorCode.tooLarge, "The logo is larger than 8 MiB.");
  const before = instanceLogo(core.db.readOrm);
  const after = upload ? await storeSquareImage(iconDir(core), upload) : "";
  await writeSetting(core.queue, "instance_logo", after);
  return { before, after };
}

export interface Appearance {
  announcement: string;
  custom_css: string;
  description: string;
}

export const appearance = (core: Core): Appearance => ({ announcement: announcement(core.db.readOrm), custom_css: customCss(core.db.readOrm), description: instanceDescription(core.db.readOrm) });

/** Saves what changed and returns before/after for the audit log. Lengths are checked by the callers' schemas. */
export async function setAppearance(core: Core, input: Partial<Appearance>): Promise<{ before: Partial<Appearance>; after: Partial<Appearance> }> {
  const current = appearance(core);
  const next: Partial<Appearance> = {};
  if (input.announcement !== undefined) next.announcement = cleanText(input.announcement);
  if (input.description !== undefined) next.description = cleanText(input.description, { multiline: true });
  if (input.custom_css !== undefined) next.custom_css = input.custom_css.replace(/\r\n?/g, "\n");
  const before: Partial<Appearance> = {};
  const after: Partial<Appearance> = {};
  for (const key of Object.keys(next) as (keyof Appearance)[]) {
    if (next[key] === current[key]) continue;
    before[key] = current[key];
    after[key] = next[key];
  }
  if (after.announcement !== undefined) await writeSetting(core.queue, "announcement", after.announcement);
  if (after.description !== undefined) await writeSetting(core.queue, "instance_description", after.description);
  if (after.custom_css !== undefined) await writeSetting(core.queue, "custom_css", after.custom_css);
  return { before, after };
}
