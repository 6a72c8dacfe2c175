// TOTP two-factor authentication (RFC 6238, 30 s steps, 6 digits, SHA-1: what every
// authenticator app expects) with ten one-time recovery codes stored as SHA-256 hashes.
import { and, eq, isNull } from "drizzle-orm";
import { randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { Core } from "../core.ts";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { verifyPassword } from "./passwords.ts";
import { hashSecret } from "./tokens.ts";
import { recoveryCodes, users, type User } from "./table.ts";

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i look-alikes

function totp(secret: string, label: string, issuer: string): TOTP {
  return new TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

export interface Enrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

/** Start enrolment: a new pending secret, shown as a QR code and as text. */
export async function startEnrolment(core: Core, user: User, issuer: string): Promise<Enrolment> {
  const secret = new Secret({ size: 20 }).base32;
  await core.queue.write(({ orm }) => orm.update(users).set({ totpPendingSecret: secret }).where(eq(users.id, user.id)).run());
  return enrolmentFor(secret, user, issuer);
}

export async function enrolmentFor(secret: string, user: User, issuer: string): Promise<Enrolment> {
  const uri = totp(secret, user.username, issuer).toString();
  // Loaded on first use: the QR encoder costs several MB of memory and only enrolment needs it.
  const { default: QRCode } = await import("qrcode");
  const svg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/** The time step a code matches (within one step of clock drift), or null. */
function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).validate({ token: code, window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/** Confirm enrolment with a code from the app; returns the ten recovery codes to show once. */
export async function confirmEnrolment(core: Core, user: User, code: string): Promise<string[]> {
  const pending = user.totpPendingSecret;
  const step = pending ? matchingStep(pending, code.trim()) : null;
  if (!pending || step === null) throw keyedError(400, ErrorCode.mfaInvalid, "login.mfaInvalid");
  const codes = Array.from({ length: 10 }, newRecoveryCode);
  await core.queue.write(({ orm }) => {
    orm.update(users).set({ totpSecret: pending, totpPendingSecret: null, totpLastStep: step }).where(eq(users.id, user.id)).run();
    orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).run();
    for (const c of codes) orm.insert(recoveryCodes).values({ userId: user.id, codeHash: hashSecret(normalizeRecovery(c)) }).run();
  });
  return codes;
}

export async function disableMfa(core: Core, user: User, password: string): Promise<void> {
  if (!(await verifyPassword(user.passwordHash, password))) throw keyedError(403, ErrorCode.forbidden, "password.wrong");
  await core.queue.write(({ orm }) => {
    orm.update(users).set({ totpSecret: null, totpPendingSecret: null, totpLastStep: null }).where(eq(users.id, user.id)).run();
    orm.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).run();
  });
}

/**
 * Check a second factor: a current TOTP code not used before (a step is accepted once, so an
 * observed code cannot be replayed), or an unused recovery code, which is then spent.
 */
export async function verifySecondFactor(core: Core, user: User, rawCode: string): Promise<boolean> {
  if (!user.totpSecret) return true;
  const code = rawCode.trim().slice(0, 32);
  const step = matchingStep(user.totpSecret, code.replace(/\s/g, ""));
  if (step !== null) {
    return core.queue.write(({ orm }) => {
      const current = orm.select({ last: users.totpLastStep }).from(users).where(eq(users.id, user.id)).get();
      if (current?.last !== null && current?.last !== undefined && step <= current.last) return false;
      orm.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id)).run();
      return true;
    });
  }
  const hash = hashSecret(normalizeRecovery(code));
  return core.queue.write(({ orm }) => {
    const used = orm
      .update(recoveryCodes)
      .set({ usedAt: new Date().toISOString() })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)))
      .returning({ userId: recoveryCodes.userId })
      .all();
    return used.length === 1;
  });
}

export function recoveryCodesLeft(core: Core, userId: string): number {
  return core.db.readOrm.select().from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))).all().length;
}

/** The current code for a secret (tests and the CLI use it; an authenticator app does the same). */
export function currentCode(secret: string, timestamp = Date.now()): string {
  return new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp });
}
