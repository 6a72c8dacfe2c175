// safeFetch: the one way server code fetches a URL that a member, a bot or a webhook owner chose.
// It checks the URL's form, resolves the name itself, refuses any answer that is not a global
// unicast address (see address.ts), and connects to exactly the address it checked (node:http's
// `lookup` hook pins it, so a DNS answer that changes between check and connect - rebinding -
// cannot redirect the connection; TLS still verifies the certificate against the name). Every
// redirect hop is checked the same way. The whole exchange has one deadline and the body a cap.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkAddress, isLocalName, looksNumericIPv4 } from "./address.ts";
import { allowedForTests } from "./test-allowance.ts";

export type SafeFetchFailure = "bad_url" | "blocked_address" | "dns" | "timeout" | "too_large" | "too_many_redirects" | "content_type" | "network";

export class SafeFetchError extends Error {
  override name = "SafeFetchError";
  constructor(
    readonly kind: SafeFetchFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface SafeFetchOptions {
  method?: "GET" | "HEAD" | "POST";
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Largest body read, in bytes (default 1 MiB). */
  maxBytes?: number;
  /** "error" (default) fails with too_large; "truncate" returns the first maxBytes (enough for an HTML head). */
  oversize?: "error" | "truncate";
  /** Deadline for the whole exchange, redirects and body included (default 8 s). */
  timeoutMs?: number;
  /** Redirects followed, each re-checked (default 3; 0 makes any redirect an error). */
  maxRedirects?: number;
  /** Accepted media types ("text/html", "image/*"); others fail with content_type before the body is read. */
  accept?: string[];
  /** The running server (Core): lets a test reach its own loopback server (see test-allowance.ts). */
  context?: object;
}

export interface SafeResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** The media type without parameters, lower case ("" when absent). */
  contentType: string;
  body: Uint8Array;
  truncated: boolean;
}

const fail = (kind: SafeFetchFailure, message: string) => new SafeFetchError(kind, message);

/** The checks that need no network: scheme, credentials, port, literal forms. Returns the parsed URL. */
export function checkUrl(input: string): URL {
  if (input.length > 2048) throw fail("bad_url", "URL too long");
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw fail("bad_url", "not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw fail("bad_url", `scheme ${url.protocol} not allowed`);
  if (url.username || url.password || /^[a-z]+:\/*[^/?#]*@/i.test(input)) throw fail("bad_url", "credentials in URLs are not allowed");
  // The WHATWG parser turns 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1; look at what was written.
  const written = /^[a-z]+:\/*([^/?#:]*|\[[^\]]*\])/i.exec(input)?.[1] ?? "";
  if (looksNumericIPv4(written) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(written)) throw fail("bad_url", "IPv4 address in a non-canonical form");
  return url;
}

const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80);
const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/** Resolve and check every address of the URL's host; returns the one to connect to. */
async function resolveChecked(url: URL, context: object | undefined): Promise<{ address: string; family: 4 | 6 }> {
  const host = bareHost(url);
  const port = portOf(url);
  const isLiteral = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
  if (isLiteral) {
    if (allowedForTests(context, host, port)) return { address: host, family: 4 };
    const verdict = checkAddress(host);
    if (!verdict.ok) throw fail("blocked_address", `${host}: ${verdict.reason}`);
    return verdict;
  }
  if (isLocalName(host)) throw fail("blocked_address", `${host}: local name`);
  let answers: { address: string; family: number }[];
  try {
    answers = await dnsLookup(host, { all: true, verbatim: true });
  } catch {
    throw fail("dns", `${host} does not resolve`);
  }
  if (answers.length === 0) throw fail("dns", `${host} does not resolve`);
  // One bad answer refuses the name: a host that also points inside is not one to trust with a retry.
  for (const a of answers) {
    const verdict = checkAddress(a.address);
    if (!verdict.ok) throw fail("blocked_address", `${host} resolves to ${a.address}: ${verdict.reason}`);
  }
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

const mediaType = (value: string | undefined) => (value ?? "").split(";")[0]!.trim().toLowerCase();
const accepted = (type: string, accept: string[]) => accept.some((a) => (a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : type === a));

interface Hop {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  truncated: boolean;
}

function request(url: URL, pinned: { address: string; family: 4 | 6 }, opts: SafeFetchOptions, deadline: number, maxBytes: number): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const lookup: LookupFunction = (_host, options, callback) => {
      const cb = callback as (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
      if ((options as { all?: boolean }).all) cb(null, [{ address: pinned.address, family: pinned.family }]);
      else cb(null, pinned.address, pinned.family);
    };
    const mod = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { "accept-encoding": "identity", ...opts.headers };
    const req = mod.request(
      { protocol: url.protocol, hostname: bareHost(url), port: portOf(url), path: `${url.pathname}${url.search}`, method: opts.method ?? "GET", headers, lookup, agent: false },
      (res) => {
        const status = res.statusCode ?? 0;
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
        const redirecting = status >= 300 && status < 400 && flat.location;
        if (!redirecting && opts.accept && status < 300 && !accepted(mediaType(flat["content-type"]), opts.accept)) {
          req.destroy();
          return reject(fail("content_type", `content type ${mediaType(flat["content-type"]) || "(none)"} not accepted`));
        }
        const declared = Number(flat["content-length"] ?? NaN);
        if (!redirecting && declared > maxBytes && opts.oversize !== "truncate") {
          req.destroy();
          return reject(fail("too_large", `body of ${declared} bytes is over the ${maxBytes} byte limit`));
        }
        const chunks: Uint8Array[] = [];
        let size = 0;
        let done = false;
        const finish = (truncated: boolean) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          const body = new Uint8Array(Math.min(size, maxBytes));
          let at = 0;
          for (const c of chunks) {
            const part = c.subarray(0, body.length - at);
            body.set(part, at);
            at += part.length;
          }
          resolve({ status, headers: flat, body: redirecting ? new Uint8Array() : body, truncated });
        };
        if (redirecting) {
          res.resume();
          return finish(false);
        }
        res.on("data", (chunk: Uint8Array) => {
          if (done) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            if (opts.oversize === "truncate") finish(true);
            else {
              done = true;
              clearTimeout(timer);
              reject(fail("too_large", `body is over the ${maxBytes} byte limit`));
            }
          }
        });
        res.on("end", () => finish(false));
        res.on("error", (err) => {
          if (!done) {
            done = true;
            reject(fail("network", err.message));
          }
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(fail("timeout", "no complete answer in time"));
    }, Math.max(1, deadline - Date.now()));
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(fail("network", err.message));
    });
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Fetch a URL someone else chose. Throws SafeFetchError (kind says why) and never reaches a refused address. */
export async function safeFetch(input: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> {
  const deadline = Date.now() + (opts.timeoutMs ?? 8000);
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 3;
  let url = checkUrl(input);
  let current = opts;
  for (let hop = 0; ; hop++) {
    const pinned = await resolveChecked(url, opts.context);
    if (Date.now() >= deadline) throw fail("timeout", "no complete answer in time");
    const res = await request(url, pinned, current, deadline, maxBytes);
    const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
    if (!location) return { url: url.href, status: res.status, headers: res.headers, contentType: mediaType(res.headers["content-type"]), body: res.body, truncated: res.truncated };
    if (hop >= maxRedirects) throw fail("too_many_redirects", `more than ${maxRedirects} redirects`);
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch {
      throw fail("bad_url", "redirect to something that is not a URL");
    }
    // An absolute Location is checked as written (so 0x7f.1 is refused by form, not only by address).
    url = checkUrl(/^[a-z][a-z0-9+.-]*:/i.test(location) ? location : next);
    // 301/302/303 turn into a GET without a body, as browsers do; 307/308 repeat the request.
    if (res.status !== 307 && res.status !== 308) current = { ...current, method: current.method === "HEAD" ? "HEAD" : "GET", body: undefined };
  }
}
