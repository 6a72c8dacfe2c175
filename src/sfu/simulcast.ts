// The SFU's video decisions per packet and per viewer: note what each layer of an uplink is doing
// (when it last arrived, its SSRC, its size from keyframes), point each viewer's stream at the
// layer that fits its tile, and forward each packet to the viewers on its layer (video.ts).
import type { RtpPacket } from "werift";
import { LAYER_STALE_MS, pickLayer, type Layer, type Want } from "./layers.ts";
import type { Downlink, Peer, Uplink } from "./peer.ts";
import { forwardVideo, keyframeStart } from "./video.ts";

/** The layer of an uplink a track with this rid carries (made on first sight). */
export function layerOf(up: Uplink, rid: string, rank: number): Layer {
  let layer = up.layers.get(rid);
  if (!layer) up.layers.set(rid, (layer = { rid, ssrc: 0, width: 0, height: 0, lastAt: 0, rank, lastPli: 0 }));
  return layer;
}

/**
 * Point a viewer's stream at the layer that fits its tile now (a stale layer is passed over),
 * asking the publisher for a keyframe of it until the switch happens.
 */
export function selectLayer(up: Uplink, down: Downlink, now: number): void {
  const switcher = down.route?.switcher;
  if (!switcher) return;
  if (down.want.width <= 0 || down.want.height <= 0) return switcher.pause();
  const layer = pickLayer(up.layers.values(), down.want, now);
  if (!layer) return;
  switcher.target = layer.rid;
  if (switcher.switching) down.from.requestKeyframe(up, layer);
}

/** A viewer's PLI or FIR: a keyframe of the layer it gets (or is about to). */
export function keyframeFor(up: Uplink, down: Downlink, now: number): void {
  const switcher = down.route?.switcher;
  if (!switcher) return down.from.requestKeyframe(up);
  // Not pointed at a layer yet (a new downlink): choosing one asks for its keyframe.
  if (switcher.target === null) return selectLayer(up, down, now);
  down.from.requestKeyframe(up, up.layers.get(switcher.target));
}

/** One video packet of one layer to every viewer whose stream is (or is moving to) that layer; how many got it. */
export function videoPacket(up: Uplink, rtp: RtpPacket, layer: Layer, now: number): number {
  const h = rtp.header;
  const back = layer.lastAt === 0 || now - layer.lastAt >= LAYER_STALE_MS;
  layer.lastAt = now;
  layer.ssrc = h.ssrc;
  const receiver = up.transceiver.receiver;
  const codecs = (receiver as unknown as { codecs: Record<number, { mimeType: string } | undefined> }).codecs;
  const key = keyframeStart(codecs[h.payloadType]?.mimeType, rtp.payload);
  if (key && key.width > 0) {
    layer.width = key.width;
    layer.height = key.height;
  }
  // A layer that (re)appeared may be the one some viewers want.
  if (back) for (const down of up.subscribers) selectLayer(up, down, now);
  let sent = 0;
  for (const down of up.subscribers) if (down.route && forwardVideo(down.route, receiver, layer.rid, rtp, key !== null, now)) sent++;
  return sent;
}

/** A viewer's tile size for a publisher's source: kept for later downlinks, applied to the current one. */
export function applyView(viewer: Peer, user: string, source: Downlink["source"], want: Want, now: number): void {
  const key = `${user}/${source}`;
  // Bounded: one entry per publisher and source this viewer has seen.
  if (!viewer.wants.has(key) && viewer.wants.size >= 1000) return;
  viewer.wants.set(key, want);
  for (const down of viewer.down.values()) {
    if (down.from.user !== user || down.source !== source || !down.route) continue;
    down.want = want;
    const up = down.from.up.get(source);
    if (up) selectLayer(up, down, now);
  }
}
