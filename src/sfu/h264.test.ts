import { expect, test } from "bun:test";
import { h264KeyframeStart } from "./h264.ts";

const nal = (type: number, length = 6) => [0x60 | type, ...Array.from({ length: length - 1 }, (_, i) => i + 1)];
const stapA = (...units: number[][]) => Uint8Array.from([0x78, ...units.flatMap((u) => [u.length >> 8, u.length & 0xff, ...u])]);

test("an H.264 packet starts a keyframe where it carries the sequence parameter set", () => {
  // Alone, aggregated with the PPS and the IDR slice (what browsers send), or first fragment.
  expect(h264KeyframeStart(Uint8Array.from(nal(7)))).toBe(true);
  expect(h264KeyframeStart(stapA(nal(7, 12), nal(8, 4), nal(5, 30)))).toBe(true);
  expect(h264KeyframeStart(stapA(nal(6, 5), nal(7, 12)))).toBe(true);
  expect(h264KeyframeStart(Uint8Array.from([0x7c, 0x80 | 7, 1, 2, 3]))).toBe(true);
});

test("IDR slices without their parameter sets, other slices and broken aggregates are no place to join", () => {
  expect(h264KeyframeStart(Uint8Array.from(nal(5)))).toBe(false);
  expect(h264KeyframeStart(Uint8Array.from(nal(1)))).toBe(false);
  // The first fragment of an IDR slice, and a later fragment of an SPS.
  expect(h264KeyframeStart(Uint8Array.from([0x7c, 0x80 | 5, 1, 2]))).toBe(false);
  expect(h264KeyframeStart(Uint8Array.from([0x7c, 7, 1, 2]))).toBe(false);
  expect(h264KeyframeStart(stapA(nal(1, 8), nal(5, 8)))).toBe(false);
  // A size running past the end, a zero size, and packets too short to say.
  expect(h264KeyframeStart(Uint8Array.from([0x78, 0, 40, 0x67, 1]))).toBe(false);
  expect(h264KeyframeStart(Uint8Array.from([0x78, 0, 0, 0x67, 1]))).toBe(false);
  expect(h264KeyframeStart(Uint8Array.from([0x67]))).toBe(false);
  expect(h264KeyframeStart(new Uint8Array())).toBe(false);
});
