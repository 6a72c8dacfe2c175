// Chromium on a server that takes every call on one UDP port (`--voice-ports PORT`): two people
// hear each other, every candidate the server offers is on that port, and an ICE restart (a
// changed network) keeps the sound coming through the same port.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { freeUdpPort } from "../../src/testing/voice-fixture.ts";
import { launchBrowser, MEDIA_FLAGS, watchProblems, type Browser } from "./support/browser.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let voiceId: string;
let port: number;
let browsers: Browser[] = [];

beforeAll(async () => {
  port = await freeUdpPort();
  // Every interface (Chromium does not use loopback candidates), one port.
  app = await createTestApp({ voice: { ports: [port, port], listenIp: null, publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null } });
  g = await createGuildFixture(app, "One port");
  bea = await createAccount(app, { username: "bea_port", displayName: "Bea" });
  await g.join(bea);
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, g.owner.bearer));
  voiceId = channels.find((c) => c.type === 2)!.id;
  browsers = await Promise.all([launchBrowser(MEDIA_FLAGS), launchBrowser(MEDIA_FLAGS)]);
  await browsers[0]!.context.addCookies([{ name: "pokynano_session", value: g.owner.token, url: app.url }]);
  await browsers[1]!.context.addCookies([{ name: "pokynano_session", value: bea.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

type VoiceWindow = { pokynanoVoice: { pc: RTCPeerConnection | null; restart(): void } };

function audioBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pc = (window as unknown as VoiceWindow).pokynanoVoice.pc;
    let bytes = 0;
    for (const s of (await pc?.getStats())?.values() ?? []) if (s.type === "inbound-rtp" && s.kind === "audio") bytes += s.bytesReceived ?? 0;
    return bytes;
  });
}

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

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not reached: ${JSON.stringify(v)}`);
    await Bun.sleep(250);
  }
}

test("two people on a server with one UDP port hear each other, and an ICE restart keeps the sound on that port", async () => {
  const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
  const problems = [...watchProblems(owner), ...watchProblems(other)];
  await owner.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  await other.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
  for (const page of [owner, other]) {
    const first = await eventually(() => audioBytes(page), (b) => b > 0);
    await eventually(() => audioBytes(page), (b) => b > first + 1000);
    const p = await eventually(() => ports(page), (x) => x.used !== null);
    expect(p.offered.length).toBeGreaterThan(0);
    expect(new Set([...p.offered, p.used])).toEqual(new Set([port]));
  }
  const before = await ports(other);
  await other.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.restart());
  await eventually(() => ports(other), (x) => x.ufrag !== before.ufrag);
  const after = await audioBytes(other);
  await eventually(() => audioBytes(other), (b) => b > after + 1000);
  expect((await ports(other)).used).toBe(port);
  expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
}, 90_000);
