// A Worker of the voice bench: hosts some of the room's participants (werift peers joined through
// the server's real signalling), so the load of decrypting every forwarded stream is spread over
// threads instead of one event loop. Commands by message: join, start (50 stamped packets/s per
// participant), stop (answers with packets received and send->receive delays).
import { VoicePeer } from "../src/testing/voice-peer.ts";

declare const self: Worker;
const people: { peer: VoicePeer; ws: WebSocket; raw?: Map<number, { packets: number; delays: number[] }> }[] = [];
let sending = false;
let sent = 0;

self.onmessage = async (e: MessageEvent) => {
  const m = e.data as { op: string; port?: number; tokens?: string[]; voiceId?: string };
  if (m.op === "join") {
    for (const token of m.tokens!) {
      const peer = new VoicePeer();
      const ws = new WebSocket(`ws://127.0.0.1:${m.port}/ws?voice`, { headers: { Cookie: `pokynano_session=${token}`, Origin: `http://127.0.0.1:${m.port}` } } as never);
      ws.onmessage = async (ev) => {
        const f = JSON.parse(String(ev.data));
        if (f.v === "offer") {
          try {
            ws.send(JSON.stringify({ v: "answer", sdp: await peer.answer(f) }));
          } catch (err) {
            console.error("voice bench peer: answering failed:", (err as Error).message);
          }
        }
        if (f.v === "error" || f.v === "left") console.error("voice bench peer:", JSON.stringify(f));
      };
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ v: "join", channel: m.voiceId }));
      people.push({ peer, ws });
      // People arrive one after another, not all in the same millisecond (every arrival
      // renegotiates everyone already there).
      await Bun.sleep(250);
    }
    self.postMessage({ op: "joined" });
  } else if (m.op === "ready?") {
    const downlinks = people.map((p) => p.peer.pc.getTransceivers().length);
    self.postMessage({ op: "ready", connected: people.every((p) => p.peer.connected), downlinks });
  } else if (m.op === "raw") {
    // Count arrivals from the clear RTP headers instead of decrypting them (voice-peer.ts).
    for (const p of people) p.raw = p.peer.countRaw();
    self.postMessage({ op: "rawing" });
  } else if (m.op === "start") {
    sending = true;
    void (async () => {
      let next = performance.now();
      while (sending) {
        for (const p of people) p.peer.send("mic", { stamp: true });
        sent++;
        next += 20;
        await Bun.sleep(Math.max(0, next - performance.now()));
      }
    })();
  } else if (m.op === "mark") {
    for (const p of people) for (const r of [...p.peer.received.values(), ...(p.raw?.values() ?? [])]) r.delays.length = 0;
    self.postMessage({ op: "marked", sent, received: count() });
  } else if (m.op === "stop") {
    sending = false;
    await Bun.sleep(300);
    const delays = people.flatMap((p) => [...p.peer.received.values(), ...(p.raw?.values() ?? [])].flatMap((r) => r.delays));
    self.postMessage({ op: "stopped", sent, received: count(), delays });
    for (const p of people) {
      p.ws.close();
      await p.peer.close();
    }
    people.length = 0;
  }
};

function count(): number {
  return people.reduce((sum, p) => sum + [...p.peer.received.values(), ...(p.raw?.values() ?? [])].reduce((s, r) => s + r.packets, 0), 0);
}
