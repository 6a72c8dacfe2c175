import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import type { ClientInfo } from "../auth/sessions.ts";

/** The client's address (from X-Forwarded-For only when told to trust a proxy) and user agent. */
export function clientInfo(c: Context, trustProxy: boolean): ClientInfo {
  let ip = "unknown";
  if (trustProxy) {
    // The proxy appends the address it saw: the last entry is the one we can trust.
    const hops = c.req.header("X-Forwarded-For")?.split(",").map((s) => s.trim()).filter(Boolean);
    if (hops?.length) ip = hops[hops.length - 1]!;
  }
  if (ip === "unknown") {
    try {
      ip = getConnInfo(c).remote.address ?? "unknown";
    } catch {
      // app.request() in tests has no socket
    }
  }
  return { ip: ip.slice(0, 64), userAgent: c.req.header("User-Agent") };
}
