// A voice participant through the real signalling: the tab's voice socket (`/ws?voice` with the
// session cookie) plus a werift peer that answers every offer the server sends.
import type { TestAccount } from "./accounts.ts";
import type { TestApp } from "./app.ts";
import { VoicePeer, type TestVideoCodec } from "./voice-peer.ts";

export type Frame = { v: string; [key: string]: unknown };

export class VoiceClient {
  readonly frames: Frame[] = [];
  offers = 0;
  closed: Promise<number>;

  private constructor(
    readonly ws: WebSocket,
    readonly account: TestAccount,
    public peer: VoicePeer,
  ) {
    ws.onmessage = (e) => void this.receive(String(e.data));
    this.closed = new Promise((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  }

  /** `video`: the codecs its peer has, preferred first (VP8 alone by default). */
  static async open(app: TestApp, account: TestAccount, video?: TestVideoCodec[]): Promise<VoiceClient> {
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws?voice`, { headers: { Cookie: account.cookie, Origin: app.url } } as never);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return new VoiceClient(ws, account, new VoicePeer(video));
  }

  private async receive(text: string): Promise<void> {
    const frame = JSON.parse(text) as Frame;
    this.frames.push(frame);
    if (frame.v === "offer" && this.answering) {
      const sdp = await this.peer.answer(frame as never);
      this.offers++;
      this.send({ v: "answer", sdp });
    }
  }

  /** Answer offers automatically (turn off to test what the server does without answers). */
  answering = true;

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  async waitFor(match: (f: Frame) => boolean, ms = 8000): Promise<Frame> {
    const end = Date.now() + ms;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no such frame; got ${JSON.stringify(this.frames.map((f) => [f.v, f.code ?? f.reason ?? ""]))}`);
      await Bun.sleep(10);
    }
  }

  /** Join and wait for the server's answer (joined or error). */
  async join(channel: string): Promise<Frame> {
    this.frames.length = 0;
    this.send({ v: "join", channel });
    return this.waitFor((f) => f.v === "joined" || f.v === "error");
  }

  async close(): Promise<void> {
    this.ws.close();
    await this.peer.close();
  }
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await Bun.sleep(20);
  }
}
