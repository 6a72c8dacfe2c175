// A call survives the app's other pages and their forms: during a call an admin searches from the
// search box (pane, next page, the search page and Back to it), opens the admin console (live
// charts), filters and creates users there, saves her appearance, kicks a member from her server's moderation page,
// opens an invite to another server from a message,
// joins it and lands in that server, then goes back to the call's grid: the same peer connection,
// the same document, audio still flowing both ways.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { launchBrowser, MEDIA_FLAGS, watchProblems, type Browser } from "./support/browser.ts";
import { hearing as hearingOn, type VoiceWindow } from "./support/call.ts";

let app: TestApp;
let g: GuildFixture;
let ada: TestAccount;
let bea: TestAccount;
let voiceId: string;
let otherGuildId: string;
let inviteCode: string;
let denId: string;
let browsers: Browser[] = [];
const debugInfo: string[] = [];
const hearing = (page: Page) => hearingOn(page, debugInfo);
const HITS = 30; // more than one page of results (25)

beforeAll(async () => {
  app = await createTestApp({ voice: { ports: null, listenIp: null, publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null } });
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  await writeSetting(app.server.queue, "search_rate_limit", 0);
  g = await createGuildFixture(app, "Voice pages");
  ada = await createAccount(app, { username: "ada_admin", displayName: "Ada", admin: true });
  bea = await createAccount(app, { username: "bea_pages", displayName: "Bea" });
  await g.join(ada);
  await g.join(bea);
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, g.owner.bearer));
  voiceId = channels.find((c) => c.type === 2)!.id;
  for (let i = 0; i < HITS; i++) await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `harbour picnic note ${i}` }, bea.bearer);
  // Bea's other server, and her invite to it posted where Ada reads.
  otherGuildId = (await json<{ id: string }>(await api(app, "POST", "/guilds", { name: "Bea's workshop" }, bea.bearer))).id;
  const otherChannels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${otherGuildId}/channels`, undefined, bea.bearer));
  inviteCode = (await json<{ code: string }>(await api(app, "POST", `/channels/${otherChannels.find((c) => c.type === 0)!.id}/invites`, { max_age: 0, max_uses: 0 }, bea.bearer))).code;
  await api(app, "POST", `/channels/${g.generalId}/messages`, { content: `Come to the workshop: ${app.url}/invite/${inviteCode}` }, bea.bearer);
  // Ada's own server, where she moderates Cal.
  const den = await createGuildFixture(app, "Ada's den");
  denId = den.guildId;
  await den.join(ada);
  await api(app, "PATCH", `/guilds/${denId}`, { owner_id: ada.user.id }, den.owner.bearer);
  await den.join(await createAccount(app, { username: "cal_kicked" }));
  browsers = await Promise.all([launchBrowser(MEDIA_FLAGS), launchBrowser(MEDIA_FLAGS)]);
  await browsers[0]!.context.addCookies([{ name: "pokynano_session", value: ada.token, url: app.url }]);
  await browsers[1]!.context.addCookies([{ name: "pokynano_session", value: bea.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

/** The same call and the same document as when marked: no rejoin, no reload. */
async function sameCall(page: Page): Promise<void> {
  await page.locator("#call-dock").waitFor({ state: "visible" });
  expect(await page.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.pc?.navTag)).toBe("first");
  expect(await page.evaluate(() => (window as unknown as { navMark?: number }).navMark)).toBe(1);
}

describe("a call survives search, the admin console, invites and their forms", () => {
  test("an admin in a call searches, uses the console, joins another server by invite and comes back to the same call", async () => {
    const [me, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
    const problems = [...watchProblems(me), ...watchProblems(other)];
    for (const p of [me, other]) p.on("console", (m) => debugInfo.push(m.text()));

    await me.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await me.locator(`a.channel-link[href*="${voiceId}"]`).click();
    await other.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
    for (const page of [me, other]) await hearing(page);
    await me.evaluate(() => {
      (window as unknown as VoiceWindow).pokynanoVoice.pc!.navTag = "first";
      (window as unknown as { navMark?: number }).navMark = 1;
    });
    await me.locator(`#channel-list a.channel-link[href$="/${g.generalId}"]`).click();
    await me.waitForURL(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await sameCall(me);

    // The search box: its results pane, the next page of results, then the search page itself.
    const box = me.getByRole("combobox", { name: "Search messages" });
    await box.click();
    await box.pressSequentially("picnic");
    // No filter starts so: the suggestions close, and Enter submits.
    await me.locator("#search-suggestions").waitFor({ state: "hidden" });
    await box.press("Enter");
    const pane = me.locator("#search-results.open");
    await pane.getByRole("heading", { name: `${HITS} results` }).waitFor();
    await pane.getByRole("link", { name: "Next" }).click();
    await pane.getByText("Page 2 of 2").waitFor();
    await me.evaluate((url) => (window as unknown as { pokynanoPage: { navigate(u: string): void } }).pokynanoPage.navigate(url), `/search?q=picnic&scope=${g.guildId}`);
    await me.waitForURL(/\/search\?q=picnic/);
    await me.locator(".search-page .search-hit").first().waitFor();
    await sameCall(me);
    await hearing(me);

    // The admin console from the shell's header: live charts, the users filter (a GET form) and
    // a user created (a POST answered by a redirect).
    await me.locator('a.header-link[href="/admin/overview"]').click();
    await me.waitForURL(`${app.url}/admin/overview`);
    await me.waitForSelector("#ops-charts[data-ready]", { timeout: 10_000 });
    expect(await me.locator("#ops-charts .uplot canvas").count()).toBe(3);
    await sameCall(me);
    // Back to the search page (htmx's history restore): the whole page, not the pane's fragment.
    await me.goBack();
    await me.waitForURL(/\/search\?q=picnic/);
    await me.locator(".search-page .search-hit").first().waitFor();
    expect(await me.locator("#search-input").count()).toBe(1);
    await me.goForward();
    await me.waitForURL(`${app.url}/admin/overview`);
    await me.waitForSelector("#ops-charts[data-ready]", { timeout: 10_000 });
    await me.locator('a[href="/admin/users"]').first().click();
    await me.waitForURL(`${app.url}/admin/users`);
    await me.locator("#f-q").fill("bea_pages");
    await me.locator("form.search-form button[type=submit]").click();
    await me.waitForURL(`${app.url}/admin/users?q=bea_pages`);
    expect(await me.locator("tbody tr").count()).toBe(1);
    const create = me.locator('form[action="/admin/users"][method="post"]');
    // A name already taken: the form comes back with its error, at the same address.
    await create.locator('input[name="username"]').fill("bea_pages");
    await create.locator('input[name="password"]').fill("correct horse battery");
    await create.locator("button[type=submit]").click();
    await create.locator('input[name="username"][aria-invalid="true"]').waitFor();
    expect(me.url()).toBe(`${app.url}/admin/users?q=bea_pages`);
    await create.locator('input[name="username"]').fill("cleo_made");
    await create.locator('input[name="password"]').fill("correct horse battery");
    await create.locator("button[type=submit]").click();
    await me.waitForURL(`${app.url}/admin/users?saved=1`);
    await me.locator('tr[data-user="cleo_made"]').waitFor();
    await sameCall(me);
    await hearing(me);

    // Her appearance saved: the light theme and a larger font apply at once, without a reload.
    await me.locator("a.back-link").click();
    await me.waitForURL(`${app.url}/`);
    await me.locator('a[href="/settings/profile"]').first().click();
    await me.locator('a[href="/settings/appearance"]').click();
    await me.waitForURL(`${app.url}/settings/appearance`);
    await me.locator('input[name="theme"][value="light"]').check();
    await me.locator("#f-font-size").selectOption("20");
    await me.locator("form[action='/settings/appearance'] button[type=submit]").click();
    await me.waitForURL(`${app.url}/settings/appearance?saved=1`);
    expect(await me.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    await me.waitForFunction(() => getComputedStyle(document.body).fontSize === "20px");
    await sameCall(me);

    // Moderation in her own server, from its settings: Cal kicked (a POST redirected back).
    await me.locator("a.back-link").click();
    await me.waitForURL(`${app.url}/`);
    await me.locator(`a.rail-server[href="/channels/${denId}"]`).click();
    await me.waitForURL(new RegExp(`/channels/${denId}/\\d+`));
    await me.locator(`a[href="/guilds/${denId}/settings"]`).click();
    await me.locator(`a[href="/guilds/${denId}/settings/moderation"]`).click();
    await me.waitForURL(`${app.url}/guilds/${denId}/settings/moderation`);
    await me.locator('tr[data-member="cal_kicked"] button', { hasText: "Kick" }).click();
    await me.waitForURL(`${app.url}/guilds/${denId}/settings/moderation?saved=1`);
    expect(await me.locator('tr[data-member="cal_kicked"]').count()).toBe(0);
    await sameCall(me);

    // The invite in Bea's message (a link that would open a new tab): its page in place, then
    // Join (a POST redirected to the new server's first channel).
    await me.locator("a.back-link").click();
    await me.waitForURL(new RegExp(`/channels/${denId}/\\d+`));
    await me.locator(`a.rail-server[href="/channels/${g.guildId}"]`).click();
    await me.waitForURL(new RegExp(`/channels/${g.guildId}/\\d+`));
    const tabs = me.context().pages().length;
    await me.locator(`#messages a[href$="/invite/${inviteCode}"]`).click();
    await me.waitForURL(`${app.url}/invite/${inviteCode}`);
    expect(me.context().pages().length).toBe(tabs);
    await me.getByRole("button", { name: "Join" }).click();
    await me.waitForURL(new RegExp(`/channels/${otherGuildId}/\\d+`));
    await me.locator("#composer-input").waitFor();
    await sameCall(me);
    await hearing(me);

    // Back to the call by the dock: its grid, the same connection, both still hear each other.
    await me.locator("#call-dock .call-dock-link").click();
    await me.waitForURL(new RegExp(`/channels/${g.guildId}/${voiceId}`));
    await me.locator(`#voice-grid .voice-tile[data-user-id="${bea.user.id}"]`).waitFor();
    expect(await me.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.pc?.navTag)).toBe("first");
    expect(await me.evaluate(() => (window as unknown as { navMark?: number }).navMark)).toBe(1);
    for (const page of [me, other]) await hearing(page);
    await me.locator("#voice-leave").click();
    await other.locator("#voice-leave").click();
    expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
  }, 180_000);
});
