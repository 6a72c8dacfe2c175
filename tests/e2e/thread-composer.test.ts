// The thread pane's composer offers what the channel's does: attach a file (sent without text)
// and pick an emoji, which goes into the thread's box and not the channel's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { makePng } from "../../src/testing/images.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Thread Files");
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("the thread composer in Chromium", () => {
  test("a file attached in the thread pane is sent there without text, and the emoji picker writes into the thread's box", async () => {
    const starter = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "Photos from the trip" }, g.owner.bearer));
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages/${starter.id}/threads`, { name: "Trip photos" }, g.owner.bearer));
    const page = await browsers[0]!.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await waitForSockets(app, 1);
    await page.locator(`#thread-slot-${starter.id} .thread-summary, #m-${starter.id} .thread-summary`).first().click();
    const pane = page.locator("#thread-pane .thread-view");
    await pane.getByRole("heading", { name: "Trip photos" }).waitFor({ timeout: 5000 });
    await waitForSockets(app, 2);

    // A file from the pane's picker: its own tray shows it, the channel's stays empty.
    await pane.locator("[data-attach-input]").setInputFiles({ name: "beach.png", mimeType: "image/png", buffer: Buffer.from(makePng(120, 80, [30, 140, 220])) });
    await pane.locator(".attachment-item.uploaded").waitFor({ timeout: 10_000 });
    expect(await page.locator("#composer .attachment-item").count()).toBe(0);
    await pane.locator(".attachment-item input[data-alt]").fill("The beach at noon");
    const box = pane.getByRole("textbox", { name: "Message Trip photos" });
    await box.press("Enter");
    const sent = pane.locator("#thread-messages article.message img[alt='The beach at noon']");
    await sent.waitFor({ timeout: 5000 });
    expect(await pane.locator(".attachment-item").count()).toBe(0);
    const stored = await json<{ content: string; attachments: { filename: string; description: string }[] }[]>(await api(app, "GET", `/channels/${thread.id}/messages?limit=1`, undefined, g.owner.bearer));
    expect(stored[0]).toMatchObject({ content: "", attachments: [{ filename: "beach.png", description: "The beach at noon" }] });
    expect(await page.locator("#messages article.message img[alt='The beach at noon']").count()).toBe(0);

    // The pane's 😊 opens the page's picker; the pick lands in the thread's box, not the channel's.
    await pane.getByRole("button", { name: "Emoji" }).click();
    await page.locator(".emoji-search").fill("sunglasses");
    await page.locator(".emoji-option[aria-label=':sunglasses:']").click();
    expect((await box.inputValue()).trim()).toBe("😎");
    expect(await page.getByLabel("Message #general").inputValue()).toBe("");
    await box.press("End");
    await box.type("sunny");
    await box.press("Enter");
    await pane.locator("#thread-messages article.message").filter({ hasText: "😎 sunny" }).waitFor({ timeout: 5000 });
    expect(problems).toEqual([]);
  }, 60_000);
});
