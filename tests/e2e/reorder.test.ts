// Dragging channels in the sidebar saves the new order (and category) for everyone.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { json } from "../../src/testing/guilds.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

let app: TestApp;
let browser: Browser;
let owner: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  owner = await createAccount(app, { username: "arranger" });
  browser = await launchBrowser();
  await browser.context.addCookies([{ name: "pokynano_session", value: owner.token, url: app.url }]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const names = async (guildId: string) => (await json<{ name: string; type: number; parent_id: string | null }[]>(await api(app, "GET", `/guilds/${guildId}/channels`, undefined, owner.bearer))).map((c) => c.name);

describe("reordering channels in Chromium", () => {
  test("dragging a channel above another, and into another category, is saved", async () => {
    const guild = await json<{ id: string }>(await api(app, "POST", "/guilds", { name: "Drag Test" }, owner.bearer));
    const channels = await json<{ id: string; name: string; type: number }[]>(await api(app, "GET", `/guilds/${guild.id}/channels`, undefined, owner.bearer));
    const textCategory = channels.find((c) => c.name === "Text Channels")!;
    await api(app, "POST", `/guilds/${guild.id}/channels`, { name: "second", type: 0, parent_id: textCategory.id }, owner.bearer);
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${app.url}/channels/${guild.id}`);
    const sidebar = page.getByRole("complementary", { name: "Channels" });
    const item = (name: string) => sidebar.locator("li[data-kind='channel']").filter({ has: page.getByRole("link", { name, exact: true }) });

    const saved = page.waitForResponse((res) => res.url().endsWith("/channels/order") && res.status() === 204);
    await item("second").dragTo(item("general"), { targetPosition: { x: 20, y: 2 } });
    await saved;
    expect((await names(guild.id)).slice(0, 3)).toEqual(["Text Channels", "second", "general"]);

    const moved = page.waitForResponse((res) => res.url().endsWith("/channels/order") && res.status() === 204);
    await item("general").dragTo(item("General"), { targetPosition: { x: 20, y: 2 } });
    await moved;
    const after = await json<{ name: string; parent_id: string | null }[]>(await api(app, "GET", `/guilds/${guild.id}/channels`, undefined, owner.bearer));
    const voiceCategory = channels.find((c) => c.name === "Voice Channels")!;
    expect(after.find((c) => c.name === "general")!.parent_id).toBe(voiceCategory.id);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
