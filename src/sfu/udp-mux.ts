// One UDP port for every call (`--voice-ports 50000`): werift opens a socket per peer connection
// and has no way to share one, so in the SFU thread its UDP transport is replaced by a virtual
// one over a shared socket. A datagram from an address already known goes to that address's
// peer; an unknown address is only accepted for a STUN binding request, routed by the ICE user
// name it carries (the SFU's half of it names the connection), and the address becomes known
// once werift has checked the request's integrity and answered it with a success. DTLS and SRTP
// from an address nobody answered are dropped. A firewall then needs one UDP port open.
import { createSocket, type Socket } from "node:dgram";
import { UdpTransport, type RTCPeerConnection } from "werift";
import { coarse } from "./guard.ts";

type Address = [string, number];
const STUN_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const BINDING_ERROR = 0x0111;
const USERNAME = 0x0006;
/** Addresses (and ICE user names) one connection keeps at most; the oldest go first. */
const MAX_PER_ROUTE = 16;

/** Counters for the stats and the tests. */
export const muxCounters = { routes: 0, dropped: 0 };

/** What werift's ICE uses of its UDP transport, shared-socket edition. */
class SharedTransport {
  readonly type = "udp";
  closed = false;
  onData: (data: Buffer, addr: Address) => void = () => {};
  /** When this peer last sent anything (the engine's liveness reads it instead of the shared socket's). */
  lastAt = 0;
  /** The remote addresses bound to it, oldest first (a few: candidates, a NAT rebinding, ICE restarts). */
  readonly addresses: string[] = [];
  readonly ufrags: string[] = [];

  constructor(
    readonly mux: UdpMux,
    readonly socketType: "udp4" | "udp6",
    readonly socket: Socket,
  ) {
    muxCounters.routes++;
  }

  get address() {
    return this.socket.address();
  }

  async send(data: Buffer, addr?: Address): Promise<void> {
    if (this.closed || !addr) return;
    if (isStun(data, BINDING_SUCCESS)) this.mux.learn(addr, this);
    else if (isStun(data, BINDING_REQUEST)) this.mux.expectAnswer(data, this);
    this.socket.send(data, addr[1], addr[0]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    muxCounters.routes--;
    this.mux.forget(this);
  }
}

function isStun(data: Buffer, type: number): boolean {
  return data.length >= 20 && data.readUInt16BE(0) === type && data.readUInt32BE(4) === STUN_COOKIE;
}

const transactionId = (data: Buffer) => data.toString("hex", 8, 20);

/** The USERNAME attribute of a STUN message ("serverUfrag:clientUfrag"), or null. */
function stunUsername(data: Buffer): string | null {
  const end = Math.min(data.length, 20 + data.readUInt16BE(2));
  for (let at = 20; at + 4 <= end; ) {
    const type = data.readUInt16BE(at);
    const length = data.readUInt16BE(at + 2);
    if (at + 4 + length > end) return null;
    if (type === USERNAME) return data.toString("utf8", at + 4, at + 4 + length);
    at += 4 + ((length + 3) & ~3);
  }
  return null;
}

export class UdpMux {
  private readonly sockets = new Map<"udp4" | "udp6", Promise<Socket>>();
  private readonly byAddress = new Map<string, SharedTransport>();
  private readonly byUfrag = new Map<string, SharedTransport>();
  /** STUN requests werift sent, by transaction id, until their answer arrives. */
  private readonly asked = new Map<string, SharedTransport>();

  constructor(
    readonly port: number,
    readonly listenIp: string | null,
  ) {}

  /** The shared socket of a family, bound once (concurrent first callers wait for the same bind). */
  private socketFor(type: "udp4" | "udp6"): Promise<Socket> {
    let bound = this.sockets.get(type);
    if (!bound) this.sockets.set(type, (bound = this.bind(type)));
    return bound;
  }

  private async bind(type: "udp4" | "udp6"): Promise<Socket> {
    const socket = createSocket(type);
    socket.on("message", (data, info) => this.receive(data, [info.address.split("%")[0]!, info.port]));
    const address = this.listenIp && (type === "udp6") === this.listenIp.includes(":") ? this.listenIp : undefined;
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind({ port: this.port, address }, () => {
        socket.off("error", reject);
        // Every call's packets wait in this one queue while the thread is busy: ask for room
        // (the kernel grants up to net.core.rmem_max).
        try {
          socket.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // Refused outright: the default queue stays.
        }
        resolve();
      });
    });
    return socket;
  }

  async transport(type: "udp4" | "udp6"): Promise<SharedTransport> {
    return new SharedTransport(this, type, await this.socketFor(type));
  }

  private receive(data: Buffer, from: Address): void {
    // A connectivity check goes by the user name it carries (a new connection from an address
    // seen before is a new peer); everything else by the address.
    let route: SharedTransport | undefined;
    if (isStun(data, BINDING_REQUEST)) {
      const ufrag = stunUsername(data)?.split(":")[0];
      if (ufrag) route = this.byUfrag.get(ufrag);
    } else if (isStun(data, BINDING_SUCCESS) || isStun(data, BINDING_ERROR)) {
      // The answer to a check werift sent (consent freshness): to whoever asked.
      const id = transactionId(data);
      route = this.asked.get(id);
      this.asked.delete(id);
    }
    route ??= this.byAddress.get(`${from[0]}:${from[1]}`);
    if (!route) return void muxCounters.dropped++;
    route.lastAt = coarse.now;
    route.onData(data, from);
  }

  expectAnswer(request: Buffer, route: SharedTransport): void {
    // Answers that never come must not pile up: the oldest questions go first.
    if (this.asked.size >= 4096) this.asked.delete(this.asked.keys().next().value!);
    this.asked.set(transactionId(request), route);
  }

  learn(addr: Address, route: SharedTransport): void {
    const key = `${addr[0]}:${addr[1]}`;
    const previous = this.byAddress.get(key);
    if (previous === route) return;
    if (previous) previous.addresses.splice(previous.addresses.indexOf(key), 1);
    this.byAddress.set(key, route);
    route.addresses.push(key);
    // One connection answering checks from ever more addresses must not grow the table.
    if (route.addresses.length > MAX_PER_ROUTE) this.byAddress.delete(route.addresses.shift()!);
  }

  /** The connection's ICE user name (new on an ICE restart) now leads to its transports. */
  claim(ufrag: string, route: SharedTransport): void {
    if (this.byUfrag.get(ufrag) === route) return;
    this.byUfrag.set(ufrag, route);
    route.ufrags.push(ufrag);
    if (route.ufrags.length > MAX_PER_ROUTE) this.byUfrag.delete(route.ufrags.shift()!);
  }

  forget(route: SharedTransport): void {
    for (const key of route.addresses) if (this.byAddress.get(key) === route) this.byAddress.delete(key);
    for (const ufrag of route.ufrags) if (this.byUfrag.get(ufrag) === route) this.byUfrag.delete(ufrag);
    for (const [key, r] of this.asked) if (r === route) this.asked.delete(key);
  }

  async close(): Promise<void> {
    for (const bound of this.sockets.values()) (await bound.catch(() => null))?.close();
    this.sockets.clear();
  }
}

let installed: UdpMux | null = null;

/** From here on, every ICE transport werift opens in this thread shares one port. */
export function installUdpMux(port: number, listenIp: string | null): UdpMux {
  if (installed) return installed;
  const mux = (installed = new UdpMux(port, listenIp));
  (UdpTransport as unknown as { init: (type: "udp4" | "udp6") => Promise<SharedTransport> }).init = (type) => mux.transport(type);
  return mux;
}

export const sharedPortInUse = () => installed !== null;

/** After a local description: map its ICE user name to its transports (no-op without the mux). */
export function claimIceUsername(pc: RTCPeerConnection): void {
  if (!installed) return;
  for (const ice of pc.iceTransports) {
    const connection = ice.connection as unknown as { localUsername: string; protocols: { transport?: unknown }[] };
    const route = connection.protocols.map((p) => p.transport).find((t): t is SharedTransport => t instanceof SharedTransport);
    if (route) installed.claim(connection.localUsername, route);
  }
}
