// Switching language: a visitor's browser language picks the sign-in page's language; a signed-in
// person who picks Français in Settings → Appearance gets every screen in French from the next
// page on, with dates written the French way (the day separator, the hover title of a time).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";
import { createClientFixture, type ClientFixture } from "./support/client-fixture.ts";

let app: TestApp;
let f: ClientFixture;
let browser: Browser;

beforeAll(async () => {
  app = await createTestApp();
  f = await createClientFixture(app);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

describe("language switch in Chromium", () => {
  test("a French browser gets the sign-in page in French", async () => {
    const page = await browser.context.newPage();
    await page.setExtraHTTPHeaders({ "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5" });
    await page.goto(`${app.url}/login`);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    await page.close();
  });

  test("choosing Français in the appearance settings turns the settings, the channel and its dates French", async () => {
    await browser.context.addCookies([{ name: "pokynano_session", value: f.friend.token, url: app.url }]);
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/settings/appearance`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.getByLabel("Language").selectOption("fr");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "fr");
    await page.getByRole("heading", { name: "Paramètres utilisateur" }).first().waitFor();

    await page.goto(app.url + f.pages.channel);
    expect(await page.getAttribute("#composer-input", "placeholder")).toBe("Envoyer un message dans #general");
    await page.locator(".day-separator").filter({ hasText: "Aujourd'hui" }).waitFor();
    // Times were rendered once in UTC for everybody; the reader's browser rewrites them in French.
    const title = await page.locator("#messages time").first().getAttribute("title");
    expect(title).toMatch(/(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)/);
    // The shortcut list too.
    await page.keyboard.press("Control+/");
    await page.getByRole("heading", { name: "Raccourcis clavier" }).waitFor();
    expect(problems.filter((p) => !p.includes("net::ERR_ABORTED"))).toEqual([]);
    await page.close();
  });
});
