// Typed errors with messages safe to show to a user. The cause stays on the error for the logs
// and never reaches a response. An error may carry a message key (and field keys) so the error
// handler can answer in the reader's language; `message` is the English text.

/** Numeric codes in the style of Discord's JSON error codes (0 = general). */
export const ErrorCode = {
  general: 0,
  unknownRoute: 10000,
  unknownUser: 10013,
  unknownSession: 10020,
  unauthorized: 40001,
  forbidden: 50013,
  invalidBody: 50035,
  tooLarge: 40005,
  rateLimited: 20028,
  conflict: 40060,
  mfaRequired: 60008,
  mfaInvalid: 60009,
  unavailable: 130000,
} as const;

export type Status = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 431 | 500 | 503;

export interface ErrorOptions {
  cause?: unknown;
  /** Field name -> English message. */
  fields?: Record<string, string>;
  /** Message key for translation, with its parameters. */
  key?: string;
  params?: Record<string, string | number>;
  /** Field name -> message key. */
  fieldKeys?: Record<string, string>;
  /** Extra headers (Retry-After). */
  headers?: Record<string, string>;
  /** Extra JSON body fields (retry_after). */
  extra?: Record<string, unknown>;
}

export class AppError extends Error {
  override name = "AppError";
  readonly fields: Record<string, string> | undefined;
  readonly key: string | undefined;
  readonly params: Record<string, string | number> | undefined;
  readonly fieldKeys: Record<string, string> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly extra: Record<string, unknown> | undefined;
  constructor(
    readonly status: Status,
    readonly code: number,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.fields = options.fields;
    this.key = options.key;
    this.params = options.params;
    this.fieldKeys = options.fieldKeys;
    this.headers = options.headers;
    this.extra = options.extra;
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) => new AppError(400, ErrorCode.invalidBody, message, { fields });
export const unauthorized = (message = "You need to log in to do that.", key = "error.unauthorized") =>
  new AppError(401, ErrorCode.unauthorized, message, { key });
export const forbidden = (message = "You are not allowed to do that.", key = "error.forbidden") => new AppError(403, ErrorCode.forbidden, message, { key });
export const notFound = (message = "Not found.") => new AppError(404, ErrorCode.unknownRoute, message, { key: "error.notFound" });
export const conflict = (message: string) => new AppError(409, ErrorCode.conflict, message);
export const tooLarge = (message: string, key?: string) => new AppError(413, ErrorCode.tooLarge, message, { key });
export const rateLimited = (retryAfter: number) =>
  new AppError(429, ErrorCode.rateLimited, `Too many attempts. Try again in ${retryAfter} seconds.`, {
    key: "error.rateLimited",
    params: { seconds: retryAfter },
    headers: { "Retry-After": String(retryAfter) },
    extra: { retry_after: retryAfter, global: false },
  });
