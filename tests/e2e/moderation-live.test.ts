// Moderation seen live in Chromium: a member timed out while the channel is open sees the notice
// replace the composer at once, and the composer come back when the timeout is removed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let cleo: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Live Moderation");
  cleo = await createAccount(app, { username: "cleo_live", displayName: "Cleo" });
  await g.join(cleo);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, cleo.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("moderation live in Chromium", () => {
  test("a timeout set while the member's channel is open replaces the composer with the notice, and removing it brings the composer back", async () => {
    const page = await browsers[1]!.context.newPage();
    const problems = watchProblems(page);
    const before = app.server.hub.connectionCount;
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await waitForSockets(app, before + 1);
    const box = page.getByLabel("Message #general");
    await box.waitFor({ state: "visible" });
    const until = new Date(Date.now() + 600_000).toISOString();
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${cleo.user.id}`, { communication_disabled_until: until }, g.owner.bearer)).status).toBe(200);
    const notice = page.locator(".moderation-notice[role=status]");
    await notice.waitFor({ state: "visible", timeout: 5000 });
    expect(await notice.textContent()).toContain(`You are timed out in this server until ${until.slice(0, 16).replace("T", " ")} UTC`);
    expect(await box.count()).toBe(0);

    const reconnected = app.server.hub.connectionCount;
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${cleo.user.id}`, { communication_disabled_until: null }, g.owner.bearer)).status).toBe(200);
    await box.waitFor({ state: "visible", timeout: 10_000 });
    expect(await page.locator(".moderation-notice").count()).toBe(0);
    await waitForSockets(app, reconnected);
    await box.fill("back again");
    await box.press("Enter");
    await page.locator("#messages article.message:not(.pending)").filter({ hasText: "back again" }).waitFor({ timeout: 5000 });
    expect(problems).toEqual([]);
    await page.close();
  }, 40_000);
});
