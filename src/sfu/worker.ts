// Entry point of the SFU thread (a Bun Worker): werift and every packet live here, off the
// chat event loop. The main thread sends calls ({id, op, args}); answers carry the same id,
// events carry `event`. Listed as a build entrypoint in scripts/build.ts (compiled binaries
// bundle workers only when told).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { RTCDtlsTransport } from "werift";
import type { IceSettings } from "./sfu.ts";
import { Engine } from "./engine.ts";
import { guardUdpSockets } from "./guard.ts";
import { installUdpMux } from "./udp-mux.ts";

// Before any peer exists: werift opens its sockets lazily, so every one of them is guarded.
guardUdpSockets();

declare const self: Worker;
let engine: Engine | null = null;

type Call = { id: number; op: string; args: unknown[] };

self.onmessage = async (ev: MessageEvent<Call>) => {
  const { id, op, args } = ev.data;
  try {
    let value: unknown;
    if (op === "init") {
      const ice = args[0] as IceSettings;
      // A host name for the public address (a dynamic-DNS name at home) is resolved once, here.
      if (ice.announcedIp && !isIP(ice.announcedIp)) ice.announcedIp = (await lookup(ice.announcedIp, { family: 4 })).address;
      if (ice.portRange && ice.portRange[0] === ice.portRange[1]) installUdpMux(ice.portRange[0], ice.listenIp);
      engine = new Engine(ice, (event) => self.postMessage(event));
      // werift makes one DTLS certificate per process and shares it; make it before the first
      // caller waits for it (seconds on a slow machine).
      await RTCDtlsTransport.SetupCertificate();
    } else if (!engine) {
      throw new Error("SFU not initialised");
    } else if (op === "close") {
      await engine.close();
    } else {
      const method = (engine as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
      if (typeof method !== "function" || !["join", "answer", "publish", "update", "view", "restartIce", "leave", "stats"].includes(op)) throw new Error(`unknown SFU call ${op}`);
      value = await method.apply(engine, args);
    }
    self.postMessage({ id, ok: true, value });
  } catch (err) {
    self.postMessage({ id, ok: false, error: (err as Error).message ?? String(err) });
  }
};

// A stray rejection inside werift (a timer after close, a DTLS alert) must not end the thread.
process.on("unhandledRejection", () => {});
process.on("uncaughtException", () => {});
