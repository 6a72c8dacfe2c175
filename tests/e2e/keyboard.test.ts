// A keyboard-only walkthrough: a new member joins through an invite, moves between channels,
// sends, edits, reacts, opens the quick switcher and the shortcut list, never touching the mouse
// (page.goto stands for following the invite link they were sent).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { json } from "../../src/testing/guilds.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { createClientFixture, type ClientFixture } from "./support/client-fixture.ts";
import { signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let f: ClientFixture;
let newcomer: TestAccount;
let browser: Browser;

beforeAll(async () => {
  app = await createTestApp();
  f = await createClientFixture(app);
  newcomer = await createAccount(app, { username: "emile", displayName: "Émile" });
  [browser] = (await signedInBrowsers(app, [newcomer.token])) as [Browser];
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

/** Press Tab until the focused element matches `selector` (a page with a sane tab order gets there). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
}
/** Wait until the address matches (polled: pages also replace their URL in place, which waitForURL trips on). */
async function atUrl(page: Page, pattern: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!new RegExp(pattern).test(new URL(page.url()).pathname)) {
    if (Date.now() > until) throw new Error(`expected ${pattern}, at ${page.url()}`);
    await Bun.sleep(50);
  }
  await page.waitForLoadState("domcontentloaded");
}
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

describe("keyboard-only use of the client", () => {
  test("a new member joins by invite, switches channel, sends, edits, reacts and opens the switcher and the shortcut list without the mouse", async () => {
    const invite = await json<{ code: string }>(await api(app, "POST", `/channels/${f.generalId}/invites`, {}, f.admin.bearer));
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/invite/${invite.code}`);

    // Join: Tab to the join button, Enter.
    await tabTo(page, "form[action^='/invite/'] button[type=submit]");
    await page.keyboard.press("Enter");
    // The server opens on its first text channel.
    await atUrl(page, `/channels/${f.guildId}/\\d+$`);

    // Alt+Down: the next text channel in the sidebar, Alt+Up back.
    const order = await page.$$eval("#channel-list a.channel-link:not([href*='join=1'])", (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    const here = order.indexOf(new URL(page.url()).pathname);
    expect(here).toBeGreaterThanOrEqual(0);
    expect(order).toContain(`/channels/${f.guildId}/${f.otherId}`);
    await page.keyboard.press("Alt+ArrowDown");
    await atUrl(page, `${order[(here + 1) % order.length]}$`);
    await page.keyboard.press("Alt+ArrowUp");
    await atUrl(page, `${order[here]}$`);
    await waitForSockets(app, 1);

    // The skip link leads to the conversation; Tab from there reaches the composer.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("skip-link"))).toBe(true);
    await page.keyboard.press("Enter");
    await tabTo(page, "#composer-input");
    await page.keyboard.type("Salut, je suis Émile");
    await page.keyboard.press("Enter");
    const mine = page.locator("#messages article.message:not(.pending)").filter({ hasText: "Salut, je suis Émile" });
    await mine.waitFor();

    // Up in the empty composer edits the last message.
    await page.keyboard.press("ArrowUp");
    const field = page.locator(".edit-form textarea");
    await field.waitFor();
    await page.keyboard.press("End");
    await page.keyboard.type(" !");
    await page.keyboard.press("Enter");
    await page.locator("#messages article.message").filter({ hasText: "Salut, je suis Émile !" }).locator(".edited").waitFor();

    // Page Up moves into the feed; Tab reaches the message's reactions; Enter reacts.
    await tabTo(page, "#composer-input");
    await page.keyboard.press("PageUp");
    expect(await page.evaluate(() => document.activeElement?.matches("#messages > article.message:last-of-type"))).toBe(true);
    await tabTo(page, "#messages > article.message:last-of-type .reaction.quick:not(.add-reaction)", 30);
    await page.keyboard.press("Enter");
    await mine.locator(".reaction:not(.quick) .reaction-count").waitFor();
    expect(await mine.locator(".reaction:not(.quick) .reaction-count").textContent()).toBe("1");

    // Ctrl+K: the quick switcher, typed into and followed with Enter (to the channel we are not in).
    const target = new URL(page.url()).pathname.endsWith(f.otherId) ? { name: "general", id: f.generalId } : { name: "projets", id: f.otherId };
    await page.keyboard.press("Control+k");
    await page.locator("dialog.switcher[open]").waitFor();
    expect(await focused(page)).toBe("switcher-input");
    await page.keyboard.type(target.name);
    await page.waitForFunction((name) => document.querySelector("#switcher-list li[aria-selected='true']")?.textContent?.includes(name), target.name);
    await page.keyboard.press("Enter");
    await atUrl(page, `/channels/${f.guildId}/${target.id}$`);

    // Ctrl+/: the shortcut list; Escape closes it.
    await page.keyboard.press("Control+/");
    await page.locator("#shortcuts-dialog[open]").waitFor();
    await page.keyboard.press("Escape");
    await page.locator("#shortcuts-dialog[open]").waitFor({ state: "detached" });

    // Leaving a page aborts what it was still fetching (the manifest, a history page): not a fault.
    expect(problems.filter((p) => !p.includes("net::ERR_ABORTED"))).toEqual([]);
    await page.close();
  }, 60_000);

  test("Alt+Shift+Down skips read channels and goes to the next unread one", async () => {
    const third = await json<{ id: string }>(await api(app, "POST", `/guilds/${f.guildId}/channels`, { name: "annonces", type: 0 }, f.admin.bearer));
    const page = await browser.context.newPage();
    // Everything read first, then something new in the last channel only.
    for (const id of [f.generalId, f.otherId, third.id]) {
      await page.goto(`${app.url}/channels/${f.guildId}/${id}`);
      await page.keyboard.press("Escape");
    }
    await page.goto(`${app.url}/channels/${f.guildId}/${f.generalId}`);
    await api(app, "POST", `/channels/${third.id}/messages`, { content: "Nouvelle annonce" }, f.admin.bearer);
    await page.reload();
    await page.keyboard.press("Alt+Shift+ArrowDown");
    await atUrl(page, `/channels/${f.guildId}/${third.id}`);
    await page.close();
  }, 30_000);
});
