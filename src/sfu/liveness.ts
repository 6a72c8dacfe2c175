// When the SFU gives up on a peer: the rules the engine applies every second. A participant whose
// connection dies must be gone within 10 s (its client then rejoins on its own when the reason
// says the connection failed or went silent).
import type { Peer } from "./peer.ts";

/** A peer that has sent nothing (RTP, RTCP or ICE check) for this long is gone. */
export const DEAD_AFTER_MS = 6000;
/** A peer that never connected is gone after this long (it did not answer, or ICE never worked). */
const CONNECT_WITHIN_MS = 15000;
/** A client that has not answered an offer this long is stuck; it is dropped so it can rejoin. */
const ANSWER_WITHIN_MS = 15000;
/**
 * ICE connected this long ago and DTLS still not up: the handshake is not coming (a healthy one
 * takes well under a second; werift's own client gives up on a flight after ~33 s, far past the
 * 10 s in which a dead participant must be gone).
 */
const DTLS_WITHIN_MS = 7000;

interface SocketLike {
  lastAt?: number;
}
/** A transport on the shared port (udp-mux.ts) keeps its own time: the socket's is everyone's. */
interface TransportLike {
  lastAt?: number;
  socket?: SocketLike;
}

/** Anything received on any of the peer's sockets (media, RTCP, ICE consent checks) counts. */
function heardFrom(peer: Peer): number {
  let last = peer.lastHeard;
  for (const transport of peer.pc.iceTransports) {
    for (const protocol of (transport.connection as unknown as { protocols: { transport?: TransportLike }[] }).protocols) {
      const at = protocol.transport?.lastAt ?? protocol.transport?.socket?.lastAt;
      if (at !== undefined && at > last) last = at;
    }
  }
  return last;
}

/**
 * Why this peer's connection can never carry media although ICE may be alive (null: it does,
 * or may still). ICE consent checks keep arriving from a client whose DTLS never finished or
 * was closed, so the silence rule alone would keep it in the room, unheard, forever: werift's
 * DTLS server has no handshake deadline (it waits for a ClientHello indefinitely) and a
 * transport closed by an alert does not change the connection's state.
 */
function dtlsFailure(peer: Peer, now: number): string | null {
  // A failed connection was reported already (the peer's connectionStateChange).
  if (peer.closed || peer.pc.connectionState === "failed") return null;
  const states = peer.pc.dtlsTransports.map((t) => t.state);
  const bad = states.find((s) => s === "failed" || s === "closed");
  if (bad) return `DTLS ${bad}`;
  if (peer.iceUpAt && now - peer.iceUpAt > DTLS_WITHIN_MS && states.some((s) => s !== "connected")) {
    return `DTLS not connected ${Math.round((now - peer.iceUpAt) / 1000)} s after ICE`;
  }
  return null;
}

/** The reason to drop this peer now, or null while it may still be (or become) alive. */
export function whyGone(peer: Peer, now: number): string | null {
  const dtls = dtlsFailure(peer, now);
  // "connection failed" is a reason the browser client rejoins on.
  if (dtls) return `connection failed: ${dtls}`;
  const silent = now - heardFrom(peer);
  const limit = peer.ready && peer.pc.connectionState === "connected" ? DEAD_AFTER_MS : CONNECT_WITHIN_MS;
  if (silent > limit) return `no packets for ${Math.round(silent / 1000)} s`;
  if (peer.offeredAt && now - peer.offeredAt > ANSWER_WITHIN_MS) return "no answer to the last offer";
  return null;
}
