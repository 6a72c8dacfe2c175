// Two people in two browsers: one starts a thread from a message and replies in it; the other sees
// the "N replies" summary appear and count up live, opens the thread beside the channel and sees
// the next reply arrive there, while the channel itself stays free of thread replies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Thread Room");
  bea = await createAccount(app, { displayName: "Bea" });
  await g.join(bea);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("threads in Chromium", () => {
  test("a thread started in one browser shows its reply count and its replies live in the other", async () => {
    const [ana, other] = [await browsers[0]!.context.newPage(), await browsers[1]!.context.newPage()];
    const problems = [...watchProblems(ana), ...watchProblems(other)];
    const url = `${app.url}/channels/${g.guildId}/${g.generalId}`;
    const starter = (await (await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "Who is coming to the picnic?" }, g.owner.bearer)).json()) as { id: string };
    await ana.goto(url);
    await other.goto(url);
    await waitForSockets(app, 2);

    // Ana starts a thread from the message: it opens beside the channel, named after the message.
    await ana.locator(`#m-${starter.id}`).getByRole("button", { name: "Create thread" }).click();
    const anaPane = ana.locator("#thread-pane .thread-view");
    await anaPane.getByRole("heading", { name: "Who is coming to the picnic?" }).waitFor({ timeout: 5000 });
    expect(new URL(ana.url()).searchParams.get("thread")).toBe(starter.id);
    await waitForSockets(app, 3);

    // Bea, who only looks at the channel, sees the summary appear, then count Ana's reply.
    const summary = other.locator(`#thread-slot-${starter.id} .thread-summary`);
    await summary.waitFor({ timeout: 5000 });
    const box = anaPane.getByRole("textbox", { name: "Message Who is coming to the picnic?" });
    await box.fill("Me! I'll bring **bread**");
    await box.press("Enter");
    await anaPane.locator("#thread-messages article.message").filter({ hasText: "I'll bring bread" }).waitFor({ timeout: 5000 });
    await other.locator(`#thread-slot-${starter.id} .thread-summary-count[data-count="1"]`).waitFor({ timeout: 5000 });
    expect(await summary.locator(".thread-summary-count").innerText()).toBe("1");
    // The words around the number come from the reader's stylesheet: "1 reply".
    expect(await summary.locator(".thread-summary-count").evaluate((el) => getComputedStyle(el, "::after").content)).toBe('" reply"');
    expect(await other.locator("#messages article.message").filter({ hasText: "I'll bring bread" }).count()).toBe(0);

    // Bea opens the thread: Ana's reply is there, and Ana's next one arrives live.
    await summary.click();
    const beaPane = other.locator("#thread-pane .thread-view");
    await beaPane.locator("#thread-messages article.message").filter({ hasText: "I'll bring bread" }).waitFor({ timeout: 5000 });
    expect(new URL(other.url()).searchParams.get("thread")).toBe(starter.id);
    await waitForSockets(app, 4);
    await box.fill("And cheese");
    await box.press("Enter");
    await beaPane.locator("#thread-messages article.message").filter({ hasText: "And cheese" }).waitFor({ timeout: 5000 });
    await other.locator(`#thread-slot-${starter.id} .thread-summary-count[data-count="2"]`).waitFor({ timeout: 5000 });
    expect(await summary.locator(".thread-summary-count").evaluate((el) => getComputedStyle(el, "::after").content)).toBe('" replies"');
    expect(await other.locator("#messages article.message").filter({ hasText: "And cheese" }).count()).toBe(0);

    // Bea replies from the pane and joins by doing so; closing the pane leaves the channel as it was.
    const beaBox = beaPane.getByRole("textbox", { name: "Message Who is coming to the picnic?" });
    await beaBox.fill("Count me in");
    await beaBox.press("Enter");
    await anaPane.locator("#thread-messages article.message").filter({ hasText: "Count me in" }).waitFor({ timeout: 5000 });
    await beaPane.getByRole("link", { name: "Close" }).click();
    await other.locator("#thread-pane .thread-view").waitFor({ state: "detached", timeout: 5000 });
    expect(new URL(other.url()).searchParams.get("thread")).toBeNull();
    expect(await other.locator(`#thread-slot-${starter.id} .thread-summary-count`).innerText()).toBe("3");
    expect(problems).toEqual([]);
    await ana.close();
    await other.close();
  }, 60_000);

  test("the Threads button lists the channel's threads, and one can be started from there", async () => {
    const page = await browsers[1]!.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await page.getByRole("link", { name: "🧵 Threads" }).click();
    const list = page.locator("#thread-pane .thread-list");
    await list.getByRole("heading", { name: "Active threads" }).waitFor({ timeout: 5000 });
    await list.getByRole("link", { name: /Who is coming to the picnic/ }).waitFor();
    await list.getByLabel("Thread name").fill("Carpool");
    await list.getByRole("button", { name: "Start the thread" }).click();
    await page.locator("#thread-pane .thread-view").getByRole("heading", { name: "Carpool" }).waitFor({ timeout: 5000 });
    // Its auto-archive setting is a select that saves on change.
    await page.getByLabel("Archive after inactivity").selectOption("60");
    await page.locator('#thread-pane select option[value="60"][selected]').waitFor({ state: "attached", timeout: 5000 });
    const threads = (await (await api(app, "GET", `/guilds/${g.guildId}/threads/active`, undefined, bea.bearer)).json()) as { threads: { name: string; thread_metadata: { auto_archive_duration: number } }[] };
    expect(threads.threads.find((t) => t.name === "Carpool")?.thread_metadata.auto_archive_duration).toBe(60);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
