// Two people in two browsers using the conversation: editing (Up key), replying with a ping,
// reacting, pinning, mention suggestions, scrolling back through history, jumping to a message,
// and catching up after the live connection was lost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { openLive, signedInBrowsers } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Conversation");
  bea = await createAccount(app, { username: "bea_conv", displayName: "Bea" });
  await g.join(bea);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

/** Open the channel in both browsers and wait until both are live. */
async function openBoth(channelId = g.generalId): Promise<[Page, Page, string[]]> {
  const { pages, problems } = await openLive(app, browsers, `/channels/${g.guildId}/${channelId}`);
  return [pages[0]!, pages[1]!, problems];
}
const message = (page: Page, text: string) => page.locator("#messages article.message:not(.pending)").filter({ hasText: text });

describe("the conversation in Chromium", () => {
  test("Up edits your last message in place and the other browser sees the edit live", async () => {
    const [owner, other, problems] = await openBoth();
    const box = owner.getByLabel("Message #general");
    await box.fill("typo in this mesage");
    await box.press("Enter");
    await message(other, "typo in this mesage").waitFor();
    await box.press("ArrowUp");
    const field = owner.locator(".edit-form textarea");
    await field.waitFor();
    expect(await field.inputValue()).toBe("typo in this mesage");
    await field.fill("no typo in this message");
    await field.press("Enter");
    const edited = message(other, "no typo in this message");
    await edited.waitFor({ timeout: 5000 });
    expect(await edited.locator(".edited").count()).toBe(1);
    await message(owner, "no typo in this message").locator(".edited").waitFor();
    expect(await owner.locator(".edit-form").count()).toBe(0);
    // Escape cancels an edit without changing anything.
    await box.press("ArrowUp");
    await owner.locator(".edit-form textarea").waitFor();
    await owner.locator(".edit-form textarea").press("Escape");
    expect(await owner.locator(".edit-form").count()).toBe(0);
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("a reply quotes the original, pings its author (highlighted for them) and jumps to it", async () => {
    const [owner, other, problems] = await openBoth();
    const original = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "who brings the cake?" }, bea.bearer));
    const theirs = message(owner, "who brings the cake?");
    await theirs.waitFor();
    await theirs.hover();
    await theirs.getByRole("button", { name: "Reply" }).click();
    await owner.locator("#reply-bar").getByText("Replying to Bea").waitFor();
    await owner.getByLabel("Message #general").fill("I do!");
    await owner.getByLabel("Message #general").press("Enter");
    const reply = message(other, "I do!");
    await reply.waitFor({ timeout: 5000 });
    expect(await reply.locator(".reply-quote").innerText()).toContain("who brings the cake?");
    // Bea's stylesheet highlights what pings her.
    const background = await reply.evaluate((el) => getComputedStyle(el).boxShadow);
    expect(background).not.toBe("none");
    expect(await owner.locator("#reply-bar").isHidden()).toBe(true);
    await reply.locator(".reply-quote").click();
    await other.locator(`#m-${original.id}.highlight`).waitFor();
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("reactions and pins made in one browser show in the other live", async () => {
    const [owner, other, problems] = await openBoth();
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "vote for friday" }, bea.bearer);
    const mine = message(other, "vote for friday");
    await mine.waitFor();
    const theirs = message(owner, "vote for friday");
    await theirs.hover();
    await theirs.locator(".reaction.quick").first().click();
    await mine.locator(".reaction:not(.quick) .reaction-count").filter({ hasText: "1" }).waitFor({ timeout: 5000 });
    await theirs.hover();
    await theirs.getByRole("button", { name: "Pin message" }).click();
    await mine.locator(".pinned-mark").waitFor({ timeout: 5000 });
    // Bea (no PIN_MESSAGES) has no pin button; the pinned list opens for her and jumps back.
    await mine.hover();
    expect(await mine.getByRole("button", { name: "Pin message" }).isVisible()).toBe(false);
    await other.getByRole("button", { name: /Pinned messages/ }).click();
    await other.locator(".pins-popover").getByText("vote for friday").waitFor();
    await other.locator(".pins-popover a[data-jump]").first().click();
    await other.locator(".pins-popover").waitFor({ state: "detached" });
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("@ suggestions turn a picked name into a mention that the other person sees highlighted", async () => {
    const [owner, other, problems] = await openBoth();
    const box = owner.getByLabel("Message #general");
    await box.pressSequentially("thanks @Be");
    await owner.locator("#mention-suggestions li").filter({ hasText: "@Bea" }).waitFor();
    await box.press("Enter"); // picks the suggestion, does not send
    expect(await box.inputValue()).toBe("thanks @Bea ");
    await box.press("Enter");
    const seen = message(other, "thanks");
    await seen.waitFor({ timeout: 5000 });
    expect(await seen.locator(".mention").innerText()).toBe("@Bea");
    expect(await seen.getAttribute("data-mentions")).toBe(bea.user.id);
    expect(await seen.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe("none");
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("scrolling up loads older messages in order; a jump link opens the past and 'jump to present' returns", async () => {
    const channel = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "archive", type: 0 }, g.owner.bearer));
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await json<{ id: string }>(await api(app, "POST", `/channels/${channel.id}/messages`, { content: `archived line ${i}` }, g.owner.bearer))).id);
    const page = await browsers[1]!.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/channels/${g.guildId}/${channel.id}`);
    expect(await page.locator("#messages article.message").count()).toBe(50);
    // Scroll to the top until the first message of the channel is there.
    for (let i = 0; i < 10 && (await message(page, "archived line 0").count()) === 0; i++) {
      await page.locator("#message-scroll").evaluate((el) => el.scrollTo(0, 0));
      await page.waitForTimeout(300);
    }
    await message(page, "archived line 0").waitFor();
    const order = await page.locator("#messages article.message .message-content").allInnerTexts();
    expect(order).toEqual(Array.from({ length: 120 }, (_, i) => `archived line ${i}`));
    expect(await page.locator("#messages .day-separator").count()).toBe(1);
    expect(await page.locator("#messages article.message.grouped").count()).toBe(119);

    await page.goto(`${app.url}/channels/${g.guildId}/${channel.id}?around=${ids[10]}`);
    await page.locator(`#m-${ids[10]}.highlight`).waitFor();
    expect(await page.locator("#jump-present").isVisible()).toBe(true);
    await page.getByRole("link", { name: "Jump to present" }).click();
    await message(page, "archived line 119").waitFor();
    expect(await page.locator("#messages").getAttribute("data-detached")).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test("slowmode: a second message too soon keeps its text, shows a countdown, and can be sent when it ends", async () => {
    const channel = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "slow", type: 0 }, g.owner.bearer));
    await api(app, "PATCH", `/channels/${channel.id}`, { rate_limit_per_user: 2 }, g.owner.bearer);
    const page = await browsers[1]!.context.newPage();
    await page.goto(`${app.url}/channels/${g.guildId}/${channel.id}`);
    const box = page.getByLabel("Message #slow");
    await box.fill("first");
    await box.press("Enter");
    await message(page, "first").waitFor();
    await box.fill("second");
    await box.press("Enter");
    await page.locator(".composer-error").filter({ hasText: /\(\d s\)/ }).waitFor();
    expect(await box.inputValue()).toBe("second");
    expect(await page.locator("#composer button[type=submit]").isDisabled()).toBe(true);
    await page.locator("#composer button[type=submit]:not([disabled])").waitFor({ timeout: 5000 });
    await box.press("Enter");
    await message(page, "second").waitFor();
    await page.close();
  }, 60_000);

  test("a tab whose connection dropped catches up with what was sent meanwhile", async () => {
    const { pages, problems } = await openLive(app, [browsers[1]!], `/channels/${g.guildId}/${g.generalId}`);
    const page = pages[0]!;
    app.server.hub.closeAll();
    // Sent while the tab is reconnecting: no live frame reaches it.
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "sent during the outage" }, g.owner.bearer);
    await message(page, "sent during the outage").waitFor({ timeout: 10_000 });
    expect(problems.filter((p) => !p.includes("WebSocket"))).toEqual([]);
    await page.close();
  }, 60_000);
});
