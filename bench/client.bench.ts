// The web client's performance budget (issue 9), measured in Chromium through playwright + CDP:
//  - first load of a channel page on DevTools' "Fast 3G" profile (562.5 ms RTT, 1.44 Mbit/s down,
//    675 kbit/s up; cache disabled, a fresh connection each round) until usable: the composer is in
//    the page, the deferred scripts ran, and the live socket is open (after that, sending works and
//    new messages arrive). Target < 2 s.
//  - the JavaScript the page ships, excluding htmx: bytes on the wire as sent, and gzip -9 of each
//    script (what a compressing proxy would send). Target < 100 KB compressed.
// The server is the in-process test app (the same handlers and embedded assets as the binary).
import { gzipSync } from "bun";
import { createTestApp } from "../src/testing/app.ts";
import { launchBrowser } from "../tests/e2e/support/browser.ts";
import { createClientFixture } from "../tests/e2e/support/client-fixture.ts";
import { median, round, type Figure } from "./support.ts";

const ROUNDS = 5;
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (0.75 * 1024 * 1024 * 0.9) / 8 };

export async function run(): Promise<Figure[]> {
  const app = await createTestApp();
  const browser = await launchBrowser();
  try {
    const f = await createClientFixture(app);
    await browser.context.addCookies([{ name: "pokynano_session", value: f.admin.token, url: app.url }]);
    const usable: number[] = [];
    let scripts: { url: string; wire: number; gzip: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const page = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", FAST_3G);
      const wire = new Map<string, number>();
      const urls = new Map<string, string>();
      cdp.on("Network.responseReceived", (e) => {
        if (e.type === "Script") urls.set(e.requestId, e.response.url);
      });
      cdp.on("Network.loadingFinished", (e) => {
        const url = urls.get(e.requestId);
        if (url) wire.set(url, e.encodedDataLength);
      });
      // The page marks the moment its live socket opens; navigationStart is time 0.
      await page.addInitScript(() => {
        document.addEventListener("htmx:ws:after:connection", () => performance.mark("live"), { once: true });
      });
      await page.goto(app.url + f.pages.channel, { waitUntil: "load" });
      await page.waitForFunction(() => performance.getEntriesByName("live").length > 0 && document.getElementById("composer-input") !== null, undefined, { timeout: 30_000 });
      usable.push(await page.evaluate(() => performance.getEntriesByName("live")[0]!.startTime));
      if (i === 0) {
        scripts = [];
        for (const [url, bytes] of wire) {
          if (url.includes("htmx")) continue;
          const body = new Uint8Array(await (await fetch(url)).arrayBuffer());
          scripts.push({ url: new URL(url).pathname, wire: bytes, gzip: gzipSync(body, { level: 9 }).length });
        }
      }
      await page.close();
    }
    const gzipKb = round(scripts.reduce((s, x) => s + x.gzip, 0) / 1024, 1);
    const wireKb = round(scripts.reduce((s, x) => s + x.wire, 0) / 1024, 1);
    const value = round(median(usable));
    return [
      {
        bench: "client-first-load-fast3g",
        params: { rounds: ROUNDS, profile: "Fast 3G (562.5 ms RTT, 1.44/0.675 Mbit/s)", cache: "disabled", usable: "composer present + scripts run + live socket open" },
        value,
        unit: "ms",
        stat: "median",
        min: round(Math.min(...usable)),
        max: round(Math.max(...usable)),
        target: "< 2000 ms",
        met: value < 2000,
      },
      {
        bench: "client-js-size",
        params: { scripts: scripts.length, excluding: "htmx", wire_kb_as_served: wireKb, files: scripts.map((s) => `${s.url.replace(/^.*\//, "")}:${round(s.gzip / 1024, 1)}`).join(" ") },
        value: gzipKb,
        unit: "KB gzip",
        stat: "sum",
        target: "< 100 KB compressed",
        met: gzipKb < 100,
      },
    ];
  } finally {
    await browser.close();
    await app.close();
  }
}
