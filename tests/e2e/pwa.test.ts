// The installable app in Chromium: the service worker shows the offline screen when the server
// is down (and "Try again" brings the app back once it is up), unsent drafts survive a reload
// per channel, and a mention in a background tab becomes a desktop notification with the count
// in the tab title and a badge on the favicon.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../../src/instance/service.ts";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { openLive, signedInBrowsers } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let reader: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Offline");
  reader = await createAccount(app, { username: "reader_pwa", displayName: "Reader" });
  await g.join(reader);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [reader.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("the installable app in Chromium", () => {
  test("an unsent draft survives a reload, per channel, and is forgotten once sent", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "drafts", type: 0 }, g.owner.bearer));
    const { pages, problems } = await openLive(app, browsers, `/channels/${g.guildId}/${g.generalId}`);
    const page = pages[0]!;
    const box = page.getByLabel("Message #general");
    await box.pressSequentially("half a thought");
    await page.reload();
    expect(await page.getByLabel("Message #general").inputValue()).toBe("half a thought");
    // Another channel has its own (empty) draft.
    await page.goto(`${app.url}/channels/${g.guildId}/${other.id}`);
    expect(await page.getByLabel("Message #drafts").inputValue()).toBe("");
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    const again = page.getByLabel("Message #general");
    expect(await again.inputValue()).toBe("half a thought");
    await again.press("Enter");
    await page.locator("#messages article.message:not(.pending)").filter({ hasText: "half a thought" }).waitFor();
    await page.reload();
    expect(await page.getByLabel("Message #general").inputValue()).toBe("");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("a mention in a background tab shows a desktop notification; the tab title counts it and the favicon gets a badge", async () => {
    const context = browsers[0]!.context;
    await context.grantPermissions(["notifications"], { origin: app.url });
    const page = await context.newPage();
    // The tab is in the background, and the Notification constructor records what it is asked to show.
    await page.addInitScript(() => {
      Object.defineProperty(document, "visibilityState", { get: () => "hidden" });
      const shown: { title: string; body: string }[] = [];
      (window as unknown as { shown: typeof shown }).shown = shown;
      class Recorded extends EventTarget {
        static permission = "granted";
        static requestPermission = async () => "granted";
        constructor(title: string, opts: { body: string }) {
          super();
          shown.push({ title, body: opts.body });
        }
        close() {}
      }
      (window as unknown as { Notification: unknown }).Notification = Recorded;
    });
    const before = app.server.hub.connectionCount;
    await page.goto(`${app.url}/`);
    while (app.server.hub.connectionCount <= before) await Bun.sleep(25);
    const baseTitle = await page.title();
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `are you there <@${reader.user.id}>?` }, g.owner.bearer);
    await page.waitForFunction(() => (window as unknown as { shown: unknown[] }).shown.length === 1);
    expect(await page.evaluate(() => (window as unknown as { shown: unknown[] }).shown)).toEqual([{ title: expect.stringContaining("(#general, Offline)"), body: "are you there @Reader?" }]);
    await page.waitForFunction((t) => document.title === `(1) ${t}`, baseTitle);
    expect(await page.locator("link[rel=icon]").getAttribute("href")).toBe("/static/icons/favicon-unread.png");
    // The notification element is consumed, not left in the page.
    expect(await page.locator("#notify-inbox .notify-event").count()).toBe(0);
    await page.close();
  }, 60_000);

  test("Settings → Notifications: the device section says where this browser stands, and a server's choices save", async () => {
    const page = await browsers[0]!.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/settings/notifications`);
    // Permission was granted in an earlier test; no push subscription exists yet on this device.
    await page.getByText("Notifications are off for this device.").waitFor();
    const server = page.locator(`form[data-scope="${g.guildId}"]`);
    await server.getByLabel("Notify me of").selectOption("all");
    await server.getByLabel("Mute").selectOption("60");
    await server.getByRole("button", { name: "Save" }).click();
    await page.getByText("Notification settings saved.").waitFor();
    const saved = page.locator(`form[data-scope="${g.guildId}"]`);
    expect(await saved.getByLabel("Notify me of").inputValue()).toBe("all");
    expect(await saved.innerText()).toContain("Muted until");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("Chromium reads the manifest and the worker controls the page; with the server down a page load shows the offline screen; Try again brings the app back once it is up", async () => {
    const page = await browsers[0]!.context.newPage();
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    // The worker is installed (its precache filled) and active.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Chromium finds and parses the manifest without errors, and the worker controls the page.
    const cdp = await page.context().newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.url).toBe(`${app.url}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!).display).toBe("standalone");
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${app.url}/sw.js`);
    const port = Number(new URL(app.url).port);
    await app.server.stop();
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await page.getByRole("heading", { name: "You are offline" }).waitFor();
    // Styled from the cache: the stylesheet applied without the server.
    expect(await page.locator(".offline-screen").evaluate((el) => getComputedStyle(el).display)).toBe("grid");
    // Back up on the same port and data: Try again reloads the page the person wanted.
    const restarted = await createTestApp({ port, dataDir: app.dataDir, publicUrl: app.url });
    const first = app;
    app = restarted;
    first.server = restarted.server;
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByLabel("Message #general").waitFor();
    expect(page.url()).toBe(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await page.close();
  }, 60_000);
});
