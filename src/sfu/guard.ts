// Every UDP socket werift opens in the SFU thread goes through here (it creates them with
// node:dgram and attaches no "error" listener). Under Bun an unhandled socket error is fatal, and
// an ICMP "port unreachable" from a client that vanished raises one: without this guard one
// closed browser tab could take the whole server down. Patching the prototype covers sockets
// created deep inside werift (ICE, TURN, port probing) without forking it; it runs only in the
// SFU worker, whose module instances are its own.
//
// The guard also counts: sockets open (leak tests), errors caught, and datagrams sent to an
// address that never sent the SFU anything. The SFU is ICE-lite, so it only ever answers;
// a datagram to a stranger would be a STUN query to a third party (werift's default Google STUN
// server), which a self-hosted server must never make unasked.
import { Socket } from "node:dgram";

export const socketCounters = { open: 0, errors: 0, lastError: "" };
/** A coarse clock the SFU engine keeps current (no Date.now() per datagram). */
export const coarse = { now: Date.now() };

/** When the last datagram reached JavaScript (performance.now()): the start of its forwarding. */
export const arrival = { at: 0 };

/** Every distinct address the SFU sent a datagram to (bounded), so a test can see none is foreign. */
export const destinations = new Set<string>();

interface Guarded {
  guarded?: true;
  /** When this socket last received anything: the liveness of the peer behind it. */
  lastAt?: number;
}

let installed = false;

export function guardUdpSockets(): void {
  if (installed) return;
  installed = true;
  const proto = Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const bind = proto.bind!;
  const send = proto.send!;
  proto.bind = function (this: Socket & Guarded, ...args: unknown[]) {
    if (!this.guarded) {
      this.guarded = true;
      socketCounters.open++;
      this.on("error", (err) => {
        socketCounters.errors++;
        socketCounters.lastError = String(err);
      });
      // First of the listeners (werift adds its own before binding), so that the time is taken
      // before werift decrypts and the SFU forwards what arrived.
      this.prependListener("message", () => {
        this.lastAt = coarse.now;
        arrival.at = performance.now();
      });
      this.once("close", () => {
        socketCounters.open--;
      });
    }
    return bind.apply(this, args);
  };
  proto.send = function (this: Socket & Guarded, ...args: unknown[]) {
    const address = args.find((a, i) => i > 0 && typeof a === "string") as string | undefined;
    if (address !== undefined && destinations.size < 1000) destinations.add(address);
    try {
      return send.apply(this, args);
    } catch (err) {
      // A send on a socket closed underneath werift throws synchronously: count it, never crash.
      socketCounters.errors++;
      socketCounters.lastError = String(err);
      return undefined;
    }
  };
}
