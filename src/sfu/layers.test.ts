// The simulcast layer switcher: one continuous stream out of several layers, switching only where
// the new layer starts a keyframe; the layer choice by tile size; VP8 keyframe detection.
import { expect, test } from "bun:test";
import { LayerSwitcher, pickLayer, type Layer } from "./layers.ts";
import { vp8KeyframeStart, Vp8Numbers } from "./vp8.ts";

/** A VP8 payload (RFC 7741 descriptor with a 15-bit picture ID) starting a frame. */
function vp8(key: boolean, width = 320, height = 180): Uint8Array {
  const descriptor = [0x90, 0x80, 0x80 | 0x12, 0x34];
  // Frame tag (bit 0 clear on keyframes), then the keyframe start code and the size.
  const tag = [key ? 0x50 : 0x51, 0x02, 0x00];
  const header = key ? [0x9d, 0x01, 0x2a, width & 0xff, width >> 8, height & 0xff, height >> 8] : [];
  return new Uint8Array([...descriptor, ...tag, ...header, 0, 0, 0]);
}

test("a VP8 keyframe's first packet is told apart from a delta frame and a continuation, with its size", () => {
  expect(vp8KeyframeStart(vp8(true, 640, 360))).toEqual({ width: 640, height: 360 });
  expect(vp8KeyframeStart(vp8(false))).toBeNull();
  const continuation = vp8(true);
  continuation[0] = 0x80; // S bit clear: not the start of the frame
  expect(vp8KeyframeStart(continuation)).toBeNull();
  // Without the extended control bits (no picture ID).
  expect(vp8KeyframeStart(new Uint8Array([0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00]))).toEqual({ width: 320, height: 180 });
});

test("switching layers keeps sequence numbers and timestamps continuous and waits for the new layer's keyframe", () => {
  const s = new LayerSwitcher();
  s.target = "q";
  // Nothing until the target's keyframe.
  expect(s.rewrite("q", 100, 9000, false, 0)).toBeNull();
  expect(s.rewrite("q", 101, 9000, true, 0)).toMatchObject({ seq: 101, ts: 9000, switched: true });
  expect(s.rewrite("q", 102, 12750, false, 40)).toMatchObject({ seq: 102, ts: 12750 });
  // Asked to move to "f": "q" goes on until "f" starts a keyframe; "f" delta frames are dropped.
  s.target = "f";
  expect(s.switching).toBe(true);
  expect(s.rewrite("f", 5000, 777_000, false, 60)).toBeNull();
  expect(s.rewrite("q", 103, 16500, false, 80)).toMatchObject({ seq: 103, ts: 16500 });
  // The keyframe: numbered right after the last packet sent, its time 20 ms (1,800 ticks) later.
  expect(s.rewrite("f", 5001, 780_000, true, 100)).toMatchObject({ seq: 104, ts: 18300, switched: true });
  expect(s.switching).toBe(false);
  expect(s.rewrite("f", 5002, 783_750, false, 140)).toMatchObject({ seq: 105, ts: 22050, switched: false });
  // The old layer is no longer forwarded.
  expect(s.rewrite("q", 104, 20250, false, 141)).toBeNull();
  // And back down, across the 16-bit sequence wrap of the new layer.
  s.target = "q";
  expect(s.rewrite("q", 65535, 1_000_000, true, 180)).toMatchObject({ seq: 106, ts: 22050 + 3600 });
  expect(s.rewrite("q", 0, 1_003_750, false, 220)).toMatchObject({ seq: 107, ts: 22050 + 3600 + 3750 });
});

test("a stream on a reused m-line continues from what that m-line sent last", () => {
  const s = new LayerSwitcher({ seq: 65535, ts: 4_294_967_000 });
  s.target = "";
  expect(s.rewrite("", 10, 500, true, 1000)).toMatchObject({ seq: 0, ts: (4_294_967_000 + 90_000) >>> 0 });
});

test("a paused stream forwards nothing and restarts at a keyframe", () => {
  const s = new LayerSwitcher();
  s.target = "h";
  expect(s.rewrite("h", 1, 100, true, 0)).not.toBeNull();
  s.pause();
  expect(s.rewrite("h", 2, 200, false, 10)).toBeNull();
  s.target = "h";
  expect(s.rewrite("h", 3, 300, false, 20)).toBeNull();
  expect(s.rewrite("h", 4, 400, true, 30)).toMatchObject({ seq: 2, ts: 100 + 2700 });
});

test("the layer chosen is the smallest that covers the tile, passing over layers that stopped arriving", () => {
  const layer = (rid: string, rank: number, width: number, height: number, lastAt: number): Layer => ({ rid, rank, width, height, lastAt, ssrc: 1, lastPli: 0 });
  const layers = [layer("f", 2, 1280, 720, 1000), layer("q", 0, 320, 180, 1000), layer("h", 1, 640, 360, 1000)];
  expect(pickLayer(layers, { width: 300, height: 170 }, 1100)?.rid).toBe("q");
  expect(pickLayer(layers, { width: 600, height: 400 }, 1100)?.rid).toBe("f");
  expect(pickLayer(layers, { width: 2000, height: 1200 }, 1100)?.rid).toBe("f");
  expect(pickLayer(layers, { width: 0, height: 0 }, 1100)).toBeNull();
  // "f" went quiet (the publisher's bandwidth dropped it): the largest still arriving.
  layers[0]!.lastAt = 0;
  layers[2]!.lastAt = 3000;
  layers[1]!.lastAt = 3000;
  expect(pickLayer(layers, { width: 1200, height: 700 }, 3100)?.rid).toBe("h");
  // Sizes not known yet: the nominal ones of the rids.
  expect(pickLayer([layer("q", 0, 0, 0, 10), layer("h", 1, 0, 0, 10)], { width: 500, height: 300 }, 20)?.rid).toBe("h");
});

test("VP8 picture IDs and TL0PICIDX run on across a switch to a layer numbered differently", () => {
  /** A descriptor with a 15-bit picture ID and a TL0PICIDX, then a byte of payload. */
  const packet = (pic: number, tl0: number) => Buffer.from([0x90, 0xc0, 0x80 | (pic >> 8), pic & 0xff, tl0, 0x20, 0x50]);
  const ids = (b: Buffer) => ({ pic: ((b[2]! & 0x7f) << 8) | b[3]!, tl0: b[4]! });
  const n = new Vp8Numbers();
  // The first layer goes out as it is (the same buffer: no copy).
  const first = packet(30000, 200);
  expect(n.apply(first, true)).toBe(first);
  expect(ids(n.apply(packet(30001, 201), false))).toEqual({ pic: 30001, tl0: 201 });
  // The next layer numbers its pictures far behind: they continue from 30001 and 201.
  expect(ids(n.apply(packet(12, 7), true))).toEqual({ pic: 30002, tl0: 202 });
  expect(ids(n.apply(packet(13, 8), false))).toEqual({ pic: 30003, tl0: 203 });
  // Across the 15-bit and 8-bit wraps.
  const m = new Vp8Numbers();
  m.apply(packet(0x7fff, 0xff), true);
  expect(ids(m.apply(packet(500, 40), true))).toEqual({ pic: 0, tl0: 0 });
  // The payload after the descriptor is untouched.
  expect(m.apply(packet(501, 41), false).subarray(5)).toEqual(Buffer.from([0x20, 0x50]));
});
