// Two Chromium instances with fake microphones and cameras in one voice channel: each hears the
// other (inbound audio bytes grow), a camera turned on shows frames on the other side, a screen
// share too, and the sidebar lists both live.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { watchProblems } from "./support/browser.ts";
import { openVoiceRoom, type VoiceRoom } from "./support/voice-room.ts";

let room: VoiceRoom;
let app: VoiceRoom["app"];
let g: VoiceRoom["g"];
let bea: VoiceRoom["bea"];
let voiceId: string;
let browsers: VoiceRoom["browsers"];
const debugInfo: string[] = [];

beforeAll(async () => {
  room = await openVoiceRoom("Voice");
  ({ app, g, bea, voiceId, browsers } = room);
}, 60_000);
afterAll(async () => {
  await room?.close();
}, 60_000);

/** Sums of the page's inbound RTP stats by kind. */
function inbound(page: Page): Promise<{ audioBytes: number; videoFrames: number; streams: number }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pokynanoVoice: { pc: RTCPeerConnection | null } }).pokynanoVoice.pc;
    const out = { audioBytes: 0, videoFrames: 0, streams: 0 };
    if (!pc) return out;
    for (const s of (await pc.getStats()).values()) {
      if (s.type !== "inbound-rtp") continue;
      out.streams++;
      if (s.kind === "audio") out.audioBytes += s.bytesReceived ?? 0;
      if (s.kind === "video") out.videoFrames += s.framesDecoded ?? 0;
    }
    return out;
  });
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not reached: ${JSON.stringify(v)} ${JSON.stringify(debugInfo)}`);
    await Bun.sleep(250);
  }
}

describe("voice in the browser", () => {
  test("two people in a voice channel hear each other, see a camera and a screen share, and the sidebar shows them", async () => {
    const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
    const problems = [...watchProblems(owner), ...watchProblems(other)];
    // What the pages said, shown if a step times out.
    for (const p of [owner, other]) p.on("console", (m) => debugInfo.push(m.text()));
    // Clicking a voice channel in the sidebar joins it.
    await owner.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await owner.locator(`a.channel-link[href*="${voiceId}"]`).click();
    await other.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);

    for (const page of [owner, other]) {
      const first = await eventually(() => inbound(page), (s) => s.audioBytes > 0);
      // Bytes keep arriving: the other's fake microphone is being forwarded.
      await eventually(() => inbound(page), (s) => s.audioBytes > first.audioBytes + 1000);
    }
    // An ICE restart (what a changed network triggers): new credentials, the audio keeps coming.
    const ufrag = () => other.evaluate(() => /a=ice-ufrag:(\S+)/.exec((window as unknown as { pokynanoVoice: { pc: RTCPeerConnection } }).pokynanoVoice.pc.remoteDescription!.sdp)?.[1]);
    const oldUfrag = await ufrag();
    await other.evaluate(() => (window as unknown as { pokynanoVoice: { restart(): void } }).pokynanoVoice.restart());
    await eventually(ufrag, (u) => u !== oldUfrag);
    const afterRestart = await inbound(other);
    await eventually(() => inbound(other), (s) => s.audioBytes > afterRestart.audioBytes + 1000);
    // Both listed under the voice channel in each sidebar, live.
    for (const page of [owner, other]) await eventually(() => page.locator(`#voice-members-${voiceId} li`).count(), (n) => n === 2);
    expect(await other.locator(`#voice-members-${voiceId}`).textContent()).toContain("Bea");

    // Mute shows on the other side's sidebar.
    await other.locator("#voice-mute").click();
    await eventually(() => owner.locator(`#voice-members-${voiceId} li[data-user-id="${bea.user.id}"] [aria-labelledby="voice-label-muted"]`).count(), (n) => n === 1);

    // Camera on: the other side decodes frames.
    await owner.locator("#voice-camera").click();
    await eventually(() => inbound(other), (s) => s.videoFrames > 5);
    await eventually(() => other.locator(`#voice-members-${voiceId} [aria-labelledby="voice-label-video"]`).count(), (n) => n === 1);

    // Screen share: frames as well, and the LIVE marker.
    const before = (await inbound(owner)).videoFrames;
    await other.locator("#voice-screen").click();
    await eventually(() => inbound(owner), (s) => s.videoFrames > before + 5);
    await eventually(() => owner.locator(`#voice-members-${voiceId} [aria-labelledby="voice-label-live"]`).count(), (n) => n === 1);

    // Leaving empties the other's list of that person.
    await other.locator("#voice-leave").click();
    await eventually(() => owner.locator(`#voice-members-${voiceId} li`).count(), (n) => n === 1);
    expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
  }, 90_000);

  test("the voice connection test in settings says direct UDP works and shows the round-trip time and loss", async () => {
    const page = await browsers[1]!.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/settings/voice`);
    await page.locator("#voice-test-run").click();
    await page.locator('#voice-test[data-done="1"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#voice-test-udp").textContent()).toBe("works");
    expect(await page.locator("#voice-test-rtt").textContent()).toMatch(/^\d+ ms$/);
    expect(await page.locator("#voice-test-loss").textContent()).toMatch(/^\d+\.\d %$/);
    expect(await page.locator("#voice-test-turn").textContent()).toBe("no TURN server configured");
    expect(problems).toEqual([]);
  }, 60_000);
});
