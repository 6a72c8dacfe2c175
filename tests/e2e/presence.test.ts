// Two people in two Chromium browsers: typing, presence and read state appear live for the other.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let ana: TestAccount;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Live Presence");
  ana = g.owner;
  await api(app, "PATCH", "/users/@me", { global_name: "Ana" }, ana.bearer);
  bea = await createAccount(app, { displayName: "Bea" });
  await g.join(bea);
  browsers = await signedInBrowsers(app, [ana.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("presence, typing and read state in Chromium", () => {
  test("Bea sees Ana typing, then Ana's message replaces it; Bea's member list shows Ana online, then offline once Ana's last tab closes", async () => {
    const url = `${app.url}/channels/${g.guildId}/${g.generalId}`;
    const beaPage = await browsers[1]!.context.newPage();
    const problems = watchProblems(beaPage);
    await beaPage.goto(url);
    await waitForSockets(app, 1);
    const anaPage = await browsers[0]!.context.newPage();
    problems.push(...watchProblems(anaPage));
    await anaPage.goto(url);
    await waitForSockets(app, 2);

    const anaRow = beaPage.locator(`#member-groups-${g.guildId} .member-row[data-user-id="${ana.user.id}"]`);
    await anaRow.and(beaPage.locator('[data-status="online"]')).waitFor({ timeout: 5000 });

    await anaPage.getByLabel("Message #general").pressSequentially("hel", { delay: 20 });
    await beaPage.locator("#typing").filter({ hasText: "Ana is typing…" }).waitFor({ timeout: 5000 });
    // Ana does not see herself typing.
    expect(await anaPage.locator("#typing").innerText()).toBe("");
    await anaPage.getByLabel("Message #general").pressSequentially("lo", { delay: 20 });
    await anaPage.getByLabel("Message #general").press("Enter");
    await beaPage.locator("#messages article.message").filter({ hasText: "hello" }).waitFor({ timeout: 5000 });
    await beaPage.locator("#typing").filter({ hasText: /^$/ }).waitFor({ timeout: 2000 });

    const closedAt = Date.now();
    await anaPage.close();
    await anaRow.and(beaPage.locator('[data-status="offline"]')).waitFor({ timeout: 8000 });
    expect(Date.now() - closedAt).toBeLessThan(8000);
    expect(await beaPage.locator(`#member-groups-${g.guildId} section[aria-label="Offline"] [data-user-id="${ana.user.id}"]`).count()).toBe(1);
    expect(problems).toEqual([]);
    await beaPage.close();
  }, 60_000);

  test("Ana's mention of Bea lights Bea's sidebar and rail live; reading it in one of Bea's tabs clears it in the other", async () => {
    const news = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "news", type: 0 }, ana.bearer));
    const inServer = await browsers[1]!.context.newPage();
    const atHome = await browsers[1]!.context.newPage();
    const problems = [...watchProblems(inServer), ...watchProblems(atHome)];
    const before = app.server.hub.connectionCount;
    await inServer.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await atHome.goto(`${app.url}/`);
    await waitForSockets(app, before + 2);

    await api(app, "POST", `/channels/${news.id}/messages`, { content: `<@${bea.user.id}> the news is out` }, ana.bearer);
    const newsLink = inServer.locator(`.channel-link[href="/channels/${g.guildId}/${news.id}"]`);
    await newsLink.locator(".mention-badge:not([hidden])").filter({ hasText: "1" }).waitFor({ timeout: 5000 });
    expect(await newsLink.evaluate((a) => getComputedStyle(a).fontWeight)).toBe("700");
    const railBadge = atHome.locator(`#rail-mentions-${g.guildId}`);
    await railBadge.filter({ hasText: "1" }).waitFor({ timeout: 5000 });
    expect(await railBadge.isVisible()).toBe(true);

    // Bea reads it in the first tab: the second tab's rail clears.
    await newsLink.click();
    await inServer.waitForURL(`**/channels/${g.guildId}/${news.id}`);
    await railBadge.waitFor({ state: "hidden", timeout: 5000 });
    expect(problems).toEqual([]);
    await inServer.close();
    await atHome.close();
  }, 60_000);

  test("Bea chooses Do Not Disturb with a custom status from the menu; it shows in her panel and in Ana's member list", async () => {
    const url = `${app.url}/channels/${g.guildId}/${g.generalId}`;
    const anaPage = await browsers[0]!.context.newPage();
    const beaPage = await browsers[1]!.context.newPage();
    const problems = [...watchProblems(anaPage), ...watchProblems(beaPage)];
    const before = app.server.hub.connectionCount;
    await anaPage.goto(url);
    await beaPage.goto(url);
    await waitForSockets(app, before + 2);
    await beaPage.getByLabel("Set your status").click();
    await beaPage.getByLabel("Do Not Disturb").check();
    await beaPage.getByLabel("Custom status").fill("deep work <b>");
    await beaPage.getByRole("button", { name: "Set status" }).click();
    await beaPage.locator("#self-status").filter({ hasText: "deep work <b>" }).waitFor({ timeout: 5000 });
    const row = anaPage.locator(`#member-groups-${g.guildId} .member-row[data-user-id="${bea.user.id}"]`);
    await row.and(anaPage.locator('[data-status="dnd"]')).waitFor({ timeout: 5000 });
    expect(await row.locator(".member-custom-status").innerText()).toBe("deep work <b>");
    expect(problems).toEqual([]);
    await anaPage.close();
    await beaPage.close();
  }, 60_000);
});
