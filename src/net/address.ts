// Which addresses a server-side fetch may reach. Anything a member can make the server fetch (link
// previews, outgoing webhooks) is attacker input, so the rule is an allowlist: only global unicast
// addresses pass. ipaddr.js (a well-kept library used by Express and many proxies) names the
// special ranges; we add the IPv6 forms that carry an IPv4 address inside them and the cloud
// metadata addresses that sit in public space.
import ipaddr from "ipaddr.js";

export type AddressVerdict = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

// Metadata and host-agent endpoints that are not in a private range (Azure's wire server, Oracle's
// and Alibaba's are in link-local or CGNAT space and refused as such).
const PUBLIC_METADATA = new Set(["168.63.129.16"]);

// IPv6 prefixes that embed or translate an IPv4 address: refused whatever the IPv4 address is, so
// a NAT64 gateway or a dual-stack host can never be used to reach 127.0.0.1 or 169.254.169.254.
const EMBEDDING_V6: [string, number][] = [
  ["::", 96], // IPv4-compatible (::a.b.c.d, also written ::7f00:1)
  ["::ffff:0:0", 96], // IPv4-mapped
  ["::ffff:0:0:0", 96], // IPv4-translated (RFC 6145)
  ["64:ff9b::", 96], // NAT64 well-known prefix (RFC 6052)
  ["64:ff9b:1::", 48], // NAT64 local-use (RFC 8215)
  ["2002::", 16], // 6to4
  ["2001::", 32], // Teredo
];
const embedding = EMBEDDING_V6.map(([net, bits]) => [ipaddr.IPv6.parse(net), bits] as const);

/** Is this literal address one a server-side fetch may connect to? */
export function checkAddress(literal: string): AddressVerdict {
  const text = literal.startsWith("[") && literal.endsWith("]") ? literal.slice(1, -1) : literal;
  // Only canonical forms: ipaddr.js (like inet_aton) would read "0177.0.0.1" or "2130706433" as
  // 127.0.0.1; such spellings only ever serve to slip past a filter.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !(text.includes(":") && ipaddr.IPv6.isValid(text))) return { ok: false, reason: "not a canonical IP address" };
  const addr = ipaddr.parse(text);
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    if (embedding.some(([net, bits]) => v6.match(net, bits))) return { ok: false, reason: "IPv6 form of an IPv4 address (mapped, compatible, NAT64, 6to4 or Teredo)" };
  }
  const range = addr.range();
  if (range !== "unicast") return { ok: false, reason: `${range} address` };
  if (PUBLIC_METADATA.has(addr.toString())) return { ok: false, reason: "cloud metadata address" };
  return { ok: true, address: addr.toString(), family: addr.kind() === "ipv4" ? 4 : 6 };
}

/** An IPv4 host written in any form a URL parser accepts (decimal, octal, hex, short): 0x7f.1, 2130706433, 0177.0.0.1. */
export const looksNumericIPv4 = (host: string) => /^[0-9a-fx.]+$/i.test(host) && /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*\.?$/i.test(host);

/** Names that always mean this machine or its private network, refused before any lookup. */
export function isLocalName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "metadata.google.internal" || h.endsWith(".local") || !h.includes(".");
}
