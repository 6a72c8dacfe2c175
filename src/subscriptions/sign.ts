// How a delivery is signed, as Stripe and Slack do it: HMAC-SHA256 with the subscription's secret
// over `<timestamp>.<body>`. The timestamp travels in its own header and is inside the signed
// text, so a receiver that refuses old timestamps (5 minutes is usual) also refuses replays.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Pokynano-Signature";
export const TIMESTAMP_HEADER = "X-Pokynano-Timestamp";

/** `sha256=<hex>`, the value of X-Pokynano-Signature. */
export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (exported for the tests and the docs' example). */
export function verifyDelivery(secret: string, signature: string, timestamp: string, body: string): boolean {
  const expected = Buffer.from(signDelivery(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
