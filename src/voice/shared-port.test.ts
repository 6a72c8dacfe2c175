// Every call on one UDP port (`--voice-ports 50000`): werift's per-connection sockets are replaced
// by one shared socket (src/sfu/udp-mux.ts). Several participants on it hear each other, come
// and go without leaving routes behind, and strangers' datagrams reach nobody.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { until, type Frame, type VoiceClient } from "../testing/voice-client.ts";
import { freeUdpPort, LOOPBACK_VOICE, openVoiceFixture, type VoiceFixture } from "../testing/voice-fixture.ts";
import { voiceOf } from "./service.ts";

let f: VoiceFixture;
let port: number;

beforeAll(async () => {
  port = await freeUdpPort();
  f = await openVoiceFixture({ ...LOOPBACK_VOICE, ports: [port, port] });
});
afterAll(async () => {
  await f.close();
});

const stats = () => voiceOf(f.app.server.core).sfu.stats();

async function talkers(n: number): Promise<VoiceClient[]> {
  const clients = await Promise.all(Array.from({ length: n }, async () => f.client(await f.member())));
  for (const c of clients) expect((await c.join(f.voiceId)).v).toBe("joined");
  await until(() => clients.every((c) => c.peer.connected), 15000);
  // Each has its microphone and everyone else's negotiated.
  await until(() => clients.every((c) => c.peer.pc.getTransceivers().filter((t) => t.kind === "audio").length >= n), 15000);
  await Bun.sleep(800);
  return clients;
}

test("participants on one shared UDP port hear every other one, and the server offers only that port", async () => {
  const clients = await talkers(4);
  for (const c of clients) {
    const offer = c.frames.find((x) => x.v === "offer") as Frame & { sdp: string };
    const ports = [...offer.sdp.matchAll(/a=candidate:\S+ \d+ udp \d+ \S+ (\d+) typ host/g)].map((m) => Number(m[1]));
    expect(ports.length).toBeGreaterThan(0);
    expect(new Set(ports)).toEqual(new Set([port]));
  }
  for (let i = 0; i < 30; i++) {
    for (const c of clients) c.peer.send("mic");
    await Bun.sleep(5);
  }
  await until(() => clients.every((c) => clients.every((o) => o === c || c.peer.count(o.account.user.id).packets === 30)), 5000);
  for (const c of clients) for (const o of clients) if (o !== c) expect(c.peer.count(o.account.user.id).gaps).toBe(0);
  const s = await stats();
  expect(s.udpSockets).toBe(1);
  expect(s.sharedPort!.routes).toBeGreaterThanOrEqual(4);
  for (const c of clients) c.send({ v: "leave" });
  await until(async () => (await stats()).peers === 0, 10000);
  expect((await stats()).sharedPort!.routes).toBe(0);
}, 60000);

test("datagrams from an address no participant was answered on, and checks for an unknown connection, reach nobody", async () => {
  const [a, b] = await talkers(2);
  const before = (await stats()).sharedPort!.dropped;
  const stranger = createSocket("udp4");
  await new Promise<void>((resolve) => stranger.bind(0, "127.0.0.1", resolve));
  // Not STUN (what DTLS or SRTP would look like), then a STUN binding request for a user name
  // the server never gave out.
  const binding = Buffer.alloc(20 + 4 + 12);
  binding.writeUInt16BE(0x0001, 0);
  binding.writeUInt16BE(16, 2);
  binding.writeUInt32BE(0x2112a442, 4);
  binding.writeUInt16BE(0x0006, 20);
  binding.writeUInt16BE(9, 22);
  binding.write("nobody:xy", 24);
  for (const datagram of [Buffer.from([0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(300, 0x80), binding]) {
    await new Promise<void>((resolve) => stranger.send(datagram, port, "127.0.0.1", () => resolve()));
  }
  await until(async () => (await stats()).sharedPort!.dropped >= before + 3, 3000);
  stranger.close();
  // The call goes on.
  for (let i = 0; i < 20; i++) {
    a!.peer.send("mic");
    await Bun.sleep(5);
  }
  await until(() => b!.peer.count(a!.account.user.id).packets === 20, 5000);
  for (const c of [a!, b!]) c.send({ v: "leave" });
  await until(async () => (await stats()).peers === 0, 10000);
}, 60000);
