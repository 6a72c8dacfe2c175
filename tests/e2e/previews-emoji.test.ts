// Two people in two browsers: a link posted by one gets its preview live in the other; a custom
// emoji uploaded in the server settings is used from the picker in a message and as a reaction.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { makePng } from "../../src/testing/images.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { allowLoopbackPortForTests } from "../../src/net/test-allowance.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { openLive, signedInBrowsers } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let site: ReturnType<typeof Bun.serve>;
let browsers: Browser[] = [];

beforeAll(async () => {
  // A web page for the preview, on a loopback port this test server alone may fetch.
  site = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) =>
      new URL(req.url).pathname === "/pic.png"
        ? new Response(makePng(8, 8) as Uint8Array<ArrayBuffer>, { headers: { "content-type": "image/png" } })
        : new Response(`<html><head><meta property="og:title" content="Fromage du jour"><meta property="og:description" content="Un bon comté"><meta property="og:image" content="/pic.png"></head></html>`, { headers: { "content-type": "text/html" } }),
  });
  app = await createTestApp();
  allowLoopbackPortForTests(app.server.core, site.port!);
  g = await createGuildFixture(app, "Expressions");
  bea = await createAccount(app, { username: "bea_expr", displayName: "Bea" });
  await g.join(bea);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
  site?.stop(true);
}, 60_000);

async function openBoth(): Promise<[Page, Page, string[]]> {
  const { pages, problems } = await openLive(app, browsers, `/channels/${g.guildId}/${g.generalId}`);
  return [pages[0]!, pages[1]!, problems];
}
const message = (page: Page, text: string) => page.locator("#messages article.message:not(.pending)").filter({ hasText: text });

describe("link previews and custom emoji in Chromium", () => {
  test("a link posted in one browser gets its preview live in the other, and the author can remove it", async () => {
    const [owner, other, problems] = await openBoth();
    const box = owner.getByLabel("Message #general");
    await box.fill(`regarde http://127.0.0.1:${site.port}/fromage`);
    await box.press("Enter");
    const card = message(other, "regarde").locator(".embed");
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator(".embed-title").textContent()).toBe("Fromage du jour");
    // The picture comes through the same-origin proxy (the page's CSP allows no other origin).
    expect(await card.locator(".embed-thumbnail").evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBe(8);
    // Only the author (or a moderator) sees the ✕.
    expect(await message(other, "regarde").locator(".embeds-remove button").isVisible()).toBe(false);
    await message(owner, "regarde").locator(".embeds-remove button").click();
    await message(other, "regarde").locator(".embed").waitFor({ state: "detached", timeout: 5000 });
    expect(problems).toEqual([]);
  }, 30_000);

  test("an uploaded emoji is used from the picker in a message and as a reaction", async () => {
    const owner = await browsers[0]!.context.newPage();
    const problems = watchProblems(owner);
    await owner.goto(`${app.url}/guilds/${g.guildId}/settings/emoji`);
    await owner.getByLabel("Name", { exact: true }).fill("fromage");
    await owner.locator("#f-image").setInputFiles({ name: "fromage.png", mimeType: "image/png", buffer: Buffer.from(makePng(48, 48)) });
    await owner.getByRole("button", { name: "Upload emoji" }).click();
    await owner.locator(".emoji-row img[alt=':fromage:']").waitFor();
    await owner.close();

    const [author, other, more] = await openBoth();
    await author.getByRole("button", { name: "Emoji" }).first().click();
    await author.locator(".emoji-search").fill("froma");
    await author.locator(".emoji-option[aria-label=':fromage:']").click();
    const box = author.getByLabel("Message #general");
    expect((await box.inputValue()).trim()).toBe(":fromage:");
    await box.press("End");
    await box.type("miam");
    await box.press("Enter");
    const seen = message(other, "miam").locator("img.custom-emoji[alt=':fromage:']");
    await seen.waitFor({ timeout: 5000 });
    expect(await seen.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0))).toBe(true);

    // Bea reacts to it with the same emoji from the reaction bar's picker.
    const target = message(other, "miam");
    await target.hover();
    await target.locator("[data-emoji-react]").click();
    await other.locator(".emoji-search").fill("fromage");
    await other.locator(".emoji-option[aria-label=':fromage:']").click();
    await message(author, "miam").locator(".reaction img.custom-emoji[alt=':fromage:']").waitFor({ timeout: 5000 });
    expect([...problems, ...more]).toEqual([]);
  }, 60_000);
});
