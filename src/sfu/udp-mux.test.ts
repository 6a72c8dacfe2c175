// The shared voice port's routing, with real sockets: checks go by ICE user name, other datagrams
// only from addresses a connection answered, answers to the server's own checks by transaction id.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { freeUdpPort } from "../testing/voice-fixture.ts";
import { muxCounters, UdpMux } from "./udp-mux.ts";

let mux: UdpMux;
let port: number;
const clients: Socket[] = [];

beforeAll(async () => {
  port = await freeUdpPort();
  mux = new UdpMux(port, "127.0.0.1");
});
afterAll(async () => {
  for (const c of clients) c.close();
  await mux.close();
});

function stun(type: number, username?: string, id = Math.random().toString(16).slice(2, 14).padEnd(12, "0")): Buffer {
  const attr = username ? Buffer.alloc(4 + ((username.length + 3) & ~3)) : Buffer.alloc(0);
  if (username) {
    attr.writeUInt16BE(0x0006, 0);
    attr.writeUInt16BE(username.length, 2);
    attr.write(username, 4);
  }
  const head = Buffer.alloc(20);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(attr.length, 2);
  head.writeUInt32BE(0x2112a442, 4);
  head.write(id, 8, "latin1");
  return Buffer.concat([head, attr]);
}

async function client(): Promise<Socket & { got: Buffer[] }> {
  const s = createSocket("udp4") as Socket & { got: Buffer[] };
  s.got = [];
  s.on("message", (m) => s.got.push(m));
  await new Promise<void>((resolve) => s.bind(0, "127.0.0.1", resolve));
  clients.push(s);
  return s;
}

const send = (s: Socket, data: Buffer) => new Promise<void>((resolve) => s.send(data, port, "127.0.0.1", () => resolve()));
const addr = (s: Socket): [string, number] => ["127.0.0.1", s.address().port];

async function routeOf() {
  const route = await mux.transport("udp4");
  const got: Buffer[] = [];
  route.onData = (data) => got.push(data);
  return { route, got };
}

test("a check reaches the connection its user name names; its sender's media only once that connection answered", async () => {
  const a = await routeOf();
  const b = await routeOf();
  mux.claim("ufragA", a.route);
  mux.claim("ufragB", b.route);
  const browser = await client();
  const media = Buffer.from([0x80, 0x6f, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9]);
  const dropped = muxCounters.dropped;
  await send(browser, media);
  await send(browser, stun(0x0001, "ufragB:remote"));
  await Bun.sleep(50);
  expect(a.got.length).toBe(0);
  expect(b.got.map((d) => d.readUInt16BE(0))).toEqual([0x0001]);
  expect(muxCounters.dropped).toBe(dropped + 1);
  // B answers the check: from now on the browser's address is B's.
  await b.route.send(stun(0x0101), addr(browser));
  await Bun.sleep(50);
  expect(browser.got.length).toBe(1);
  await send(browser, media);
  await Bun.sleep(50);
  expect(b.got.at(-1)).toEqual(media);
  // An answer to B's own check comes back to B by its transaction id, from any address.
  const request = stun(0x0001, "remote:ufragB", "abcdefabcdef");
  await b.route.send(request, addr(browser));
  const elsewhere = await client();
  await send(elsewhere, stun(0x0101, undefined, "abcdefabcdef"));
  await Bun.sleep(50);
  expect(b.got.at(-1)!.readUInt16BE(0)).toBe(0x0101);
  // Closed: nothing reaches it any more.
  await b.route.close();
  const before = b.got.length;
  await send(browser, media);
  await send(browser, stun(0x0001, "ufragB:remote"));
  await Bun.sleep(50);
  expect(b.got.length).toBe(before);
  await a.route.close();
});

test("one connection keeps at most 16 answered addresses, dropping the oldest", async () => {
  const r = await routeOf();
  const browsers = await Promise.all(Array.from({ length: 20 }, () => client()));
  for (const s of browsers) await r.route.send(stun(0x0101), addr(s));
  const media = Buffer.from([0x80, 0x6f, 0, 2]);
  for (const s of browsers) await send(s, media);
  await Bun.sleep(100);
  expect(r.got.length).toBe(16);
  await r.route.close();
});
