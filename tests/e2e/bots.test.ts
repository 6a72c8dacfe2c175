// Bots in real Chromium: a person makes a bot in Settings → Developer, copies its token, resets
// it (after confirming), then adds the bot to their server through the invite link; the bot's
// message shows its BOT tag.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

const TIMEOUT = 60_000;
let app: TestApp;
let browser: Browser;
let page: Page;
let problems: string[];
let g: GuildFixture;
let owner: TestAccount;

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Robot Lounge");
  owner = g.owner;
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: owner.token, url: app.url }]);
  page = await browser.context.newPage();
  problems = watchProblems(page);
}, TIMEOUT);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("bots in the browser", () => {
  test(
    "a bot is made, its token shown once and reset after a confirmation, and it joins a server from its invite link with a BOT tag",
    async () => {
      await page.goto(`${app.url}/settings/developer`);
      await page.getByLabel("Name").first().fill("Butler");
      await page.getByLabel("Description").first().fill("Fetches the news.");
      await page.getByRole("button", { name: "Create a bot" }).click();
      const token = (await page.getByTestId("bot-token").innerText()).trim();
      expect(token).toMatch(/^pkb\./);
      expect((await api(app, "GET", "/users/@me", undefined, { Authorization: `Bot ${token}` })).status).toBe(200);

      // Dismissing the confirmation keeps the token; accepting it makes a new one.
      page.once("dialog", (d) => d.dismiss());
      await page.getByRole("button", { name: "Reset token" }).click();
      expect((await api(app, "GET", "/users/@me", undefined, { Authorization: `Bot ${token}` })).status).toBe(200);
      page.once("dialog", (d) => d.accept());
      await page.getByRole("button", { name: "Reset token" }).click();
      await page.getByTestId("bot-token").waitFor();
      const fresh = (await page.getByTestId("bot-token").innerText()).trim();
      expect(fresh).not.toBe(token);
      expect((await api(app, "GET", "/users/@me", undefined, { Authorization: `Bot ${token}` })).status).toBe(401);

      const invite = await page.getByLabel("Invite link").inputValue();
      await page.goto(invite);
      await page.locator("select#guild_id").selectOption({ label: "Robot Lounge" });
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.getByRole("link", { name: /Butler was added to Robot Lounge/ }).click();
      await page.waitForURL(new RegExp(`/channels/${g.guildId}/`));
      const botId = invite.match(/client_id=(\d+)/)![1]!;
      await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "Good morning" }, { Authorization: `Bot ${fresh}` });
      const message = page.locator("article.message", { hasText: "Good morning" });
      await message.waitFor();
      expect(await message.locator(".bot-tag").innerText()).toBe("BOT");
      expect(await page.locator(`.member-row[data-user-id="${botId}"] .bot-tag`).count()).toBe(1);
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );
});
