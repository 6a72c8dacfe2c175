// Setting an application's interactions endpoint URL, as Discord checks it: the URL passes the
// SSRF guard, answers a signed PING with {type: 1}, and refuses a request with a bad signature.
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { checkUrl, safeFetch, SafeFetchError } from "../net/safe-fetch.ts";
import { ensureKeys } from "./keys.ts";
import { postSigned } from "./service.ts";
import { applicationInteractions } from "./table.ts";

const invalid = (why: string) => new AppError(400, ErrorCode.invalidBody, `interactions_endpoint_url: ${why}`, { fields: { interactions_endpoint_url: why } });

export async function setInteractionsEndpoint(core: Core, appId: string, url: string | null): Promise<void> {
  const keys = await ensureKeys(core, appId);
  if (url) {
    try {
      checkUrl(url);
    } catch (err) {
      if (err instanceof SafeFetchError) throw invalid("Not an allowed http(s) URL.");
      throw err;
    }
    const ping = { id: ids.nextString(), application_id: appId, type: 1, token: "", version: 1 };
    const answer = (await postSigned(core, url, keys.privateKey, ping)) as { type?: unknown } | null;
    if (answer?.type !== 1) throw invalid("The endpoint did not answer a signed PING with {\"type\": 1}.");
    const forged = await safeFetch(url, { method: "POST", body: JSON.stringify(ping), headers: { "Content-Type": "application/json", "X-Signature-Ed25519": "00".repeat(64), "X-Signature-Timestamp": String(Math.floor(Date.now() / 1000)) }, timeoutMs: 3000, maxRedirects: 0, context: core }).catch(() => null);
    if (forged && forged.status >= 200 && forged.status < 300) throw invalid("The endpoint accepted a request with a bad signature; it must answer 401.");
  }
  await core.queue.write(({ orm }) => orm.update(applicationInteractions).set({ endpointUrl: url }).where(eq(applicationInteractions.applicationId, appId)).run());
}

/** The fields Discord's application object has for interactions. */
export async function interactionFields(core: Core, appId: string) {
  const keys = await ensureKeys(core, appId);
  return { verify_key: keys.publicKey, interactions_endpoint_url: keys.endpointUrl };
}
