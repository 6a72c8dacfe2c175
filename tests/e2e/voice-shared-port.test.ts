// Chromium on a server that takes every call on one UDP port (`--voice-ports PORT`): two people
// hear each other, every candidate the server offers is on that port, and an ICE restart (a
// changed network) keeps the sound coming through the same port.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { freeUdpPort } from "../../src/testing/voice-fixture.ts";
import { watchProblems } from "./support/browser.ts";
import { eventually, inboundAudio } from "./support/call.ts";
import { openVoiceRoom, type VoiceRoom } from "./support/voice-room.ts";

let room: VoiceRoom;
let port: number;
let app: VoiceRoom["app"];
let g: VoiceRoom["g"];
let voiceId: string;
let browsers: VoiceRoom["browsers"];

beforeAll(async () => {
  port = await freeUdpPort();
  room = await openVoiceRoom("One port", { ports: [port, port] });
  ({ app, g, voiceId, browsers } = room);
}, 60_000);
afterAll(async () => {
  await room?.close();
}, 60_000);

type VoiceWindow = { pokynanoVoice: { pc: RTCPeerConnection | null; restart(): void } };

/** The ports of the server's candidates in the page's current remote description, and of the pair in use. */
function ports(page: Page): Promise<{ offered: number[]; used: number | null; ufrag: string }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as VoiceWindow).pokynanoVoice.pc!;
    const sdp = pc.remoteDescription!.sdp;
    const offered = [...sdp.matchAll(/a=candidate:\S+ \d+ udp \d+ \S+ (\d+) typ/g)].map((m) => Number(m[1]));
    let used: number | null = null;
    const stats = await pc.getStats();
    for (const s of stats.values()) if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") used = stats.get(s.remoteCandidateId)?.port ?? null;
    return { offered, used, ufrag: /a=ice-ufrag:(\S+)/.exec(sdp)?.[1] ?? "" };
  });
}

test("two people on a server with one UDP port hear each other, and an ICE restart keeps the sound on that port", async () => {
  const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
  const problems = [...watchProblems(owner), ...watchProblems(other)];
  await owner.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  await other.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  for (const page of [owner, other]) {
    const first = await eventually(() => inboundAudio(page), (b) => b > 0);
    await eventually(() => inboundAudio(page), (b) => b > first + 1000);
    const p = await eventually(() => ports(page), (x) => x.used !== null);
    expect(p.offered.length).toBeGreaterThan(0);
    expect(new Set([...p.offered, p.used])).toEqual(new Set([port]));
  }
  const before = await ports(other);
  await other.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.restart());
  await eventually(() => ports(other), (x) => x.ufrag !== before.ufrag);
  const after = await inboundAudio(other);
  await eventually(() => inboundAudio(other), (b) => b > after + 1000);
  expect((await ports(other)).used).toBe(port);
  expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
}, 90_000);
