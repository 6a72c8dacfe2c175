// Where an H.264 stream can be joined (RFC 6184 payloads): at the sequence parameter set that
// browsers' encoders send with every keyframe (SPS, PPS, then the IDR slice, in one frame). A
// viewer switched in at the IDR slice alone would lack the parameter sets of the new resolution
// and decode nothing, so only the packet carrying the SPS counts as a keyframe's start.
const SPS = 7;
const STAP_A = 24;
const FU_A = 28;

/** True when this packet starts a keyframe: an SPS alone, in an aggregate (STAP-A), or the first fragment of one. */
export function h264KeyframeStart(payload: Uint8Array): boolean {
  if (payload.length < 2) return false;
  const type = payload[0]! & 0x1f;
  if (type === SPS) return true;
  if (type === FU_A) return (payload[1]! & 0x80) !== 0 && (payload[1]! & 0x1f) === SPS;
  if (type !== STAP_A) return false;
  // STAP-A: a 16-bit size before each unit.
  for (let at = 1; at + 2 < payload.length; ) {
    const size = (payload[at]! << 8) | payload[at + 1]!;
    if (size === 0 || at + 2 + size > payload.length) return false;
    if ((payload[at + 2]! & 0x1f) === SPS) return true;
    at += 2 + size;
  }
  return false;
}
