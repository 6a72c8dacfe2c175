// The camera's codec follows the browser's preference: one whose own list puts H.264 first (as
// Safari's does, for its hardware encoder) sends H.264 and the other side decodes it, switching
// simulcast layers at H.264 keyframes; Chromium's default order sends VP8.
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
  room = await openVoiceRoom("Codecs");
  ({ app, g, voiceId, browsers } = room);
  // The owner's browser lists H.264 before everything else, as Safari does.
  await browsers[0]!.context.addInitScript(() => {
    const own = RTCRtpReceiver.getCapabilities.bind(RTCRtpReceiver);
    RTCRtpReceiver.getCapabilities = (kind: string) => {
      const caps = own(kind);
      if (!caps || kind !== "video") return caps;
      const h264 = caps.codecs.filter((c) => c.mimeType === "video/H264");
      return { ...caps, codecs: [...h264, ...caps.codecs.filter((c) => c.mimeType !== "video/H264")] };
    };
  });
}, 60_000);
afterAll(async () => {
  await room?.close();
}, 60_000);

/** The inbound video stream's codec, frames decoded and width (the first video stream with frames). */
function inboundVideo(page: Page): Promise<{ codec: string; frames: number; width: number }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pokynanoVoice: { pc: RTCPeerConnection | null } }).pokynanoVoice.pc;
    const out = { codec: "", frames: 0, width: 0 };
    if (!pc) return out;
    const stats = await pc.getStats();
    for (const s of stats.values()) {
      if (s.type !== "inbound-rtp" || s.kind !== "video" || !(s.framesDecoded > 0)) continue;
      return { codec: stats.get(s.codecId)?.mimeType ?? "", frames: s.framesDecoded, width: s.frameWidth ?? 0 };
    }
    return out;
  });
}

test("a browser that prefers H.264 sends its camera as H.264, the other decodes it at the layer its tile needs; Chromium's own order sends VP8", async () => {
  const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
  const problems = [...watchProblems(owner), ...watchProblems(other)];
  await owner.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  await other.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  for (const page of [owner, other]) await eventually(() => page.locator(`#voice-members-${voiceId} li`).count(), (n) => n === 2);

  await owner.locator("#voice-camera").click();
  const h264 = await eventually(() => inboundVideo(other), (v) => v.frames > 10);
  expect(h264.codec).toBe("video/H264");
  // Its simulcast layers switch at H.264 keyframes too: small in the grid (once the tile's size
  // has reached the server; before, the default layer), full size spotlighted.
  await eventually(() => inboundVideo(other), (v) => v.width > 0 && v.width <= 320 && v.frames > h264.frames);
  await other.locator(`.voice-tile[data-user-id="${g.owner.user.id}"]`).click();
  const large = await eventually(() => inboundVideo(other), (v) => v.width > 640);
  await eventually(() => inboundVideo(other), (v) => v.frames > large.frames + 20);

  await other.locator("#voice-camera").click();
  const vp8 = await eventually(() => inboundVideo(owner), (v) => v.frames > 10);
  expect(vp8.codec).toBe("video/VP8");
  expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
}, 90_000);
