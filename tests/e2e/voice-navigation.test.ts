// A call survives navigation inside the app: two people in a voice channel go and read and write
// in a text channel (links followed in place), the call goes on (audio keeps arriving, the dock
// shows, the sidebars still list both in voice), a message sent there arrives live, going back
// shows the call's grid without joining again, and the dock's Leave leaves.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { launchBrowser, MEDIA_FLAGS, watchProblems, type Browser } from "./support/browser.ts";
import { eventually as waitFor, hearing as hearingOn, type VoiceWindow } from "./support/call.ts";

const launchMediaBrowser = () => launchBrowser(MEDIA_FLAGS);

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let voiceId: string;
let browsers: Browser[] = [];
const debugInfo: string[] = [];

beforeAll(async () => {
  app = await createTestApp({ voice: { ports: null, listenIp: null, publicIp: null, stunUrls: [], turnUrl: null, turnSecret: null } });
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  g = await createGuildFixture(app, "Voice nav");
  bea = await createAccount(app, { username: "bea_nav", displayName: "Bea" });
  await g.join(bea);
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/channels`, undefined, g.owner.bearer));
  voiceId = channels.find((c) => c.type === 2)!.id;
  browsers = await Promise.all([launchMediaBrowser(), launchMediaBrowser()]);
  await browsers[0]!.context.addCookies([{ name: "pokynano_session", value: g.owner.token, url: app.url }]);
  await browsers[1]!.context.addCookies([{ name: "pokynano_session", value: bea.token, url: app.url }]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

const eventually = <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000) => waitFor(read, ok, ms, debugInfo);
const hearing = (page: Page) => hearingOn(page, debugInfo);

const inVoice = (page: Page) => page.locator(`#voice-members-${voiceId} li`).count();

describe("a call survives navigation in the app", () => {
  test("two people in a call read and write in a text channel, come back to the grid without rejoining, and leave from the dock", async () => {
    const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
    const problems = [...watchProblems(owner), ...watchProblems(other)];
    for (const p of [owner, other]) p.on("console", (m) => debugInfo.push(m.text()));

    await owner.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await owner.locator(`a.channel-link[href*="${voiceId}"]`).click();
    await other.goto(`${app.url}/channels/${g.guildId}/${voiceId}?join=1`);
    for (const page of [owner, other]) await hearing(page);
    // No dock on the call's own page: the panel has the controls.
    expect(await owner.locator("#call-dock").isVisible()).toBe(false);
    // Each tab: its page's live socket and its voice socket.
    await eventually(async () => app.server.hub.connectionCount, (n) => n === 4);
    // Mark this tab's peer connection and page: a rejoin or a reload would lose the marks.
    for (const page of [owner, other]) {
      await page.evaluate(() => {
        (window as unknown as VoiceWindow).pokynanoVoice.pc!.navTag = "first";
        (window as unknown as { navMark?: number }).navMark = 1;
      });
    }

    // Both go to the text channel by its sidebar link.
    for (const page of [owner, other]) {
      await page.locator(`#channel-list a.channel-link[href$="/${g.generalId}"]`).click();
      await page.waitForURL(`${app.url}/channels/${g.guildId}/${g.generalId}`);
      await page.locator("#composer-input").waitFor();
      expect(await page.locator("#voice-panel").count()).toBe(0);
      await page.locator("#call-dock").waitFor({ state: "visible" });
      expect(await page.locator("#call-dock .call-dock-link").getAttribute("href")).toBe(`/channels/${g.guildId}/${voiceId}`);
      expect(await page.evaluate(() => (window as unknown as { navMark?: number }).navMark)).toBe(1);
      expect(await page.title()).toContain("#general");
    }
    // The call goes on while they browse, and each sidebar still lists both in voice.
    for (const page of [owner, other]) {
      await hearing(page);
      await eventually(() => inVoice(page), (n) => n === 2);
    }

    // The old pages' live sockets were closed, the new pages' opened: still two per tab.
    await eventually(async () => app.server.hub.connectionCount, (n) => n === 4);
    // A message written there arrives live on the other side (the new page's live socket).
    await other.waitForFunction(() => document.querySelector(".live-connection[data-htmx-powered]") !== null);
    await Bun.sleep(300);
    await owner.locator("#composer-input").fill("Still in the call while I write");
    await owner.locator("#composer-input").press("Enter");
    await other.locator("#messages article.message", { hasText: "Still in the call while I write" }).waitFor({ timeout: 10_000 });

    // Back to the voice channel: the grid of the same call, not a new join.
    await owner.goBack();
    await owner.waitForURL(new RegExp(`/channels/${g.guildId}/${voiceId}`));
    await owner.locator("#voice-panel").waitFor();
    await owner.locator(`#voice-grid .voice-tile[data-user-id="${bea.user.id}"]`).waitFor();
    expect(await owner.locator("#voice-leave").isVisible()).toBe(true);
    expect(await owner.locator("#voice-join").isVisible()).toBe(false);
    expect(await owner.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.pc?.navTag)).toBe("first");
    expect(await owner.locator("#call-dock").isVisible()).toBe(false);
    await hearing(owner);
    // Back once more: the page the call was joined from (joining happened in place too).
    await owner.goBack();
    await owner.waitForURL(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await owner.locator("#composer-input").waitFor();
    await owner.locator("#call-dock").waitFor({ state: "visible" });
    expect(await owner.evaluate(() => (window as unknown as { navMark?: number }).navMark)).toBe(1);
    await hearing(owner);

    // Leave from the dock: the other's sidebar stops listing them, the dock goes.
    await other.locator('#call-dock button[data-dock="leave"]').click();
    await eventually(() => inVoice(owner), (n) => n === 1);
    await other.locator("#call-dock").waitFor({ state: "hidden" });
    expect(await other.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.pc)).toBeNull();

    // Out of the call, links are ordinary navigations again.
    await other.locator(`#channel-list a.channel-link[href$="/${g.generalId}"]`).click();
    await other.waitForFunction(() => (window as unknown as { navMark?: number }).navMark === undefined && document.readyState === "complete");
    expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
  }, 120_000);

  test("a DM call goes on while one of them opens a server, and the dock's link brings back its grid", async () => {
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: bea.user.id }, g.owner.bearer));
    const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
    const problems = [...watchProblems(owner), ...watchProblems(other)];
    for (const p of [owner, other]) p.on("console", (m) => debugInfo.push(m.text()));
    for (const page of [owner, other]) await page.goto(`${app.url}/channels/@me/${dm.id}?call=1&join=1`);
    for (const page of [owner, other]) await hearing(page);
    await owner.evaluate(() => {
      (window as unknown as VoiceWindow).pokynanoVoice.pc!.navTag = "dm";
    });

    // The server's icon on the rail: its first text channel (a redirect), shown in place.
    await owner.locator(`a.rail-server[href="/channels/${g.guildId}"]`).click();
    await owner.waitForURL(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await owner.locator("#call-dock").waitFor({ state: "visible" });
    expect(await owner.locator("#call-dock .call-dock-link").getAttribute("href")).toBe(`/channels/@me/${dm.id}?call=1`);
    await hearing(owner);
    await hearing(other);
    // Mute from the dock: pressed there, and the panel agrees when back.
    await owner.locator('#call-dock button[data-dock="mute"]').click();
    expect(await owner.locator('#call-dock button[data-dock="mute"]').getAttribute("aria-pressed")).toBe("true");

    // Settings (another layout, other scripts) and home, still in place.
    await owner.locator('a[href="/settings/profile"]').first().click();
    await owner.waitForURL(`${app.url}/settings/profile`);
    await owner.locator("#call-dock").waitFor({ state: "visible" });
    await owner.locator("a.back-link").click();
    await owner.waitForURL(`${app.url}/`);
    await owner.locator("#call-dock").waitFor({ state: "visible" });
    await hearing(owner);

    await owner.locator("#call-dock .call-dock-link").click();
    await owner.waitForURL(`${app.url}/channels/@me/${dm.id}?call=1`);
    await owner.locator(`#voice-grid .voice-tile[data-user-id="${bea.user.id}"]`).waitFor();
    expect(await owner.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.pc?.navTag)).toBe("dm");
    expect(await owner.locator("#voice-mute").getAttribute("aria-pressed")).toBe("true");
    expect(await owner.locator("#call-dock").isVisible()).toBe(false);
    await hearing(owner);

    await owner.locator("#voice-leave").click();
    await other.locator("#voice-status").waitFor();
    await eventually(() => owner.evaluate(() => (window as unknown as VoiceWindow).pokynanoVoice.pc === null), (gone) => gone);
    await other.locator("#voice-leave").click();
    expect(problems.filter((p) => !p.includes("favicon"))).toEqual([]);
  }, 120_000);
});
