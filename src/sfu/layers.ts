// Simulcast layer selection, without werift: which of a camera's layers a viewer gets, and the
// rewriting that makes one continuous stream of it. Each layer is its own RTP stream (its own
// SSRC, sequence numbers and timestamp base); a viewer's downlink is one stream, so on a switch
// the new layer's numbers are offset to follow the last packet forwarded, and a switch happens
// only where the new layer starts a keyframe (anything else would not decode).

/** One layer of an uplink as the SFU sees it arrive. `rid` is "" for a publisher without simulcast. */
export interface Layer {
  rid: string;
  /** The layer's SSRC, learnt from its packets (0: none yet). */
  ssrc: number;
  /** Frame size read from its last keyframe (0: none seen yet). */
  width: number;
  height: number;
  /** When its last packet arrived (the SFU's coarse clock, ms). */
  lastAt: number;
  /** Its place in the publisher's list, low to high (the order the SFU offered the rids in). */
  rank: number;
  /** When a keyframe was last asked of it. */
  lastPli: number;
}

/** The size of the tile a viewer shows a stream in, in device pixels; 0 x 0 = not shown. */
export interface Want {
  width: number;
  height: number;
}

/** A layer that sent nothing for this long is gone (the publisher's bandwidth dropped it). */
export const LAYER_STALE_MS = 1500;
/** What a viewer gets before it says what size it shows a camera at. */
export const DEFAULT_WANT: Want = { width: 640, height: 360 };
/** The size each rid is sent at, until a keyframe tells (the client scales 1280x720 by 4, 2, 1). */
const NOMINAL: Record<string, [number, number]> = { q: [320, 180], h: [640, 360], f: [1280, 720] };

function sizeOf(layer: Layer): [number, number] {
  if (layer.width > 0) return [layer.width, layer.height];
  return NOMINAL[layer.rid] ?? [0, 0];
}

/**
 * The layer to forward: the smallest live one that covers the tile (as wide and as high), else
 * the largest live one; null when the tile is not shown or nothing arrives.
 */
export function pickLayer(layers: Iterable<Layer>, want: Want, now: number): Layer | null {
  if (want.width <= 0 || want.height <= 0) return null;
  const live = [...layers].filter((l) => l.lastAt > 0 && now - l.lastAt < LAYER_STALE_MS).sort((a, b) => a.rank - b.rank);
  if (live.length === 0) return null;
  for (const l of live) {
    const [w, h] = sizeOf(l);
    if (w >= want.width && h >= want.height) return l;
  }
  return live[live.length - 1]!;
}

/** Ticks of a 90 kHz video clock per ms. */
const VIDEO_TICKS_PER_MS = 90;

/**
 * One viewer's stream of one camera: forwards the current layer with its numbers offset, and
 * moves to the target layer at the target's first keyframe packet, continuing the sequence
 * numbers (no gap, so the viewer sees no loss) and the timestamps (advanced by the time since
 * the last forwarded packet, at least one tick, so frames stay in order).
 */
export class LayerSwitcher {
  /** The rid being forwarded (null: nothing yet, or paused). */
  current: string | null = null;
  /** The rid wanted (null: forward nothing). */
  target: string | null = null;
  private seqOffset = 0;
  private tsOffset = 0;
  private lastSeq: number;
  private lastTs: number;
  private lastAt = 0;
  private sent: boolean;

  /** `from`: the last sequence number and timestamp the downlink already sent (a reused m-line). */
  constructor(from?: { seq: number; ts: number }) {
    this.sent = from !== undefined;
    this.lastSeq = from?.seq ?? 0;
    this.lastTs = from?.ts ?? 0;
  }

  /**
   * The outgoing sequence number and timestamp for a packet of layer `rid`, or null to drop it.
   * The current layer keeps flowing while the target's keyframe is awaited.
   */
  rewrite(rid: string, seq: number, ts: number, keyframeStart: boolean, now: number): { seq: number; ts: number; switched: boolean } | null {
    let switched = false;
    if (rid !== this.current) {
      if (rid !== this.target || !keyframeStart) return null;
      this.current = rid;
      switched = true;
      if (this.sent) {
        this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
        const gap = Math.max(1, Math.round((now - this.lastAt) * VIDEO_TICKS_PER_MS));
        this.tsOffset = (this.lastTs + gap - ts) >>> 0;
      } else {
        this.seqOffset = 0;
        this.tsOffset = 0;
      }
    }
    const outSeq = (seq + this.seqOffset) & 0xffff;
    const outTs = (ts + this.tsOffset) >>> 0;
    // The newest packet sent (a reordered older one does not move the base).
    if (!this.sent || ((outSeq - this.lastSeq) & 0xffff) < 0x8000) {
      this.lastSeq = outSeq;
      this.lastTs = outTs;
      this.lastAt = now;
    }
    this.sent = true;
    return { seq: outSeq, ts: outTs, switched };
  }

  /** Stop forwarding (the tile is hidden): a later target starts again at its keyframe. */
  pause(): void {
    this.target = null;
    this.current = null;
  }

  /** Waiting for the target's keyframe (a keyframe request is due). */
  get switching(): boolean {
    return this.target !== null && this.target !== this.current;
  }
}
