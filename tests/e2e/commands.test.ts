// Slash commands in two browsers: "/po" offers /poll, picking it and its options writes the
// command, Enter runs it, and a vote in the other browser updates the counts live in both. An
// application's deferred answer shows "… is thinking" to the invoker until the reply arrives.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { writeSetting } from "../../src/instance/service.ts";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { addBot, createBot } from "../../src/testing/bots.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { type Browser } from "./support/browser.ts";
import { openLive, signedInBrowsers } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Commands");
  bea = await createAccount(app, { username: "bea_cmd", displayName: "Bea" });
  await g.join(bea);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

async function openBoth(): Promise<[Page, Page, string[]]> {
  const { pages, problems } = await openLive(app, browsers, `/channels/${g.guildId}/${g.generalId}`);
  return [pages[0]!, pages[1]!, problems];
}

const suggestions = (page: Page) => page.locator("#command-suggestions li");
const pollButtons = (page: Page, question: string) => page.locator("#messages article.message").filter({ hasText: question }).locator(".component-button");

describe("slash commands in Chromium", () => {
  test("typing /po offers /poll; picking it and its options runs the poll, and a vote in the other browser updates both live", async () => {
    const [owner, other, problems] = await openBoth();
    const box = owner.getByLabel("Message #general");
    await box.click();
    await box.pressSequentially("/po");
    await suggestions(owner).first().waitFor();
    expect(await suggestions(owner).allInnerTexts()).toEqual([expect.stringContaining("/poll")]);
    await box.press("Enter"); // picks the suggestion, does not send
    expect(await box.inputValue()).toBe("/poll ");
    // Its options, required ones marked; Tab picks the first.
    await suggestions(owner).first().waitFor();
    expect((await suggestions(owner).allInnerTexts()).map((s) => s.split(" ")[0])).toEqual(["question:", "choices:"]);
    await box.press("Tab");
    expect(await box.inputValue()).toBe("/poll question:");
    await box.pressSequentially("Lunch where? ");
    await suggestions(owner).first().waitFor();
    expect(await suggestions(owner).allInnerTexts()).toEqual([expect.stringContaining("choices:")]);
    await box.pressSequentially("ch");
    await box.press("Enter");
    expect(await box.inputValue()).toBe("/poll question:Lunch where? choices:");
    await box.pressSequentially("Pizza, Sushi, Tacos");
    expect(await suggestions(owner).count()).toBe(0);
    await box.press("Enter");

    // The poll message, with a button per choice, in both browsers; the command text was not posted.
    await pollButtons(other, "Lunch where?").nth(2).waitFor();
    expect(await pollButtons(other, "Lunch where?").allInnerTexts()).toEqual(["Pizza · 0", "Sushi · 0", "Tacos · 0"]);
    expect(await box.inputValue()).toBe("");
    expect(await owner.locator("#messages article.message").filter({ hasText: "/poll" }).count()).toBe(0);

    await pollButtons(other, "Lunch where?").nth(1).click();
    await owner.locator("#messages article.message .component-button", { hasText: "Sushi · 1" }).waitFor();
    await other.locator("#messages article.message .component-button", { hasText: "Sushi · 1" }).waitFor();
    // Changing the vote moves it; the owner votes too.
    await pollButtons(other, "Lunch where?").nth(0).click();
    await pollButtons(owner, "Lunch where?").nth(0).click();
    await other.locator("#messages article.message .component-button", { hasText: "Pizza · 2" }).waitFor();
    expect(await pollButtons(owner, "Lunch where?").allInnerTexts()).toEqual(["Pizza · 2", "Sushi · 0", "Tacos · 0"]);

    // A bad poll says why and keeps the text; an unknown /word is an ordinary message.
    await box.fill("/poll question:Only one? choices:Yes");
    await box.press("Enter");
    await owner.locator(".composer-error", { hasText: "choices" }).waitFor();
    expect(await box.inputValue()).toBe("/poll question:Only one? choices:Yes");
    await box.fill("/usr/bin is a path");
    await box.press("Enter");
    await other.locator("#messages article.message", { hasText: "/usr/bin is a path" }).waitFor();
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);

  test("an application's deferred answer shows it thinking to the invoker until the reply replaces it", async () => {
    const bot = await createBot(app, g.owner, "Slowpoke");
    await addBot(app, bot, g.guildId, g.owner, String(1n << 11n));
    await api(app, "POST", `/applications/${bot.id}/guilds/${g.guildId}/commands`, { name: "later", description: "Answers later" }, bot.auth);
    // The bot: a raw gateway session that defers, then answers when told to.
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/gateway?v=10&encoding=json`);
    const interactions: { id: string; token: string }[] = [];
    ws.onmessage = async (e) => {
      const f = JSON.parse(String(e.data));
      if (f.t !== "INTERACTION_CREATE") return;
      interactions.push({ id: f.d.id, token: f.d.token });
      await app.fetch(`/api/v10/interactions/${f.d.id}/${f.d.token}/callback`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: 5 }) });
    };
    await new Promise((resolve) => (ws.onopen = resolve));
    ws.send(JSON.stringify({ op: 2, d: { token: bot.token, intents: 1, properties: {} } }));
    const started = Date.now();
    while (!app.server.hub.isOnline(bot.id)) {
      if (Date.now() - started > 5000) throw new Error("bot not online");
      await Bun.sleep(25);
    }
    const [owner, other, problems] = await openBoth();
    const box = owner.getByLabel("Message #general");
    await box.fill("/later");
    await box.press("Enter"); // picks the suggestion
    expect(await box.inputValue()).toBe("/later ");
    await box.press("Enter");
    const thinking = owner.locator("#messages .interaction-thinking", { hasText: "Slowpoke is thinking" });
    await thinking.waitFor();
    expect(await other.locator("#messages .interaction-thinking").count()).toBe(0);
    const it = interactions[0]!;
    await app.fetch(`/api/v10/webhooks/${bot.id}/${it.token}/messages/@original`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ content: "here it is" }) });
    await owner.locator("#messages article.message", { hasText: "here it is" }).waitFor();
    await thinking.waitFor({ state: "detached" });
    await other.locator("#messages article.message", { hasText: "here it is" }).waitFor();
    ws.close();
    expect(problems).toEqual([]);
    await owner.close();
    await other.close();
  }, 60_000);
});
