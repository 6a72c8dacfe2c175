// Search and the quick switcher in Chromium: typing "from:" suggests members, the results pane
// shows marked words, Jump opens the channel at the message (an older one, out of the first page
// of history); Ctrl+K finds a channel despite a typo and goes there.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

let app: TestApp;
let g: GuildFixture;
let zoe: TestAccount;
let browser: Browser;
let oldId: string;
let annoncesId: string;

beforeAll(async () => {
  app = await createTestApp();
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  g = await createGuildFixture(app, "Recherche E2E");
  zoe = await createAccount(app, { username: "zoe_search", displayName: "Zoé" });
  await g.join(zoe);
  const send = async (who: TestAccount, content: string, channel = g.generalId) => json<{ id: string }>(await api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer));
  oldId = (await send(zoe, "La réunion de rentrée aura lieu à la médiathèque")).id;
  await send(g.owner, "réunion annulée, désolé");
  // Enough newer messages that the old one is not on the channel's first page.
  for (let i = 0; i < 60; i++) await send(g.owner, `message de remplissage ${i}`);
  annoncesId = (await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "annonces", type: 0 }, g.owner.bearer))).id;
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: g.owner.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

describe("search in Chromium", () => {
  test("from: suggests a member, the results mark the words, and Jump opens the channel at that message", async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    const box = page.getByRole("combobox", { name: "Search messages" });
    await box.click();
    await box.pressSequentially("reunion from:zo");
    const option = page.getByRole("option", { name: /zoe_search/ });
    await option.waitFor();
    await box.press("Enter");
    expect(await box.inputValue()).toBe("reunion from:zoe_search ");
    await box.press("Enter");
    const pane = page.locator("#search-results.open");
    await pane.getByRole("heading", { name: "1 result" }).waitFor();
    expect(await pane.locator("mark").first().textContent()).toBe("réunion");
    await pane.getByRole("link", { name: /Jump to the message from Zoé/ }).click();
    await page.waitForURL(new RegExp(`around=${oldId}`));
    const target = page.locator(`#m-${oldId}`);
    await target.waitFor();
    expect(await target.textContent()).toContain("médiathèque");
    expect(problems).toEqual([]);
    await page.close();
  });

  test("Ctrl+K finds a channel despite a typo and Enter goes there; the jump is remembered first", async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await page.locator("#search-labels").waitFor({ state: "attached" });
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Quick switcher" });
    await dialog.waitFor();
    const input = dialog.getByRole("combobox");
    await input.pressSequentially("anonces");
    await dialog.getByRole("option", { name: /annonces/ }).first().waitFor();
    expect(await dialog.getByRole("option").first().getAttribute("aria-selected")).toBe("true");
    await input.press("Enter");
    await page.waitForURL(`${app.url}/channels/${g.guildId}/${annoncesId}`);
    // Opened again with nothing typed, the last jump comes first.
    await page.keyboard.press("Control+k");
    await dialog.waitFor();
    await expect(dialog.getByRole("option").first().textContent()).resolves.toContain("annonces");
    await page.keyboard.press("Escape");
    expect(problems).toEqual([]);
    await page.close();
  });
});
