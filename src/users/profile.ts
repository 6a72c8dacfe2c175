// What a user changes about themselves: profile, preferences, username.
import { eq } from "drizzle-orm";
import { users, type User } from "../auth/table.ts";
import { cleanText, usernameKey } from "../auth/names.ts";
import type { Core } from "../core.ts";
import { isLocale } from "../i18n/index.ts";
import { fieldError } from "../lib/field-error.ts";
import { ACCENT_PATTERN, FONT_SIZES } from "./appearance.ts";
import { checkUsername, cleanDisplayName, findUser } from "./service.ts";

export const LIMITS = { about: 190, pronouns: 40, customStatus: 128 } as const;

export interface ProfileInput {
  displayName?: string | null;
  about?: string;
  pronouns?: string;
  status?: User["status"];
  customStatus?: string;
}

function bounded(field: string, raw: string, max: number, multiline = false): string {
  const text = cleanText(raw, { multiline });
  if ([...text].length > max) throw fieldError({ [field]: "text.tooLong" }, { max });
  return text;
}

export async function updateProfile(core: Core, user: User, input: ProfileInput): Promise<User> {
  const patch: Partial<User> = {};
  if (input.displayName !== undefined) patch.displayName = cleanDisplayName(input.displayName);
  if (input.about !== undefined) patch.about = bounded("about", input.about, LIMITS.about, true);
  if (input.pronouns !== undefined) patch.pronouns = bounded("pronouns", input.pronouns, LIMITS.pronouns);
  if (input.customStatus !== undefined) patch.customStatus = bounded("custom_status", input.customStatus, LIMITS.customStatus);
  if (input.status !== undefined) patch.status = input.status;
  return save(core, user, patch);
}

export interface Preferences {
  theme?: User["theme"];
  locale?: string;
  timeFormat?: User["timeFormat"];
  accent?: string;
  density?: User["density"];
  fontSize?: number;
}

export async function updatePreferences(core: Core, user: User, input: Preferences): Promise<User> {
  const patch: Partial<User> = {};
  if (input.theme) patch.theme = input.theme;
  if (input.timeFormat) patch.timeFormat = input.timeFormat;
  if (input.density) patch.density = input.density;
  if (input.accent !== undefined) {
    const accent = input.accent.toLowerCase();
    if (!ACCENT_PATTERN.test(accent)) throw fieldError({ accent: "appearance.accentInvalid" });
    patch.accent = accent;
  }
  if (input.fontSize !== undefined) {
    if (!(FONT_SIZES as readonly number[]).includes(input.fontSize)) throw fieldError({ font_size: "appearance.fontSizeInvalid" });
    patch.fontSize = input.fontSize;
  }
  if (input.locale !== undefined) {
    if (!isLocale(input.locale)) throw fieldError({ locale: "error.invalidBody" });
    patch.locale = input.locale;
  }
  return save(core, user, patch);
}

export async function changeUsername(core: Core, user: User, username: string): Promise<User> {
  checkUsername(core, username, user.id);
  return core.queue.write(({ orm }) => {
    const clash = orm.select({ id: users.id }).from(users).where(eq(users.usernameKey, usernameKey(username))).get();
    if (clash && clash.id !== user.id) throw fieldError({ username: "username.taken" });
    return orm.update(users).set({ username, usernameKey: usernameKey(username) }).where(eq(users.id, user.id)).returning().get();
  });
}

async function save(core: Core, user: User, patch: Partial<User>): Promise<User> {
  if (Object.keys(patch).length === 0) return findUser(core, user.id) ?? user;
  return core.queue.write(({ orm }) => orm.update(users).set(patch).where(eq(users.id, user.id)).returning().get());
}
