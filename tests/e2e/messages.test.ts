// Two people in two browsers: what one sends, edits and deletes appears live for the other.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { openLive, signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Live Room");
  bea = await createAccount(app, { displayName: "Bea" });
  await g.join(bea);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("live messages in Chromium", () => {
  test("a message sent in one browser appears in the other at once, rendered safely, and disappears when deleted", async () => {
    const [owner, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
    const problems = [...watchProblems(owner), ...watchProblems(other)];
    const url = `${app.url}/channels/${g.guildId}/${g.generalId}`;
    await owner.goto(url);
    await other.goto(url);
    // Both tabs' sockets must be open (and so subscribed) before the send.
    await waitForSockets(app, 2);

    const box = owner.getByLabel("Message #general");
    await box.fill("Salut **tout le monde** <img src=x onerror=alert(1)>");
    await box.press("Enter");
    const seen = other.locator("#messages article.message").filter({ hasText: "Salut tout le monde" });
    await seen.waitFor({ timeout: 5000 });
    expect(await seen.locator(".message-content strong").innerText()).toBe("tout le monde");
    expect(await other.locator("#messages img[src='x']").count()).toBe(0);
    // The sender's pending copy was replaced by the confirmed one.
    await owner.locator("#messages article.message:not(.pending)").filter({ hasText: "Salut" }).waitFor();
    expect(await owner.locator("#messages article.pending").count()).toBe(0);

    // Bea cannot delete the owner's message (no control shown); the owner can.
    expect(await seen.getByRole("button", { name: "Delete message" }).isVisible()).toBe(false);
    const mine = owner.locator("#messages article.message").filter({ hasText: "Salut" });
    await mine.hover(); // message actions show on hover (and keyboard focus)
    await mine.getByRole("button", { name: "Delete message" }).click();
    await seen.waitFor({ state: "detached", timeout: 5000 });
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("a message sent through the API appears live in the browser", async () => {
    const page = (await openLive(app, [browsers[1]!], `/channels/${g.guildId}/${g.generalId}`)).pages[0]!;
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "from a script", nonce: "n-1" }, g.owner.bearer);
    await page.locator("#messages article.message").filter({ hasText: "from a script" }).waitFor({ timeout: 5000 });
  }, 60_000);
});
