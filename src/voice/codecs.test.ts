// Video codecs through the real signalling and SFU: a publisher sends the codec its side prefers
// (VP8 or H.264), each viewer gets it under its own payload type, and H.264 is only offered while
// every viewer can decode it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestAccount } from "../testing/accounts.ts";
import { until, type Frame, type VoiceClient } from "../testing/voice-client.ts";
import { openVoiceFixture, type VoiceFixture } from "../testing/voice-fixture.ts";
import type { TestVideoCodec } from "../testing/voice-peer.ts";
import { voiceOf } from "./service.ts";

let f: VoiceFixture;

beforeAll(async () => {
  f = await openVoiceFixture();
});
afterAll(async () => {
  await f.close();
});

async function inCall(channel: string, video?: TestVideoCodec[]): Promise<VoiceClient> {
  const c = await f.client(await f.member(), video);
  expect((await c.join(channel)).v).toBe("joined");
  await until(() => c.peer.connected, 10000);
  return c;
}

/** The codec names offered on one m-line of an SDP (by its mid). */
function offeredCodecs(sdp: string, mid: string): string[] {
  const section = sdp.split(/\r\n(?=m=)/).find((m) => m.includes(`\r\na=mid:${mid}\r\n`)) ?? "";
  return [...section.matchAll(/a=rtpmap:\d+ ([^/]+)\//g)].map((m) => m[1]!);
}

const lastOffer = (c: VoiceClient) => c.frames.filter((x) => x.v === "offer").at(-1) as Frame & { sdp: string; uplink: Record<string, string> };

async function sendCamera(from: VoiceClient, to: VoiceClient[], n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    from.peer.send("camera");
    await Bun.sleep(5);
  }
  await until(() => to.every((c) => c.peer.count(from.account.user.id, "camera").packets >= n), 5000);
}

test("a publisher that sends H.264 reaches viewers as H.264, and one preferring VP8 reaches them as VP8", async () => {
  const channel = await f.newVoiceChannel("h264");
  const h264Only = await inCall(channel, ["H264"]);
  const viewer = await inCall(channel, ["VP8", "H264"]);
  const vp8First = await inCall(channel, ["VP8", "H264"]);
  for (const c of [h264Only, vp8First]) c.send({ v: "publish", source: "camera", on: true });
  await until(() => Boolean(h264Only.peer.uplink.camera && vp8First.peer.uplink.camera));
  const firstCameraOffer = h264Only.frames.find((x) => x.v === "offer" && (x.uplink as Record<string, string>).camera) as Frame & { sdp: string };
  expect(offeredCodecs(firstCameraOffer.sdp, h264Only.peer.uplink.camera!)).toEqual(["VP8", "H264"]);
  await until(() => viewer.frames.filter((x) => x.v === "offer").some((o) => (o.tracks as { source: string }[]).filter((t) => t.source === "camera").length === 2));
  await Bun.sleep(800);
  await sendCamera(h264Only, [viewer, vp8First], 20);
  await sendCamera(vp8First, [viewer], 20);
  const got = (at: VoiceClient, from: VoiceClient) => at.peer.count(from.account.user.id, "camera");
  expect(got(viewer, h264Only)).toMatchObject({ packets: 20, gaps: 0, codec: "video/H264" });
  expect(got(vp8First, h264Only)).toMatchObject({ packets: 20, gaps: 0, codec: "video/H264" });
  expect(got(viewer, vp8First)).toMatchObject({ packets: 20, gaps: 0, codec: "video/VP8" });
  // The H.264-only peer decodes only H.264: VP8 from the other publisher is not sent to it.
  expect(got(h264Only, vp8First).packets).toBe(0);
  expect((await voiceOf(f.app.server.core).sfu.stats()).undecodable).toBeGreaterThanOrEqual(20);
}, 40000);

test("H.264 leaves the publishers' offers while a viewer that cannot decode it is in the room, and comes back when it leaves", async () => {
  const channel = await f.newVoiceChannel("mixed");
  const publisher = await inCall(channel, ["VP8", "H264"]);
  publisher.send({ v: "publish", source: "camera", on: true });
  await until(() => Boolean(publisher.peer.uplink.camera));
  const camera = () => offeredCodecs(lastOffer(publisher).sdp, publisher.peer.uplink.camera!);
  expect(camera()).toEqual(["VP8", "H264"]);
  await inCall(channel, ["VP8", "H264"]);
  await Bun.sleep(500);
  expect(camera()).toEqual(["VP8", "H264"]);
  const vp8Only = await inCall(channel, ["VP8"]);
  await until(() => !camera().includes("H264"), 8000);
  expect(camera()).toEqual(["VP8"]);
  // Video still flows, as VP8, to the viewer that asked for it.
  await Bun.sleep(500);
  await sendCamera(publisher, [vp8Only], 10);
  expect(vp8Only.peer.count(publisher.account.user.id, "camera")).toMatchObject({ packets: 10, codec: "video/VP8" });
  vp8Only.send({ v: "leave" });
  await until(() => camera().includes("H264"), 8000);
  expect(camera()).toEqual(["VP8", "H264"]);
}, 40000);
