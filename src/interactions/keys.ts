// Ed25519 signatures for HTTP interactions, as Discord sends them: each application has a key
// pair; the endpoint gets X-Signature-Ed25519 = sign(timestamp + body) and X-Signature-Timestamp,
// and verifies them with the application's public key (hex, Discord's `verify_key`).
import { createPrivateKey, generateKeyPairSync, sign, verify, createPublicKey } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { applicationInteractions } from "./table.ts";

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export interface AppKeys {
  publicKey: string;
  privateKey: Buffer;
  endpointUrl: string | null;
}

export function readKeys(core: Core, appId: string): AppKeys | null {
  return core.db.readOrm.select().from(applicationInteractions).where(eq(applicationInteractions.applicationId, appId)).get() ?? null;
}

/** The application's keys, made on first use (applications from before this feature have none yet). */
export async function ensureKeys(core: Core, appId: string): Promise<AppKeys> {
  const found = readKeys(core, appId);
  if (found) return found;
  const pair = generateKeyPairSync("ed25519");
  const publicKey = (pair.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(SPKI_ED25519_PREFIX.length).toString("hex");
  const privateKey = pair.privateKey.export({ format: "der", type: "pkcs8" }) as Buffer;
  await core.queue.write(({ orm }) => orm.insert(applicationInteractions).values({ applicationId: appId, publicKey, privateKey, endpointUrl: null }).onConflictDoNothing().run());
  return readKeys(core, appId)!;
}

export function signInteraction(privateKey: Buffer, timestamp: string, body: string): string {
  return sign(null, Buffer.from(timestamp + body), createPrivateKey({ key: privateKey, format: "der", type: "pkcs8" })).toString("hex");
}

/** What an endpoint does with a request (exported for tests and the docs' example). */
export function verifyInteraction(publicKeyHex: string, signatureHex: string, timestamp: string, body: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(publicKeyHex, "hex")]), format: "der", type: "spki" });
    return verify(null, Buffer.from(timestamp + body), key, Buffer.from(signatureHex, "hex"));
  } catch {
    return false;
  }
}
