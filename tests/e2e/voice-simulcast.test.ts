// Simulcast through the real SFU with two Chromiums and fake cameras: the publisher's camera goes
// up in three layers, and the viewer gets the layer that fits the tile it shows it in: the small
// tile of the grid gets the quarter-size layer, the same tile spotlighted (the width of the grid)
// the full-size one, and back down when the spotlight goes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { watchProblems } from "./support/browser.ts";
import { eventually } from "./support/call.ts";
import { openVoiceRoom, type VoiceRoom } from "./support/voice-room.ts";

let room: VoiceRoom;
let app: VoiceRoom["app"];
let g: VoiceRoom["g"];
let voiceId: string;
let browsers: VoiceRoom["browsers"];

beforeAll(async () => {
  room = await openVoiceRoom("Simulcast");
  ({ app, g, voiceId, browsers } = room);
}, 60_000);
afterAll(async () => {
  await room?.close();
}, 60_000);

/** The decoded video stream's size and frame count on the viewer, and what the publisher sends per rid. */
function videoStats(page: Page): Promise<{ width: number; frames: number; sent: Record<string, number> }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pokynanoVoice: { pc: RTCPeerConnection | null } }).pokynanoVoice.pc;
    const out = { width: 0, frames: 0, sent: {} as Record<string, number> };
    if (!pc) return out;
    for (const s of (await pc.getStats()).values()) {
      if (s.type === "inbound-rtp" && s.kind === "video") {
        out.width = s.frameWidth ?? 0;
        out.frames = s.framesDecoded ?? 0;
      }
      if (s.type === "outbound-rtp" && s.kind === "video" && s.rid) out.sent[s.rid] = s.frameWidth ?? 0;
    }
    return out;
  });
}

test("a viewer gets the camera's small layer in a grid tile and the full-size layer once it spotlights that tile", async () => {
  const [owner, viewer] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
  const problems = [...watchProblems(owner), ...watchProblems(viewer)];
  await owner.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  await viewer.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  // Both connected before the camera goes on.
  const state = (page: Page) => page.evaluate(() => (window as unknown as { pokynanoVoice: { pc: RTCPeerConnection | null } }).pokynanoVoice.pc?.connectionState ?? "none");
  for (const page of [owner, viewer]) await eventually(() => state(page), (s) => s === "connected");
  await owner.locator("#voice-camera:not([hidden])").click();

  // The publisher sends three layers: a quarter, a half and the whole of 1280x720 (its encoder
  // may shrink them some on a busy machine, keeping their order).
  const up = await eventually(() => videoStats(owner), (s) => s.sent.q! > 0 && s.sent.h! > s.sent.q! && s.sent.f! > s.sent.h!);
  expect(up.sent.q).toBeLessThanOrEqual(320);
  expect(up.sent.f).toBeGreaterThan(640);

  // In the grid, the owner's tile is small (a 14rem column): the quarter-size layer.
  const tile = viewer.locator(`.voice-tile[data-user-id="${g.owner.user.id}"]`);
  await tile.locator('video[data-source="camera"]').waitFor();
  const small = await eventually(() => videoStats(viewer), (s) => s.width > 0 && s.width <= 320 && s.frames > 10);
  const box = (await tile.locator("video").boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(320);

  // Spotlighted, the tile spans the grid: the full-size layer, and frames keep being decoded
  // across the switch (the stream stays continuous).
  await tile.click();
  const large = await eventually(() => videoStats(viewer), (s) => s.width > 640);
  expect((await tile.locator("video").boundingBox())!.width).toBeGreaterThan(640);
  await eventually(() => videoStats(viewer), (s) => s.frames > large.frames + 20);
  expect(large.frames).toBeGreaterThan(small.frames);

  // Spotlight off: back to the small layer.
  await tile.click();
  const back = await eventually(() => videoStats(viewer), (s) => s.width > 0 && s.width <= 320);
  await eventually(() => videoStats(viewer), (s) => s.frames > back.frames + 20);

  // Camera off and on again (a new offer on the same m-line): three layers again, and the small one here.
  await owner.locator("#voice-camera").click();
  await eventually(() => tile.locator('video[data-source="camera"]').count(), (n) => n === 0);
  await owner.locator("#voice-camera").click();
  await eventually(() => videoStats(owner), (s) => s.sent.f! > 640 && s.sent.q! > 0);
  const again = await eventually(() => videoStats(viewer), (s) => s.width > 0 && s.width <= 320 && s.frames > back.frames + 30);
  await eventually(() => videoStats(viewer), (s) => s.frames > again.frames + 20);
  expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
}, 120_000);
