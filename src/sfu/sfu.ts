// The SFU as the rest of the server sees it: rooms of peers, SDP strings in and out, events back.
// No werift type crosses this line (ARCHITECTURE.md): the hub and the voice feature speak this
// interface only, and the werift implementation runs in a Worker thread behind it.

/** What a participant can send: their microphone, their camera, their screen and its sound (a tab's or the system's, where the browser offers it). */
export type Source = "mic" | "camera" | "screen" | "screenAudio";
export const SOURCES: readonly Source[] = ["mic", "camera", "screen", "screenAudio"];
export const isAudio = (source: Source) => source === "mic" || source === "screenAudio";

/** What the server lets a peer do, from their channel permissions; enforced on every packet. */
export interface Grants {
  /** SPEAK: without it the peer gets no microphone uplink (receive-only). */
  speak: boolean;
  /** STREAM: camera and screen share (with its sound). */
  stream: boolean;
  /** USE_VAD: without it the microphone is forwarded only while push-to-talk is held. */
  vad: boolean;
}

/** The peer's current switches, from its own choices and moderators'. */
export interface Flags {
  /** Self- or server-muted: microphone packets are dropped at the SFU. */
  muted: boolean;
  /** Self- or server-deafened: no audio is forwarded to it. */
  deaf: boolean;
  /** Push-to-talk key held (matters only without the USE_VAD grant). */
  talking: boolean;
}

/** Network settings for the server side of ICE; nothing here contacts a third party. */
export interface IceSettings {
  /** UDP ports for media, inclusive; both ends equal = that one port shared by every peer (udp-mux.ts); null = any free port. */
  portRange: [number, number] | null;
  /** Bind and offer only this local address; null = every non-loopback interface address. */
  listenIp: string | null;
  /** The address written into candidates instead (the public IP of a NATed server); null = as bound. */
  announcedIp: string | null;
  /** Offer IPv6 host candidates too. */
  ipv6: boolean;
}

/** One m-line of the offer the client must answer, told so it knows whose media is where. */
export interface TrackInfo {
  mid: string;
  /** The participant the media comes from (the voice feature's user id). */
  user: string;
  source: Source;
}

export type SfuEvent =
  /** The server (always the offerer) needs this peer to answer a new offer. */
  | { event: "offer"; peer: string; sdp: string; uplink: Partial<Record<Source, string>>; tracks: TrackInfo[] }
  | { event: "speaking"; peer: string; speaking: boolean }
  /** The peer's connection died (ICE failed, nothing heard for a while) or its room failed. */
  | { event: "gone"; peer: string; reason: string };

export interface SfuStats {
  rooms: number;
  peers: number;
  /** RTCPeerConnections alive in the SFU (closed ones are not counted). */
  peerConnections: number;
  /** UDP sockets open in the SFU thread. */
  udpSockets: number;
  /**
   * With one shared port: connections routed through it, and datagrams dropped because they came
   * from an address no connection answered and were no connectivity check of a known one. Null
   * with a port range.
   */
  sharedPort: { routes: number; dropped: number } | null;
  /** Distinct addresses the SFU sent datagrams to (first 50): only clients', never a STUN server's. */
  sentTo: string[];
  /** Errors on UDP sockets that were caught (ICMP unreachable and the like). */
  socketErrors: number;
  /** RTP packets forwarded (one per receiving peer). */
  forwarded: number;
  /** Microphone packets dropped because the peer was muted, lacked SPEAK or push-to-talk was up. */
  gated: number;
  /** Video packets not sent to a receiver that cannot decode their codec (while a codec switch settles). */
  undecodable: number;
  /**
   * Uplink RTP packets that reached the SFU's JavaScript (werift routed them to an uplink), by
   * publishing user, since each peer joined (first 200 peers): tells a publisher the SFU never
   * got apart from one it got and did not forward.
   */
  uplinkByUser: Record<string, number>;
  /**
   * Time in the SFU thread from an uplink packet reaching JavaScript to the last copy of it being
   * handed to the kernel, ms, over the packets forwarded since the last stats call (not counted:
   * the time a datagram waits in the kernel before the thread reads it; see maxBlockMs).
   */
  forwardMs: { p50: number; p99: number; max: number };
  /** Longest synchronous stretch the SFU thread blocked for since the last stats call, ms. */
  maxBlockMs: number;
  heapUsed: number;
}

export interface Sfu {
  /** Add a peer to a room (created on first peer); the first offer comes back as an "offer" event. */
  join(room: string, peer: string, user: string, grants: Grants, flags: Flags): Promise<void>;
  /** The client's answer to the latest offer. Rejected when malformed or unexpected. */
  answer(peer: string, sdp: string): Promise<void>;
  /** Start or stop sending the camera or the screen (renegotiates this peer and the room). */
  publish(peer: string, source: Exclude<Source, "mic">, on: boolean): Promise<void>;
  /** New permissions or switches (mute, deafen, push-to-talk) for a peer, effective at once. */
  update(peer: string, grants: Grants, flags: Flags): Promise<void>;
  /**
   * The size (device pixels) a viewer shows a publisher's source at; 0 x 0 = not shown. The
   * viewer's stream of a simulcast camera moves to the layer that fits.
   */
  view(peer: string, user: string, source: Source, width: number, height: number): Promise<void>;
  /** A fresh offer with new ICE credentials (the client's network changed). */
  restartIce(peer: string): Promise<void>;
  /** Remove a peer; its tracks leave every other peer's connection. Idempotent. */
  leave(peer: string): Promise<void>;
  stats(): Promise<SfuStats>;
  onEvent(listener: (event: SfuEvent) => void): void;
  close(): Promise<void>;
}
