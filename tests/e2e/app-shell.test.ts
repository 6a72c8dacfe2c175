import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createAccount } from "../../src/testing/accounts.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  app = await createTestApp();
  browser = await launchBrowser();
  const { token } = await createAccount(app, { username: "viewer", displayName: "Viewer" });
  await browser.context.addCookies([{ name: "pokynano_session", value: token, url: app.url }]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("the app shell in Chromium", () => {
  test("loads with no console errors and no failed requests, htmx running under our CSP", async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/`, { waitUntil: "networkidle" });
    expect(await page.title()).toBe("Pokynano");
    expect(await page.getByRole("navigation", { name: "Servers" }).isVisible()).toBe(true);
    expect(await page.getByRole("complementary", { name: "Channels" }).isVisible()).toBe(true);
    expect(await page.getByRole("complementary", { name: "Members" }).isVisible()).toBe(true);
    expect(await page.getByRole("main").getByRole("heading", { name: "Welcome to Pokynano" }).isVisible()).toBe(true);
    expect(await page.getByRole("complementary", { name: "Channels" }).getByText("Viewer", { exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe("object");
    // The stylesheet applied: the rail has its own background, i.e. CSS loaded under the CSP.
    const railBg = await page.locator(".server-rail").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(railBg).not.toBe("rgba(0, 0, 0, 0)");
    if (process.env.POKYNANO_SCREENSHOTS) await page.screenshot({ path: `${process.env.POKYNANO_SCREENSHOTS}/app-shell.png` });
    expect(problems).toEqual([]);
    await page.close();
  });

  test("the skip link moves keyboard focus to the conversation", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to the conversation");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.close();
  });
});
