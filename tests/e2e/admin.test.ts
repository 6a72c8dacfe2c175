// The admin console in Chromium: the overview draws its live charts (uPlot from /static/vendor,
// no CSP violation), and a backup started from the console shows its progress bar reaching done.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

let app: TestApp;
let admin: TestAccount;
let browser: Browser;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { admin: true });
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: admin.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

describe("admin console", () => {
  test("the overview renders its figures and three live charts", async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/admin/overview`);
    await expect(page.locator('[data-figure="version"]').textContent()).resolves.toMatch(/^\d+\.\d+\.\d+/);
    // The charts are drawn once the first samples arrive.
    await page.waitForSelector('#ops-charts[data-ready]', { timeout: 10_000 });
    expect(await page.locator("#ops-charts .uplot canvas").count()).toBe(3);
    expect(await page.locator("#ops-charts .u-legend").count()).toBe(3);
    expect(problems).toEqual([]);
  }, 30_000);

  test("a backup started from the console shows its job reaching done, and one started elsewhere appears live", async () => {
    const page = await browser.context.newPage();
    // Leaving the page ends its event stream: that abort is expected, not a problem.
    const problems = watchProblems(page);
    const real = () => problems.filter((p) => !p.includes("/admin/jobs/events net::ERR_ABORTED"));
    await page.goto(`${app.url}/admin/operations`);
    await page.getByRole("button", { name: "Back up now" }).click();
    await page.waitForSelector('.ops-job[data-status="done"]', { timeout: 15_000 });
    expect(await page.locator(".ops-job progress").first().getAttribute("value")).toBe("100");
    await page.reload();
    expect(await page.locator("table.data-table code").first().textContent()).toMatch(/^pokynano-\d{8}-\d{6}(-\d+)?\.tar\.gz$/);
    // A job started from the API while the page is open: the job feed (SSE) brings it in.
    const before = await page.locator(".ops-job").count();
    const started = (await (await api(app, "POST", "/admin/backups", undefined, admin.bearer)).json()) as { id: string };
    await page.waitForSelector(`#job-${started.id}[data-status="done"]`, { timeout: 15_000 });
    expect(await page.locator(".ops-job").count()).toBe(before + 1);
    expect(real()).toEqual([]);
  }, 30_000);
});
