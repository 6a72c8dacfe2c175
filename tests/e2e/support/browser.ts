// Real Chromium (Debian's package) driven by playwright-core: no browser download, a fresh
// profile per launch, and no background traffic (this machine has no internet).
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { rmSync } from "node:fs";
import { tempDir } from "../../../src/testing/app.ts";

export const CHROMIUM = process.env.POKYNANO_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Fake microphone and camera, prompts accepted, screen capture of the whole fake screen, sound without a gesture. */
export const MEDIA_FLAGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--auto-select-desktop-capture-source=Entire screen", "--autoplay-policy=no-user-gesture-required"];

export async function launchBrowser(extraFlags: readonly string[] = []): Promise<Browser> {
  const profile = tempDir("pokynano-chromium-");
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...FLAGS, ...extraFlags], headless: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Everything that went wrong on a page: console errors, uncaught exceptions, failed or 4xx/5xx requests. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => {
    // Chromium's own fetches of the web app manifest and its icons (its installability check) are
    // cancelled when the page navigates on before they finish: the browser's, not the app's failure.
    if (req.failure()?.errorText === "net::ERR_ABORTED" && (req.resourceType() === "manifest" || new URL(req.url()).pathname.startsWith("/static/icons/"))) return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}
