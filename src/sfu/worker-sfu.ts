// The Sfu the server uses: a proxy that runs the werift engine in a Bun Worker thread, so RTP
// forwarding, SRTP and DTLS never run on the event loop that serves HTTP and the chat sockets.
// The thread is started on the first join (an instance nobody talks on pays nothing) and
// restarted if it dies; peers it had are reported gone.
import type { Flags, Grants, IceSettings, Sfu, SfuEvent, SfuStats, Source } from "./sfu.ts";

/**
 * Where the worker's code is: in a compiled binary, the embedded entrypoint, named relative to the
 * entrypoints' common folder (src/); from source, the file beside this one.
 */
function workerEntry(): string {
  return Bun.main.includes("$bunfs") ? "./sfu/worker.ts" : new URL("./worker.ts", import.meta.url).href;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerSfu implements Sfu {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((event: SfuEvent) => void)[] = [];
  private readonly peers = new Set<string>();
  private closed = false;

  constructor(private readonly ice: IceSettings) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(workerEntry());
    this.worker = worker;
    worker.onmessage = (ev: MessageEvent) => this.receive(ev.data);
    worker.addEventListener("error", (e) => this.crashed(`SFU thread error: ${(e as ErrorEvent).message ?? "unknown"}`));
    worker.addEventListener("close", () => this.crashed("SFU thread exited"));
    this.ready = this.send("init", [this.ice], worker).then(() => undefined);
    return this.ready;
  }

  private crashed(reason: string): void {
    if (!this.worker) return;
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    for (const peer of this.peers) this.dispatch({ event: "gone", peer, reason });
    this.peers.clear();
  }

  private receive(msg: { id?: number; ok?: boolean; value?: unknown; error?: string } & Partial<SfuEvent>): void {
    if (typeof msg.id === "number") {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error ?? "SFU error"));
      return;
    }
    const event = msg as SfuEvent;
    if (event.event === "gone") this.peers.delete(event.peer);
    this.dispatch(event);
  }

  private dispatch(event: SfuEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure is its own; the other listeners still hear the event.
      }
    }
  }

  private send(op: string, args: unknown[], worker = this.worker): Promise<unknown> {
    if (!worker) return Promise.reject(new Error("SFU not running"));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  }

  private async call(op: string, args: unknown[]): Promise<unknown> {
    if (this.closed) throw new Error("SFU closed");
    await this.start();
    return this.send(op, args);
  }

  async join(room: string, peer: string, user: string, grants: Grants, flags: Flags): Promise<void> {
    this.peers.add(peer);
    try {
      await this.call("join", [room, peer, user, grants, flags]);
    } catch (err) {
      this.peers.delete(peer);
      throw err;
    }
  }
  async answer(peer: string, sdp: string): Promise<void> {
    await this.call("answer", [peer, sdp]);
  }
  async publish(peer: string, source: Exclude<Source, "mic">, on: boolean): Promise<void> {
    await this.call("publish", [peer, source, on]);
  }
  async update(peer: string, grants: Grants, flags: Flags): Promise<void> {
    await this.call("update", [peer, grants, flags]);
  }
  async view(peer: string, user: string, source: Source, width: number, height: number): Promise<void> {
    await this.call("view", [peer, user, source, width, height]);
  }
  async restartIce(peer: string): Promise<void> {
    await this.call("restartIce", [peer]);
  }
  async leave(peer: string): Promise<void> {
    this.peers.delete(peer);
    if (!this.worker) return;
    await this.send("leave", [peer]);
  }
  async stats(): Promise<SfuStats> {
    return (await this.call("stats", [])) as SfuStats;
  }
  onEvent(listener: (event: SfuEvent) => void): void {
    this.listeners.push(listener);
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await Promise.race([this.send("close", [], worker).catch(() => {}), Bun.sleep(2000)]);
    this.worker = null;
    worker.terminate();
  }
}
