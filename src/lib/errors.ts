// Typed errors with messages safe to show to a user. The cause stays on the error for the logs
// and never reaches a response.

/** Numeric codes in the style of Discord's JSON error codes (0 = general). */
export const ErrorCode = {
  general: 0,
  unknownRoute: 10000,
  unauthorized: 40001,
  forbidden: 50013,
  invalidBody: 50035,
  tooLarge: 40005,
  rateLimited: 20028,
  conflict: 40060,
  unavailable: 130000,
} as const;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 431 | 500 | 503,
    readonly code: number,
    message: string,
    options?: { cause?: unknown; fields?: Record<string, string> },
  ) {
    super(message, options);
    this.fields = options?.fields;
  }
  readonly fields: Record<string, string> | undefined;
}

export const badRequest = (message: string, fields?: Record<string, string>) =>
  new AppError(400, ErrorCode.invalidBody, message, { fields });
export const unauthorized = (message = "You need to sign in to do that.") => new AppError(401, ErrorCode.unauthorized, message);
export const forbidden = (message = "You are not allowed to do that.") => new AppError(403, ErrorCode.forbidden, message);
export const notFound = (message = "Not found.") => new AppError(404, ErrorCode.unknownRoute, message);
export const conflict = (message: string) => new AppError(409, ErrorCode.conflict, message);
export const tooLarge = (message: string) => new AppError(413, ErrorCode.tooLarge, message);
