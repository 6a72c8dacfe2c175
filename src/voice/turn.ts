// ICE servers handed to browsers. TURN credentials follow coturn's REST API scheme
// (use-auth-secret / static-auth-secret): username = "<expiry unix time>:<user id>", password =
// base64(HMAC-SHA1(secret, username)). coturn checks them with the same secret, so nothing is
// stored and a leaked credential dies on its own.
import { createHmac } from "node:crypto";
import type { VoiceConfig } from "../config.ts";

export const TURN_CREDENTIAL_TTL_S = 6 * 3600;

export interface BrowserIceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export function turnCredential(secret: string, userId: string, now = Date.now()): { username: string; credential: string } {
  const username = `${Math.floor(now / 1000) + TURN_CREDENTIAL_TTL_S}:${userId}`;
  return { username, credential: createHmac("sha1", secret).update(username).digest("base64") };
}

export function browserIceServers(voice: VoiceConfig | undefined, userId: string): BrowserIceServer[] {
  const out: BrowserIceServer[] = [];
  if (voice?.stunUrls.length) out.push({ urls: voice.stunUrls });
  if (voice?.turnUrl && voice.turnSecret) out.push({ urls: [voice.turnUrl], ...turnCredential(voice.turnSecret, userId) });
  return out;
}
