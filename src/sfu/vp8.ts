// VP8 payloads (RFC 7741) as far as the SFU reads them: where a keyframe starts, and the picture
// ID and TL0PICIDX of the payload descriptor. Each simulcast layer numbers its pictures on its
// own; a viewer's stream moving from one layer to another would see those numbers jump (even
// backwards, which a receiver may take for old frames and drop), so they are rewritten per
// viewer to run on from the last picture forwarded.

/**
 * A VP8 packet that starts a keyframe: the payload descriptor's S bit with partition 0, then the
 * VP8 frame tag's P bit clear. With it, the frame's size from the keyframe header (0 x 0 when the
 * packet does not carry it), or null when the packet does not start a keyframe.
 */
export function vp8KeyframeStart(payload: Uint8Array): { width: number; height: number } | null {
  if (payload.length < 1) return null;
  const b0 = payload[0]!;
  // S (start of partition) and PartID 0.
  if ((b0 & 0x10) === 0 || (b0 & 0x0f) !== 0) return null;
  let i = 1;
  if (b0 & 0x80) {
    const x = payload[i++];
    if (x === undefined) return null;
    if (x & 0x80) i += (payload[i]! & 0x80) !== 0 ? 2 : 1; // picture ID, 7 or 15 bits
    if (x & 0x40) i++; // TL0PICIDX
    if (x & 0x30) i++; // TID/KEYIDX
  }
  if (i >= payload.length) return null;
  // Frame tag bit 0: 0 = keyframe.
  if ((payload[i]! & 0x01) !== 0) return null;
  // Keyframe header: 3-byte tag, start code 9d 01 2a, then 14-bit width and height.
  if (i + 10 > payload.length || payload[i + 3] !== 0x9d || payload[i + 4] !== 0x01 || payload[i + 5] !== 0x2a) return { width: 0, height: 0 };
  const width = (payload[i + 6]! | (payload[i + 7]! << 8)) & 0x3fff;
  const height = (payload[i + 8]! | (payload[i + 9]! << 8)) & 0x3fff;
  return { width, height };
}

const PIC_SPACE = 0x8000;

/** One viewer's stream: picture IDs and TL0PICIDX continuous across layer switches. */
export class Vp8Numbers {
  private picOffset = 0;
  private tl0Offset = 0;
  private lastPic = -1;
  private lastTl0 = -1;

  /**
   * The payload to send for a forwarded packet (`switched`: the first of a new layer): the same
   * buffer when nothing changes, else a copy with the numbers rewritten.
   */
  apply(payload: Buffer, switched: boolean): Buffer {
    if (payload.length < 3 || (payload[0]! & 0x80) === 0) return payload;
    const x = payload[1]!;
    let i = 2;
    let picAt = -1;
    let long = false;
    if (x & 0x80) {
      picAt = i;
      long = (payload[i]! & 0x80) !== 0;
      i += long ? 2 : 1;
    }
    const tl0At = x & 0x40 ? i : -1;
    if (i + (tl0At >= 0 ? 1 : 0) > payload.length) return payload;
    const pic = picAt < 0 ? -1 : long ? ((payload[picAt]! & 0x7f) << 8) | payload[picAt + 1]! : payload[picAt]! & 0x7f;
    const tl0 = tl0At < 0 ? -1 : payload[tl0At]!;
    if (switched) {
      if (pic >= 0 && this.lastPic >= 0) this.picOffset = (this.lastPic + 1 - pic + PIC_SPACE) % PIC_SPACE;
      if (tl0 >= 0 && this.lastTl0 >= 0) this.tl0Offset = (this.lastTl0 + 1 - tl0) & 0xff;
    }
    let out = payload;
    if (pic >= 0) {
      const p = (pic + this.picOffset) % PIC_SPACE;
      if (this.lastPic < 0 || ((p - this.lastPic + PIC_SPACE) % PIC_SPACE) < PIC_SPACE / 2) this.lastPic = p;
      if (this.picOffset !== 0) {
        out = Buffer.from(payload);
        if (long) {
          out[picAt] = 0x80 | (p >> 8);
          out[picAt + 1] = p & 0xff;
        } else {
          out[picAt] = p & 0x7f;
        }
      }
    }
    if (tl0 >= 0) {
      const t = (tl0 + this.tl0Offset) & 0xff;
      if (this.lastTl0 < 0 || ((t - this.lastTl0) & 0xff) < 0x80) this.lastTl0 = t;
      if (this.tl0Offset !== 0) {
        if (out === payload) out = Buffer.from(payload);
        out[tl0At] = t;
      }
    }
    return out;
  }
}
