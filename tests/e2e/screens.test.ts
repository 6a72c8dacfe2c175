// Screenshots of the main screens, in both themes, at a desktop and a phone viewport, compared
// with stored baselines (tests/e2e/baselines/) by pixelmatch with a tolerance: a few anti-aliased
// pixels may differ, a moved pane or a lost style may not. The data is the same on every run (the
// fixture's names and messages); what still changes (times, presence) is masked. A missing baseline
// is written and the test says so; POKYNANO_UPDATE_BASELINES=1 rewrites them after a deliberate
// visual change.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { createClientFixture, VIEWPORTS, type ClientFixture, type ViewportName } from "./support/client-fixture.ts";
import { waitForSockets } from "./support/people.ts";

const BASELINES = join(import.meta.dir, "baselines");
const UPDATE = process.env.POKYNANO_UPDATE_BASELINES === "1";
/** Share of pixels allowed to differ (font hinting, anti-aliasing), after pixelmatch's own per-pixel threshold. */
const MAX_DIFF_RATIO = 0.01;

let app: TestApp;
let f: ClientFixture;
let browser: Browser;

beforeAll(async () => {
  app = await createTestApp();
  f = await createClientFixture(app);
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: f.admin.token, url: app.url }]);
  mkdirSync(BASELINES, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

/** Compare with the stored baseline; returns a note when the baseline was written instead. */
function compare(name: string, shot: Buffer): string | null {
  const file = join(BASELINES, `${name}.png`);
  if (UPDATE || !existsSync(file)) {
    writeFileSync(file, shot);
    return `wrote baseline ${name}.png`;
  }
  const want = PNG.sync.read(readFileSync(file));
  const got = PNG.sync.read(shot);
  expect(`${got.width}x${got.height}`).toBe(`${want.width}x${want.height}`);
  const diff = new PNG({ width: want.width, height: want.height });
  const differing = pixelmatch(want.data, got.data, diff.data, want.width, want.height, { threshold: 0.15 });
  const ratio = differing / (want.width * want.height);
  if (ratio > MAX_DIFF_RATIO) {
    writeFileSync(join(BASELINES, `${name}.diff.png`), PNG.sync.write(diff));
    writeFileSync(join(BASELINES, `${name}.actual.png`), shot);
  }
  expect({ name, ratio: Number(ratio.toFixed(4)), ok: ratio <= MAX_DIFF_RATIO }).toEqual({ name, ratio: Number(ratio.toFixed(4)), ok: true });
  return null;
}

async function shoot(page: Page): Promise<Buffer> {
  // Fonts and images settled, nothing blinking or moving.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState("load");
  return page.screenshot({
    animations: "disabled",
    caret: "hide",
    mask: [page.locator("time"), page.locator(".status-dot"), page.locator("#header-presence"), page.locator(".typing-indicator")],
    maskColor: "#888888",
  });
}

const SCREENS = ["channel", "dm", "settings"] as const;

describe("screenshots of the main screens against the stored baselines", () => {
  for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
    for (const theme of ["dark", "light"] as const) {
      test(`the channel, DM and settings screens look as in the baselines at the ${viewport} viewport in the ${theme} theme`, async () => {
        const notes: string[] = [];
        const page = await browser.context.newPage();
        await page.setViewportSize(VIEWPORTS[viewport]);
        await page.emulateMedia({ colorScheme: theme, reducedMotion: "reduce" });
        for (const screen of SCREENS) {
          await page.goto(app.url + f.pages[screen]);
          if (screen !== "settings") await waitForSockets(app, 1);
          const note = compare(`${screen}-${viewport}-${theme}`, await shoot(page));
          if (note) notes.push(note);
        }
        if (viewport === "phone") {
          // The phone's drawer with the servers and channels.
          await page.goto(app.url + f.pages.channel);
          await page.keyboard.press("Tab");
          await page.locator("#open-nav").focus();
          await page.keyboard.press("Enter");
          await page.locator(".nav-open .app-nav").waitFor();
          const note = compare(`channel-menu-${viewport}-${theme}`, await shoot(page));
          if (note) notes.push(note);
        }
        if (notes.length) console.log(`screens: ${notes.join("; ")} (first run: nothing compared for these)`);
        await page.close();
      }, 60_000);
    }
  }
});
