// A voice participant for tests and the voice bench: a werift RTCPeerConnection that answers the
// SFU's offers, publishes synthetic Opus (with the audio-level extension) or VP8 RTP on the
// uplinks it is offered, and counts what arrives per sender and source (count, sequence gaps).
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from "werift";
import { guardUdpSockets } from "../sfu/guard.ts";
import { prepareDtls, type DtlsFault } from "./dtls-client.ts";
import type { Source, TrackInfo } from "../sfu/sfu.ts";

// The test peers' sockets get ICMP errors too when the server side goes away: guarded like the SFU's.
guardUdpSockets();

export interface Received {
  packets: number;
  /** Sequence numbers that went backwards or skipped (after the first packet). */
  gaps: number;
  lastSeq: number;
  /** Send -> receive times from the stamp in the payload (process-wide clock: bench threads compare). */
  delays: number[];
  /** The codec (mime type, from this connection's payload types) of the last packet. */
  codec?: string;
}

export interface Offer {
  sdp: string;
  uplink: Partial<Record<Source, string>>;
  tracks: TrackInfo[];
}

/** Only loopback candidates: the test machine's traffic stays on the machine. */
const LOOPBACK = { iceServers: [], iceUseIpv6: false, iceInterfaceAddresses: { udp4: "127.0.0.1" } as never, iceAdditionalHostAddresses: ["127.0.0.1"] };

/** Video codecs a test peer may claim (in its order of preference). */
export type TestVideoCodec = "VP8" | "H264";
const VIDEO: Record<TestVideoCodec, () => RTCRtpCodecParameters> = {
  VP8: () => new RTCRtpCodecParameters({ mimeType: "video/VP8", clockRate: 90000 }),
  H264: () => new RTCRtpCodecParameters({ mimeType: "video/H264", clockRate: 90000, parameters: "packetization-mode=1;profile-level-id=42e01f" }),
};

export class VoicePeer {
  readonly pc: RTCPeerConnection;
  readonly local: Record<Source, MediaStreamTrack> = {
    mic: new MediaStreamTrack({ kind: "audio" }),
    camera: new MediaStreamTrack({ kind: "video" }),
    screen: new MediaStreamTrack({ kind: "video" }),
    screenAudio: new MediaStreamTrack({ kind: "audio" }),
  };
  /** By `${user}/${source}`. */
  readonly received = new Map<string, Received>();
  private byMid = new Map<string, string>();
  private seq: Record<Source, number> = { mic: 0, camera: 0, screen: 0, screenAudio: 0 };
  private ssrc = Math.floor(Math.random() * 2 ** 31);
  uplink: Partial<Record<Source, string>> = {};
  /** A DTLS fault to inject (tests of what the SFU does with a participant whose DTLS fails). */
  dtlsFault: DtlsFault = "none";

  /** `video`: the codecs it sends and receives, preferred first (VP8 alone by default). */
  constructor(video: TestVideoCodec[] = ["VP8"]) {
    this.pc = new RTCPeerConnection({
      ...LOOPBACK,
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2 })],
        video: video.map((name) => VIDEO[name]()),
      },
    });
    this.pc.onTransceiverAdded.subscribe((t) => this.watch(t));
  }

  private watch(t: RTCRtpTransceiver): void {
    t.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        const key = t.mid ? this.byMid.get(t.mid) : undefined;
        if (!key) return;
        let r = this.received.get(key);
        if (!r) this.received.set(key, (r = { packets: 0, gaps: 0, lastSeq: -1, delays: [] }));
        const seq = rtp.header.sequenceNumber;
        if (r.lastSeq >= 0 && seq !== ((r.lastSeq + 1) & 0xffff)) r.gaps++;
        r.lastSeq = seq;
        r.packets++;
        r.codec = t.codecs.find((c) => c.payloadType === rtp.header.payloadType)?.mimeType;
        if (rtp.payload.length >= 9 && rtp.payload[0] === 0xfe) r.delays.push(performance.timeOrigin + performance.now() - readStamp(rtp.payload));
      });
    });
  }

  /** Apply the SFU's offer, attach local tracks to the uplinks it names, return the answer. */
  async answer(offer: Offer): Promise<string> {
    await this.pc.setRemoteDescription({ type: "offer", sdp: offer.sdp });
    for (const t of this.pc.dtlsTransports) prepareDtls(t, this.dtlsFault);
    for (const t of offer.tracks) this.byMid.set(t.mid, `${t.user}/${t.source}`);
    this.uplink = offer.uplink;
    for (const t of this.pc.getTransceivers()) {
      const source = (Object.keys(offer.uplink) as Source[]).find((s) => offer.uplink[s] === t.mid);
      if (source) {
        await t.sender.replaceTrack(this.local[source]);
        t.setDirection("sendonly");
      }
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.pc.localDescription!.sdp;
  }

  get connected(): boolean {
    return this.pc.connectionState === "connected";
  }

  private sendsH264(source: Source): boolean {
    const t = this.pc.getTransceivers().find((x) => x.mid !== undefined && x.mid === this.uplink[source]);
    return (t?.sender as unknown as { codec?: { mimeType: string } } | undefined)?.codec?.mimeType.toLowerCase() === "video/h264";
  }

  /** One synthetic packet: Opus-sized with an audio level (loud unless `quiet`), or a VP8-sized keyframe start. */
  send(source: Source, opts: { quiet?: boolean; stamp?: boolean } = {}): void {
    const audio = source === "mic" || source === "screenAudio";
    const seq = (this.seq[source] = (this.seq[source] + 1) & 0xffff);
    const payload = Buffer.alloc(audio ? 100 : 1000, 0x11);
    // Video: each packet starts a keyframe in the codec this peer sends (the SFU forwards a
    // viewer's stream from a keyframe on). VP8: descriptor S bit, partition 0, frame tag P bit
    // clear; H.264: a sequence parameter set.
    if (!audio) payload.set(this.sendsH264(source) ? [0x67, 0x42, 0xe0, 0x1f] : [0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00]);
    if (opts.stamp) {
      payload[0] = 0xfe;
      payload.writeDoubleLE(performance.timeOrigin + performance.now(), 1);
    }
    // With `stamp`, the RTP timestamp carries the send time in ms: SRTP leaves headers in clear
    // and no hop rebases it (one publisher per downlink), so a raw receiver can read it.
    const timestamp = opts.stamp ? Date.now() % 2 ** 32 : seq * (audio ? 960 : 3000);
    const header = new RtpHeader({ payloadType: audio ? 111 : 96, sequenceNumber: seq, timestamp, ssrc: this.ssrc + ["mic", "camera", "screen", "screenAudio"].indexOf(source), marker: !audio });
    if (audio) {
      header.extension = true;
      header.extensions = [{ id: audioLevelId(this.pc), payload: Buffer.from([0x80 | (opts.quiet ? 127 : 20)]) }];
    }
    this.local[source].writeRtp(new RtpPacket(header, payload));
  }

  /**
   * Bench mode: stop decrypting what arrives and only count it from the RTP header SRTP leaves in
   * clear (SSRC, sequence, the send-time timestamp), so that receiving 24 streams costs the load
   * generator almost nothing. ICE/DTLS processing of incoming datagrams stops with it (fine for a
   * measurement window shorter than ICE consent expiry); sending is unaffected.
   */
  countRaw(): Map<number, Received> {
    const bySsrc = new Map<number, Received>();
    for (const transport of this.pc.iceTransports) {
      for (const protocol of (transport.connection as unknown as { protocols: { transport?: { socket?: import("node:dgram").Socket } }[] }).protocols) {
        const socket = protocol.transport?.socket;
        if (!socket) continue;
        socket.removeAllListeners("message");
        socket.on("message", (buf: Buffer) => {
          if (buf.length < 12 || (buf[0]! & 0xc0) !== 0x80) return;
          const pt = buf[1]! & 0x7f;
          if (pt >= 64 && pt <= 95) return; // RTCP
          const ssrc = buf.readUInt32BE(8);
          let r = bySsrc.get(ssrc);
          if (!r) bySsrc.set(ssrc, (r = { packets: 0, gaps: 0, lastSeq: -1, delays: [] }));
          const seq = buf.readUInt16BE(2);
          if (r.lastSeq >= 0 && seq !== ((r.lastSeq + 1) & 0xffff)) r.gaps++;
          r.lastSeq = seq;
          r.packets++;
          r.delays.push((Date.now() % 2 ** 32) - buf.readUInt32BE(4));
        });
      }
    }
    return bySsrc;
  }

  count(user: string, source: Source = "mic"): Received {
    return this.received.get(`${user}/${source}`) ?? { packets: 0, gaps: 0, lastSeq: -1, delays: [] };
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}

function readStamp(payload: Buffer): number {
  return payload.readDoubleLE(1);
}

function audioLevelId(pc: RTCPeerConnection): number {
  for (const t of pc.getTransceivers()) {
    const ext = t.headerExtensions.find((e) => e.uri === "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    if (ext) return ext.id;
  }
  return 2;
}
