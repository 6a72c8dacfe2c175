// argon2id via @node-rs/argon2 (runs on libuv's thread pool, off the event loop), with the
// parameters of shared/SECURITY.md. The password policy refuses short, overlong and common
// passwords.
import { hash, verify } from "@node-rs/argon2";
import commonList from "./common-passwords.txt" with { type: "text" };

// algorithm 2 = Argon2id (the package exports it as a const enum, which isolated modules cannot read).
export const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD = 8;
/** Hashing cost grows with input length: cap it so a password field cannot be used for DoS. */
export const MAX_PASSWORD = 256;

const common = new Set(commonList.split("\n").filter(Boolean));

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // With no stored hash (deleted or reset account) we still spend the same time, so response
  // timing does not tell which accounts exist.
  const target = stored ?? (await (dummyHash ??= hashPassword("pokynano-timing-equaliser")));
  try {
    const ok = await verify(target, password);
    return ok && stored !== null;
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** A message key when the password is not acceptable, else null. */
export function passwordProblem(password: string, username?: string): "password.tooShort" | "password.tooLong" | "password.common" | "password.isUsername" | null {
  if (password.length < MIN_PASSWORD) return "password.tooShort";
  if (password.length > MAX_PASSWORD) return "password.tooLong";
  const lower = password.toLowerCase();
  if (common.has(lower)) return "password.common";
  if (username && lower === username.toLowerCase()) return "password.isUsername";
  return null;
}
