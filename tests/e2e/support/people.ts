// Several people in several browsers against one test server: each browser signed in with its
// own session cookie, and a way to wait until their pages' live sockets are open (a message sent
// before that would not reach them).
import type { Page } from "playwright-core";
import type { TestApp } from "../../../src/testing/app.ts";
import { launchBrowser, watchProblems, type Browser } from "./browser.ts";

/** One browser per session token, each with that person's session cookie. */
export async function signedInBrowsers(app: TestApp, tokens: string[]): Promise<Browser[]> {
  const browsers = await Promise.all(tokens.map(() => launchBrowser()));
  await Promise.all(browsers.map((b, i) => b.context.addCookies([{ name: "pokynano_session", value: tokens[i]!, url: app.url }])));
  return browsers;
}

/** Wait until the server holds at least `count` sockets. */
export async function waitForSockets(app: TestApp, count: number, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (app.server.hub.connectionCount < count) {
    if (Date.now() - started > timeoutMs) throw new Error(`only ${app.server.hub.connectionCount} of ${count} sockets connected`);
    await Bun.sleep(25);
  }
}

/**
 * Open `path` in a new page of each browser and wait until each page's own live socket is open.
 * (Counting the server's sockets raced with the previous test's pages still closing theirs.)
 */
export async function openLive(app: TestApp, browsers: Browser[], path: string): Promise<{ pages: Page[]; problems: string[] }> {
  const pages = await Promise.all(browsers.map((b) => b.context.newPage()));
  const problems = pages.flatMap((p) => watchProblems(p));
  for (const page of pages) {
    await page.addInitScript(() => {
      document.addEventListener("htmx:ws:after:connection", () => {
        const w = window as unknown as { pokynanoTestSockets?: number };
        w.pokynanoTestSockets = (w.pokynanoTestSockets ?? 0) + 1;
      });
    });
    await page.goto(`${app.url}${path}`);
  }
  for (const page of pages) await page.waitForFunction(() => ((window as unknown as { pokynanoTestSockets?: number }).pokynanoTestSockets ?? 0) > 0, undefined, { timeout: 10_000 });
  await waitForSockets(app, pages.length);
  return { pages, problems };
}
