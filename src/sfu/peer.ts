// One participant's RTCPeerConnection: every uplink (mic, camera, screen) and every downlink
// (each other participant's sources) on one BUNDLEd connection. The server is always the
// offerer, so there is never glare: a change (someone joins, starts a camera, leaves) marks the
// peer for renegotiation and the next offer goes out once the client answered the last one.
import { RTCPeerConnection, RtpHeader, RtpPacket, type MediaStreamTrack, type RTCRtpCodecParameters, type RTCRtpTransceiver } from "werift";
import { allowedVideoCodecs, receivesH264 } from "./codecs.ts";
import { forwardAudio, forwardCounters } from "./forward.ts";
import { openDownlink, type Downlink } from "./downlink.ts";
import { DEFAULT_WANT, type Layer, type Want } from "./layers.ts";
import { AUDIO_LEVEL_URI, CAMERA_RIDS, peerConfig, rewriteCandidates } from "./media.ts";
import { layerOf } from "./simulcast.ts";
import { claimIceUsername } from "./udp-mux.ts";
import { nackPerStream } from "./video.ts";
import { isAudio, type Flags, type Grants, type IceSettings, type SfuEvent, type Source, type TrackInfo } from "./sfu.ts";

const kindOf = (source: Source) => (isAudio(source) ? "audio" : "video");
export type { Downlink };

export interface Uplink {
  source: Source;
  transceiver: RTCRtpTransceiver;
  active: boolean;
  subscribers: Set<Downlink>;
  wantKeyframe: boolean;
  audioLevelId: number;
  /** Whether H.264 is in what this (video) uplink is offered (codecs.ts). */
  h264: boolean;
  /** The codec listed first in the last offer of this uplink (a browser sends the offer's first it can). */
  offeredFirst: string | undefined;
  /** The streams arriving on it by rid: a camera's simulcast layers, or one ("") otherwise. */
  layers: Map<string, Layer>;
}

/** RTCPeerConnections created and not yet closed in this thread (leak tests count them). */
export const peerCounters = { open: 0 };

export interface PeerHost {
  ice: IceSettings;
  emit(event: SfuEvent): void;
  onRtp(from: Peer, up: Uplink, rtp: RtpPacket, layer: Layer): void;
  onKeyframeRequest(down: Downlink): void;
  clock(): number;
}

export class Peer {
  readonly pc: RTCPeerConnection;
  readonly up = new Map<Source, Uplink>();
  readonly down = new Map<string, Downlink>();
  /** Tile sizes this viewer asked for, by "publisher user/source" (kept for downlinks made later). */
  readonly wants = new Map<string, Want>();
  /** Downlink m-lines no longer used, reused before a new one is added (the SDP stays bounded). */
  private readonly spare: Record<"audio" | "video", RTCRtpTransceiver[]> = { audio: [], video: [] };
  private negotiating = false;
  private again = false;
  private waiting = false;
  private restarting = false;
  /** When the offer now waiting for an answer went out (0: none waiting). */
  offeredAt = 0;
  private answered = false;
  closed = false;
  lastHeard: number;
  /** Uplink RTP packets received (all sources), for the stats. */
  uplinkPackets = 0;
  loudAt = 0;
  speaking = false;
  /** From its last answer: can it decode H.264 (null: no video downlink to tell yet). */
  receivesH264: boolean | null = null;
  /** Every video codec the SFU has, with the payload types werift gave them for this connection. */
  private readonly videoCodecs: RTCRtpCodecParameters[];
  /** When ICE first connected (0: not yet): DTLS must be up soon after (liveness.ts). */
  iceUpAt = 0;

  constructor(
    readonly id: string,
    readonly user: string,
    public grants: Grants,
    public flags: Flags,
    private readonly host: PeerHost,
  ) {
    const config = peerConfig(host.ice);
    this.pc = new RTCPeerConnection(config);
    this.videoCodecs = config.codecs!.video!;
    peerCounters.open++;
    this.lastHeard = host.clock();
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === "failed" && !this.closed) host.emit({ event: "gone", peer: id, reason: "connection failed" });
    });
    this.pc.iceConnectionStateChange.subscribe((state) => {
      if ((state === "connected" || state === "completed") && !this.iceUpAt) this.iceUpAt = host.clock();
    });
    if (grants.speak) this.uplink("mic", true);
  }

  /** Open (or reopen) an uplink m-line for a source; the client attaches its track in the answer. */
  uplink(source: Source, active: boolean): Uplink {
    let up = this.up.get(source);
    if (!up) {
      // The camera is received as simulcast: the client sends a layer per rid offered.
      const rids: readonly string[] = source === "camera" ? CAMERA_RIDS : [];
      const transceiver = this.addTransceiver(kindOf(source), "recvonly", rids);
      // Each layer is its own sequence space: werift's single NACK tracker would take the
      // interleaved layers for losses and ask for them again and again.
      if (rids.length > 0) nackPerStream(transceiver.receiver);
      const created: Uplink = { source, transceiver, active, subscribers: new Set(), wantKeyframe: false, audioLevelId: -1, h264: true, offeredFirst: undefined, layers: new Map() };
      transceiver.onTrack.subscribe((track: MediaStreamTrack) => {
        const rid = track.rid ?? "";
        const layer = layerOf(created, rid, Math.max(0, rids.indexOf(rid)));
        track.onReceiveRtp.subscribe((rtp) => this.host.onRtp(this, created, rtp, layer));
      });
      this.up.set(source, (up = created));
    }
    up.active = active;
    up.transceiver.setDirection(active ? "recvonly" : "inactive");
    return up;
  }

  /**
   * Offer the video uplinks H.264 or not (the room decides: codecs.ts). True when that changed
   * what an uplink is offered, so this peer must renegotiate. Compared with what was offered, not
   * with what the browser answered (one that cannot send H.264 answers without it every time).
   */
  offerVideoCodecs(h264: boolean): boolean {
    let changed = false;
    for (const up of this.up.values()) {
      if (isAudio(up.source) || up.h264 === h264) continue;
      up.h264 = h264;
      up.transceiver.codecs = allowedVideoCodecs(this.videoCodecs, h264);
      changed = true;
    }
    return changed;
  }

  /**
   * A new m-line. werift's addTransceiver silently takes the place of any transceiver whose last
   * negotiated direction is "inactive" and that never sent (`usedForSender`), of either kind:
   * the new one inherits its m-line and mid and the old one is dropped from the connection. A
   * spare downlink that was dropped before its first negotiation is such a transceiver; once
   * taken from the spares for a new publisher (sendonly, but still "inactive" until the answer),
   * a second new downlink in the same negotiation replaced it, and that publisher never reached
   * this peer (the bench's "heard by nobody" after people left and rejoined). The SFU keeps its
   * own spares, so werift's reuse is turned off for every transceiver it makes.
   */
  private addTransceiver(kind: "audio" | "video", direction: "recvonly" | "sendonly", rids: readonly string[] = []): RTCRtpTransceiver {
    const simulcast = rids.map((rid) => ({ direction: "recv" as const, rid }));
    const transceiver = this.pc.addTransceiver(kind, rids.length > 0 ? { direction, simulcast } : { direction });
    (transceiver as unknown as { usedForSender: boolean }).usedForSender = true;
    return transceiver;
  }

  /** A downlink carrying another peer's source to this one. */
  subscribe(from: Peer, source: Source): Downlink {
    const key = `${from.id}/${source}`;
    const existing = this.down.get(key);
    if (existing) return existing;
    const kind = kindOf(source);
    const transceiver = this.spare[kind].pop() ?? this.addTransceiver(kind, "sendonly");
    transceiver.setDirection("sendonly");
    const down = openDownlink(this, from, source, transceiver, this.wants.get(`${from.user}/${source}`) ?? DEFAULT_WANT, (d) => this.host.onKeyframeRequest(d));
    this.down.set(key, down);
    return down;
  }

  unsubscribe(down: Downlink): void {
    if (this.down.get(`${down.from.id}/${down.source}`) !== down) return;
    this.down.delete(`${down.from.id}/${down.source}`);
    if (this.closed) return;
    down.transceiver.setDirection("inactive");
    this.spare[kindOf(down.source)].push(down.transceiver);
  }

  /**
   * Forward one audio packet. The fast path (forward.ts; `level` is the publisher's audio-level
   * byte or -1) or, when it declines, werift's sender, with a header copy per receiver since
   * werift's sender rewrites it in place. Video goes through video.ts.
   */
  send(down: Downlink, rtp: RtpPacket, level = -1, now = 0): void {
    const h = rtp.header;
    const sender = down.transceiver.sender;
    if (down.sourceSsrc !== h.ssrc) {
      if (down.sourceSsrc !== null) sender.replaceRTP(h, true);
      down.sourceSsrc = h.ssrc;
    }
    if (down.audio && forwardAudio(sender, rtp, level, now)) return;
    if (down.audio) forwardCounters.slow++;
    const copy = new RtpHeader({
      padding: h.padding,
      paddingSize: h.paddingSize,
      extension: h.extension,
      marker: h.marker,
      payloadType: h.payloadType,
      sequenceNumber: h.sequenceNumber,
      timestamp: h.timestamp,
      ssrc: h.ssrc,
      csrcLength: h.csrcLength,
      csrc: h.csrc,
      extensionProfile: h.extensionProfile,
      extensions: h.extensions,
    });
    sender.sendRtp(new RtpPacket(copy, rtp.payload)).catch(() => {});
  }

  /**
   * Ask the client for a keyframe (PLI) on an uplink's layer (its only one by default), at most
   * every 500 ms per layer.
   */
  requestKeyframe(up: Uplink, layer?: Layer): void {
    const l = layer ?? [...up.layers.values()].find((x) => x.ssrc !== 0);
    // No packet yet: ask as soon as the first one arrives (engine.onRtp).
    if (!l || l.ssrc === 0) return void (up.wantKeyframe = true);
    const now = this.host.clock();
    if (now - l.lastPli < 500) return;
    l.lastPli = now;
    up.wantKeyframe = false;
    up.transceiver.receiver.sendRtcpPLI(l.ssrc).catch(() => {});
  }

  /**
   * Offer now, or after the answer in flight, or once the first connection is up: werift starts
   * ICE and DTLS when it applies an answer, and a second answer applied while DTLS is still
   * handshaking fails the whole connection ("state must be new").
   */
  negotiate(iceRestart = false): void {
    if (this.closed) return;
    if (this.negotiating || this.waiting) {
      this.again = true;
      return;
    }
    const state = this.pc.connectionState;
    if (this.answered && (state === "new" || state === "connecting")) {
      this.again = true;
      this.waiting = true;
      void this.pc.connectionStateChange
        .watch((s) => s !== "new" && s !== "connecting", 20000)
        .catch(() => {})
        .finally(() => {
          this.waiting = false;
          if (this.again && !this.closed) {
            this.again = false;
            this.negotiate();
          }
        });
      return;
    }
    this.negotiating = true;
    void this.offer(iceRestart).catch((err) => {
      this.negotiating = false;
      if (!this.closed) this.host.emit({ event: "gone", peer: this.id, reason: `negotiation failed: ${(err as Error).message}` });
    });
  }

  private async offer(iceRestart: boolean): Promise<void> {
    this.restarting = iceRestart;
    const offer = await this.pc.createOffer({ iceRestart });
    await this.pc.setLocalDescription(offer);
    for (const up of this.up.values()) up.offeredFirst = up.transceiver.codecs[0]?.mimeType;
    if (this.pc.iceGatheringState !== "complete") await this.pc.iceGatheringStateChange.watch((s) => s === "complete", 5000).catch(() => {});
    if (this.closed) return;
    claimIceUsername(this.pc);
    const sdp = rewriteCandidates(this.pc.localDescription!.sdp, this.host.ice);
    const uplink: Partial<Record<Source, string>> = {};
    for (const [source, up] of this.up) if (up.active && up.transceiver.mid) uplink[source] = up.transceiver.mid;
    const tracks: TrackInfo[] = [];
    for (const d of this.down.values()) if (d.transceiver.mid) tracks.push({ mid: d.transceiver.mid, user: d.from.user, source: d.source });
    this.offeredAt = this.host.clock();
    this.host.emit({ event: "offer", peer: this.id, sdp, uplink, tracks });
  }

  async answer(sdp: string): Promise<void> {
    if (!this.negotiating || this.pc.signalingState !== "have-local-offer") throw new Error("no offer is waiting for an answer");
    await this.pc.setRemoteDescription({ type: "answer", sdp });
    this.negotiating = false;
    this.offeredAt = 0;
    if (this.restarting) {
      // werift applies new ICE credentials but, its DTLS being up, never restarts the ICE agent:
      // without this the connection has no selected pair and media stops after an ICE restart.
      this.restarting = false;
      for (const t of this.pc.iceTransports) if (t.state !== "connected") void t.start().catch(() => {});
    }
    this.answered = true;
    // The audio-level extension's id on each audio uplink: speaking (mic) and forwarding it.
    for (const up of this.up.values()) {
      if (!isAudio(up.source)) continue;
      const level = up.transceiver.headerExtensions.find((e) => e.uri === AUDIO_LEVEL_URI);
      if (level) up.audioLevelId = level.id;
    }
    const videoDown = [...this.down.values()].filter((d) => !d.audio && d.transceiver.codecs.length > 0);
    this.receivesH264 = receivesH264(videoDown.map((d) => d.transceiver.codecs)) ?? this.receivesH264;
    // A browser answering sends the first codec of the offer it can, whatever order its answer
    // gives: an answer preferring another codec (Safari's H.264) gets an offer in its order.
    for (const up of this.up.values()) {
      if (up.active && !isAudio(up.source) && up.transceiver.codecs[0]?.mimeType !== up.offeredFirst) this.again = true;
    }
    // New video downlinks need a keyframe before they show anything.
    for (const d of this.down.values()) if (!isAudio(d.source)) this.host.onKeyframeRequest(d);
    if (this.again) {
      this.again = false;
      this.negotiate();
    }
  }

  get ready(): boolean {
    return this.answered;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pc.close().catch(() => {});
    peerCounters.open--;
  }
}
