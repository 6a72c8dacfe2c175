// Moderation seen live in Chromium: a member timed out while the channel is open sees the notice
// replace the composer at once, and the composer come back when the timeout is removed; a
// moderator locks a channel in one click, selects messages and deletes them, and deletes the last
// N, while another browser sees the messages go.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
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

  test("a moderator locks the channel in one click, selects two messages and deletes them, then deletes the last N, live in the member's browser", async () => {
    const channel = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "cleanup" }, g.owner.bearer));
    for (const text of ["first keeps", "spam one", "spam two", "third keeps", "tail one", "tail two"]) await api(app, "POST", `/channels/${channel.id}/messages`, { content: text }, cleo.bearer);
    const before = app.server.hub.connectionCount;
    const mod = await browsers[0]!.context.newPage();
    const watcher = await browsers[1]!.context.newPage();
    const problems = [...watchProblems(mod), ...watchProblems(watcher)];
    await mod.goto(`${app.url}/channels/${g.guildId}/${channel.id}`);
    await watcher.goto(`${app.url}/channels/${g.guildId}/${channel.id}`);
    await waitForSockets(app, before + 2);
    const seen = (p: typeof mod, text: string) => p.locator("#messages article.message").filter({ hasText: text });

    const menu = mod.locator("summary", { hasText: "Moderate" });
    await menu.click();
    await mod.getByRole("button", { name: "Lock channel" }).click();
    await menu.click();
    await mod.getByRole("button", { name: "Unlock channel" }).waitFor();
    expect((await api(app, "POST", `/channels/${channel.id}/messages`, { content: "locked out" }, cleo.bearer)).status).toBe(403);
    await mod.getByRole("button", { name: "Unlock channel" }).click();
    await menu.click();
    await mod.getByRole("button", { name: "Lock channel" }).waitFor();
    await waitForSockets(app, before + 2);

    await mod.getByRole("button", { name: "Select messages" }).click();
    expect(await mod.locator("details.channel-tools").getAttribute("open")).toBeNull();
    const deleteSelected = mod.getByRole("button", { name: "Delete selected" });
    expect(await deleteSelected.isDisabled()).toBe(true);
    await seen(mod, "spam one").click();
    await seen(mod, "spam two").click();
    expect(await mod.locator("[data-selection-count]").textContent()).toBe("2 selected");
    expect(await seen(mod, "spam one").getAttribute("aria-selected")).toBe("true");
    await deleteSelected.click();
    await seen(watcher, "spam one").waitFor({ state: "detached", timeout: 5000 });
    await seen(watcher, "spam two").waitFor({ state: "detached", timeout: 5000 });
    await seen(mod, "spam two").waitFor({ state: "detached", timeout: 5000 });
    expect(await mod.locator("[data-selection-bar]").isHidden()).toBe(true);
    expect(await seen(watcher, "first keeps").count()).toBe(1);

    await menu.click();
    await mod.getByLabel("Number of messages (1-100, under 14 days old)").fill("2");
    await mod.getByRole("button", { name: "Delete them" }).click();
    await seen(watcher, "tail one").waitFor({ state: "detached", timeout: 5000 });
    await seen(watcher, "tail two").waitFor({ state: "detached", timeout: 5000 });
    expect(await seen(watcher, "third keeps").count()).toBe(1);
    // Cleo's refused API send above is not a browser problem.
    expect(problems).toEqual([]);
    await mod.close();
    await watcher.close();
  }, 60_000);
});
