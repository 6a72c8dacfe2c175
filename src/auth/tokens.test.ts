import { describe, expect, test } from "bun:test";
import { formatToken, hashSecret, newSecret, parseToken, secretMatches } from "./tokens.ts";

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("tokens", () => {
  test("a well-formed token round-trips and its secret matches only its own hash", () => {
    const { secret, hash } = newSecret();
    const parsed = parseToken(formatToken("session", "1573662539017879552", secret));
    expect(parsed).toEqual({ kind: "session", id: "1573662539017879552", secret });
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newSecret().secret, hash)).toBe(false);
    expect(secretMatches(secret, hashSecret("other").subarray(0, 16))).toBe(false);
  });

  test("anything else never parses: empty, null, whitespace, <id>-, JWTs, oversize", () => {
    const jwtNone = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "1", aud: "pokynano" })}.`;
    const jwtHs = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "1" })}.${"A".repeat(43)}`;
    for (const bad of ["", "null", "undefined", " ", "\t", "1573662539017879552-", "pks.1573662539017879552.", "pks..AAAA", `pks.1.${"A".repeat(42)}`, `pks.1.${"A".repeat(44)}`, `pkx.1.${"A".repeat(43)}`, jwtNone, jwtHs, "x".repeat(10_000_000), null, undefined]) {
      expect(parseToken(bad as string)).toBeNull();
    }
  });
});
