// http_ece (a dependency of web-push) has no types; the tests decrypt pushes with it as a browser would.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  export function decrypt(buffer: Uint8Array, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string | Uint8Array }): Buffer;
}
