// What the call tests check in a page: the tab's peer connection (static/js/voice.js exposes it as
// window.pokynanoVoice.pc) and audio still arriving on it.
import type { Page } from "playwright-core";

export type VoiceWindow = { pokynanoVoice: { pc: (RTCPeerConnection & { navTag?: string }) | null } };

/** Bytes of audio received so far on this page's call. */
export function inboundAudio(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pc = (window as unknown as VoiceWindow).pokynanoVoice?.pc;
    let bytes = 0;
    if (!pc) return 0;
    for (const s of (await pc.getStats()).values()) if (s.type === "inbound-rtp" && s.kind === "audio") bytes += s.bytesReceived ?? 0;
    return bytes;
  });
}

/** Polls until `ok`, then returns the value; the error shows the last value and `debug`'s tail. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000, debug: string[] = []): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not reached: ${JSON.stringify(v)} ${JSON.stringify(debug.slice(-20))}`);
    await Bun.sleep(250);
  }
}

/** Audio from the other side keeps arriving on this page. */
export async function hearing(page: Page, debug: string[] = []): Promise<void> {
  const first = await eventually(() => inboundAudio(page), (b) => b > 0, 20_000, debug);
  await eventually(() => inboundAudio(page), (b) => b > first + 1000, 20_000, debug);
}
