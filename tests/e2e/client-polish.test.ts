// The client's feedback while things load or break: the "reconnecting" banner while the live
// socket is down (a polite status, then "up to date" and gone), the catch-up after it, and the
// phone's drawers (menu button, Escape, focus back to the button) and touch gestures on messages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { createClientFixture, VIEWPORTS, type ClientFixture } from "./support/client-fixture.ts";
import { waitForSockets } from "./support/people.ts";

let app: TestApp;
let f: ClientFixture;
let browser: Browser;

beforeAll(async () => {
  app = await createTestApp();
  f = await createClientFixture(app);
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: f.admin.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

describe("connection banner and phone drawers", () => {
  test("a dropped socket shows the reconnecting banner, and on return the missed message appears and the banner goes", async () => {
    const page = await browser.context.newPage();
    const before = app.server.hub.connectionCount;
    await page.goto(app.url + f.pages.channel);
    await waitForSockets(app, before + 1);
    const banner = page.locator("#connection-banner");
    expect(await banner.isHidden()).toBe(true);
    expect(await banner.getAttribute("role")).toBe("status");

    // Seen from the page: the socket closes, then (htmx retries) opens again.
    const sawLost = page.waitForFunction(() => document.getElementById("connection-banner")?.textContent?.includes("Reconnecting"), undefined, { timeout: 10_000 });
    app.server.hub.closeAll();
    await sawLost;
    await api(app, "POST", `/channels/${f.generalId}/messages`, { content: "envoyé pendant la coupure" }, f.friend.bearer);
    await page.locator("#messages article.message").filter({ hasText: "envoyé pendant la coupure" }).waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById("connection-banner")?.textContent?.includes("up to date"), undefined, { timeout: 10_000 });
    await banner.waitFor({ state: "hidden", timeout: 5_000 });
    await page.close();
  }, 60_000);

  test("on a phone the menu button opens the channels drawer and the members sheet; Escape closes them and focus returns", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(VIEWPORTS.phone);
    await page.goto(app.url + f.pages.channel);
    // Nothing of the sidebar shows until asked for.
    expect(await page.locator("#channel-list").isVisible()).toBe(false);
    const menu = page.locator("#open-nav");
    await menu.focus();
    await page.keyboard.press("Enter");
    await page.locator("#channel-list").waitFor({ state: "visible" });
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await page.evaluate(() => document.getElementById("app-nav")!.contains(document.activeElement))).toBe(true);
    const box = await page.locator("#channel-list a.channel-link").first().boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.keyboard.press("Escape");
    await page.locator("#channel-list").waitFor({ state: "hidden" });
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);

    const members = page.locator("#open-members");
    await members.focus();
    await page.keyboard.press("Enter");
    await page.locator("#member-pane").getByText("Dominique").waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await page.locator("#member-pane").waitFor({ state: "hidden" });
    await page.close();
  }, 30_000);

  test("on a phone a long press opens a message's actions and a swipe to the right starts a reply", async () => {
    // Touch is emulated through CDP (the signed-in context was made without hasTouch).
    const page = await browser.context.newPage();
    await page.setViewportSize(VIEWPORTS.phone);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 5 });
    await page.goto(app.url + f.pages.channel);
    const target = page.locator("#messages article.message").filter({ hasText: "Parfait" });
    const box = (await target.boundingBox())!;
    const x = box.x + 40;
    const y = box.y + box.height / 2;
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", px: number) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x: px, y }] });

    await touch("touchStart", x);
    await page.waitForTimeout(600);
    await touch("touchEnd", x);
    await page.locator("#messages article.message.actions-open").filter({ hasText: "Parfait" }).waitFor();
    expect(await target.locator(".message-actions").isVisible()).toBe(true);

    await touch("touchStart", x);
    for (const dx of [20, 40, 60, 80, 95]) await touch("touchMove", x + dx);
    await touch("touchEnd", x + 95);
    await page.locator("#reply-bar").getByText("Dominique").waitFor();
    await page.close();
  }, 30_000);
});
