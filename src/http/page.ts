import type { Context } from "hono";
import type { Core } from "../core.ts";
import { instanceName } from "../instance/service.ts";
import { announcement, instanceDescription, instanceLogo } from "../instance/appearance.ts";
import type { MessageKey } from "../i18n/index.ts";
import { AppError } from "../lib/errors.ts";
import type { FormErrors, PageCtx } from "../../views/shared/page-ctx.ts";
import type { AppEnv } from "./env.ts";
import { localMessage } from "./errors.tsx";

export function pageCtx(c: Context<AppEnv>, core: Core): PageCtx {
  const user = c.get("auth")?.user ?? null;
  return { t: c.get("t"), locale: c.get("locale"), theme: user?.theme ?? "system", user, instanceName: instanceName(core.db.readOrm), announcement: announcement(core.db.readOrm), logo: instanceLogo(core.db.readOrm), description: user ? undefined : instanceDescription(core.db.readOrm) };
}

/** A service error as messages to show on the form that caused it; other errors go on up. */
export function formErrors(c: Context<AppEnv>, err: unknown): { errors: FormErrors; status: AppError["status"] } {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
  const t = c.get("t");
  const fields: Record<string, string> = {};
  for (const [field, message] of Object.entries(err.fields ?? {})) {
    const key = err.fieldKeys?.[field];
    fields[field] = key ? t(key as MessageKey, err.params) : message;
  }
  const general = Object.keys(fields).length ? undefined : localMessage(c, err);
  return { errors: { general, fields }, status: err.status };
}

/** Only same-site relative paths are followed after login (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/";
}
