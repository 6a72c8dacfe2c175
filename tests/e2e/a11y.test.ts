// axe-core (from node_modules, evaluated in the page: the CSP allows no injected script tag) on
// every main page, at a desktop and a phone viewport, in both themes: no serious or critical
// violation. Also the shortcut dialog: it keeps focus inside and gives it back when it closes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { createClientFixture, VIEWPORTS, type ClientFixture } from "./support/client-fixture.ts";

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let app: TestApp;
let f: ClientFixture;
let signedIn: Browser;
let anonymous: Browser;

beforeAll(async () => {
  app = await createTestApp();
  f = await createClientFixture(app);
  [signedIn, anonymous] = await Promise.all([launchBrowser(), launchBrowser()]);
  await signedIn.context.addCookies([{ name: "pokynano_session", value: f.admin.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  await signedIn?.close();
  await anonymous?.close();
  await app?.close();
}, 60_000);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical axe violations on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run().then((r) => r.violations))) as Violation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

async function check(browser: Browser, path: string, viewport: keyof typeof VIEWPORTS, theme: "dark" | "light") {
  const page = await browser.context.newPage();
  await page.setViewportSize(VIEWPORTS[viewport]);
  await page.emulateMedia({ colorScheme: theme, reducedMotion: "reduce" });
  try {
    await page.goto(app.url + path, { waitUntil: "load" });
    return await seriousViolations(page);
  } finally {
    await page.close();
  }
}

describe("accessibility of the main pages (axe-core)", () => {
  for (const viewport of ["desktop", "phone"] as const) {
    for (const theme of ["dark", "light"] as const) {
      test(`the main pages have no serious or critical violations at the ${viewport} viewport in the ${theme} theme`, async () => {
        const found: Record<string, string[]> = {};
        const login = await check(anonymous, "/login", viewport, theme);
        if (login.length) found.login = login;
        for (const [name, path] of Object.entries(f.pages)) {
          const violations = await check(signedIn, path, viewport, theme);
          if (violations.length) found[name] = violations;
        }
        expect(found).toEqual({});
      }, 90_000);
    }
  }

  test("the shortcut dialog (Ctrl+/) traps focus and gives it back where it was", async () => {
    const page = await signedIn.context.newPage();
    await page.goto(app.url + f.pages.channel);
    const input = page.locator("#composer-input, .composer textarea").first();
    await input.focus();
    await page.keyboard.press("Control+/");
    const dialog = page.locator("#shortcuts-dialog");
    await dialog.waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.getElementById("shortcuts-dialog")!.contains(document.activeElement))).toBe(true);
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      // A modal dialog makes the rest of the page inert: Tab never reaches the composer.
      expect(await page.evaluate(() => document.activeElement?.closest(".composer") === null)).toBe(true);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.close();
  }, 30_000);
});
