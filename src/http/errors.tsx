// One place turns every failure into a response: `{code, message}` JSON under /api, an HTML page
// elsewhere. Only AppError messages reach the client (in the reader's language when the error
// carries a message key); anything else is logged with its stack and answered with a generic 500
// naming the request id.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ErrorPage } from "../../views/layouts/error-page.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import type { AppEnv } from "./env.ts";

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Sign in needed",
  403: "Not allowed",
  404: "Page not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Too large",
  415: "Unsupported type",
  422: "Not valid",
  429: "Slow down",
  431: "Headers too large",
  500: "Something went wrong",
  503: "Unavailable",
};

/** The API, and our own scripts (which ask with Accept: application/json), get `{code, message}`. */
export const wantsJson = (c: Context) => c.req.path.startsWith("/api/") || c.req.path === "/api" || (c.req.header("Accept") ?? "").startsWith("application/json");

/** The error's message in the reader's language. */
export function localMessage(c: Context<AppEnv>, err: AppError): string {
  const t = c.get("t");
  return err.key && t ? t(err.key as MessageKey, err.params) : err.message;
}

function respond(c: Context<AppEnv>, err: AppError) {
  for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
  const message = localMessage(c, err);
  if (wantsJson(c)) {
    const body: Record<string, unknown> = { code: err.code, message, ...err.extra };
    if (err.fields) {
      const t = c.get("t");
      body.errors = Object.fromEntries(Object.entries(err.fields).map(([f, m]) => [f, err.fieldKeys?.[f] && t ? t(err.fieldKeys[f] as MessageKey, err.params) : m]));
    }
    return c.json(body, err.status);
  }
  // The page's words in the reader's language (t is missing only if the locale middleware never ran).
  const t = c.get("t");
  const title = t ? t((TITLES[err.status] ? `errorPage.${err.status}` : "errorPage.error") as MessageKey) : (TITLES[err.status] ?? "Error");
  const page = (
    <ErrorPage status={err.status} title={title} message={message} requestId={err.status >= 500 ? c.get("requestId") : undefined} requestIdLabel={t ? t("errorPage.requestId") : "Request id:"} locale={c.get("locale") ?? "en"} />
  );
  return c.html(page, err.status);
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof AppError) return respond(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    // Raised by Hono middleware (body limit, ...): keep its status, give a human message.
    const status = err.status as AppError["status"];
    const message = status === 413 ? "The request body is too large." : err.message || TITLES[status] || "Bad request.";
    return respond(c, new AppError(status, status === 413 ? ErrorCode.tooLarge : ErrorCode.general, message));
  }
  const log = c.get("log");
  log?.error("unhandled error", { err, method: c.req.method, path: c.req.path });
  return respond(c, new AppError(500, ErrorCode.general, `Something went wrong on the server. Request id: ${c.get("requestId")}.`));
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  respond(c, new AppError(404, ErrorCode.unknownRoute, wantsJson(c) ? "Unknown route." : "There is nothing at this address."));
