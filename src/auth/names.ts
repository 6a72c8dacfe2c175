// Usernames are ASCII (letters, digits, _ and .), 2-32 characters, unique regardless of case:
// ASCII-only rules out homoglyphs ("аdmin" with a Cyrillic а) and invisible characters.
// Display names may use any script but lose control, bidi-override and zero-width characters.

const USERNAME = /^[A-Za-z0-9_.]{2,32}$/;
const RESERVED = new Set(["everyone", "here", "system", "admin", "administrator", "pokynano", "moderator", "root"]);
export const DELETED_PREFIX = "deleted_user_";

export type UsernameProblem = "username.format" | "username.dots" | "username.reserved";

export function usernameProblem(name: string): UsernameProblem | null {
  if (!USERNAME.test(name)) return "username.format";
  if (name.includes("..") || name.startsWith(".") || name.endsWith(".")) return "username.dots";
  const key = name.toLowerCase();
  if (RESERVED.has(key) || key.startsWith(DELETED_PREFIX)) return "username.reserved";
  return null;
}

export const usernameKey = (name: string) => name.toLowerCase();

// Cc controls, bidi embeddings/overrides/isolates and marks, zero-width characters, BOM.
const INVISIBLE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;

/** Clean free text typed by a user (display name, about, status): NFC, no invisible or control characters. */
export function cleanText(raw: string, opts: { multiline?: boolean } = {}): string {
  let s = raw.normalize("NFC");
  if (opts.multiline) {
    s = s.replace(/\r\n?/g, "\n").replace(/[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu, (ch) => (ch === "\n" ? "\n" : ""));
    return s.replace(/\n{3,}/g, "\n\n").trim();
  }
  return s.replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
}
