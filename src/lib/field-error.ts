// A 400 for one or more invalid fields, carrying message keys so forms can show them in the
// reader's language and the API can list them under `errors`.
import { en, type MessageKey } from "../i18n/en.ts";
import { AppError, ErrorCode } from "./errors.ts";

export function fieldError(fields: Record<string, MessageKey>, params?: Record<string, string | number>): AppError {
  const english = Object.fromEntries(
    Object.entries(fields).map(([field, key]) => [field, en[key].replace(/\{(\w+)\}/g, (m, n: string) => String(params?.[n] ?? m))]),
  );
  const first = Object.values(english)[0] ?? "Invalid form body.";
  return new AppError(400, ErrorCode.invalidBody, first, { fields: english, fieldKeys: fields, key: Object.values(fields)[0], params });
}

/** A keyed error that is not about one field (wrong password, closed registration...). */
export function keyedError(status: AppError["status"], code: number, key: MessageKey, params?: Record<string, string | number>): AppError {
  const message = en[key].replace(/\{(\w+)\}/g, (m, n: string) => String(params?.[n] ?? m));
  return new AppError(status, code, message, { key, params });
}
