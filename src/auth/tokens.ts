// Opaque bearer tokens: `<prefix>.<id>.<secret>`. The id finds the row; the 256-bit secret is
// stored only as its SHA-256 and compared in constant time. No JWTs: a token is valid exactly as
// long as its row exists, so logout and revocation take effect on the next request, and there is
// no algorithm or key in the token for an attacker to choose.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const TokenPrefix = { session: "pks", access: "pkt", reset: "pkr", bot: "pkb" } as const;
export type TokenKind = keyof typeof TokenPrefix;

const SHAPE = /^(pks|pkt|pkr|pkb)\.(\d{1,20})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  kind: TokenKind;
  id: string;
  secret: string;
}

export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export function newSecret(): { secret: string; hash: Buffer } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: hashSecret(secret) };
}

export function formatToken(kind: TokenKind, id: string, secret: string): string {
  return `${TokenPrefix[kind]}.${id}.${secret}`;
}

/** Null for anything that is not exactly a well-formed token: empty, "null", JWTs, "<id>-", huge strings. */
export function parseToken(raw: string | undefined | null): ParsedToken | null {
  if (!raw || raw.length > 100) return null;
  const m = SHAPE.exec(raw);
  if (!m) return null;
  const kind = (Object.keys(TokenPrefix) as TokenKind[]).find((k) => TokenPrefix[k] === m[1])!;
  return { kind, id: m[2]!, secret: m[3]! };
}

export function secretMatches(secret: string, stored: Uint8Array): boolean {
  const actual = hashSecret(secret);
  return stored.length === actual.length && timingSafeEqual(actual, stored);
}
