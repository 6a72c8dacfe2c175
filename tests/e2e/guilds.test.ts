// Servers in real Chromium: an owner builds a server with a private channel, people join through
// an invite, a role opens the private channel, and direct messages (1:1 and group) are opened.
// Everything goes through the server-rendered pages exactly as a person would use them.
// The three tests are one story: each builds on what the previous one made.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Locator, Page } from "playwright-core";
import { createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { launchBrowser, watchProblems, type Browser } from "./support/browser.ts";

// Three Chromiums and many page loads: well over the 5 s default on a busy machine (hooks too).
const TIMEOUT = 60_000;

let app: TestApp;
const browsers: Browser[] = [];
let owner: TestAccount, second: TestAccount, third: TestAccount;
let ownerPage: Page, secondPage: Page, thirdPage: Page;
const problems: Record<string, string[]> = {};
// What the story has made so far.
let guildId = "", generalId = "", staffRoomId = "", inviteUrl = "";

/** A browser of its own (its own cookie jar) signed in as `acct`, with one watched page. */
async function signedIn(acct: TestAccount, name: string): Promise<Page> {
  const b = await launchBrowser();
  browsers.push(b);
  await b.context.addCookies([{ name: "pokynano_session", value: acct.token, url: app.url }]);
  const page = await b.context.newPage();
  problems[name] = watchProblems(page);
  return page;
}

const path = (page: Page) => new URL(page.url()).pathname;

async function visible(locator: Locator): Promise<boolean> {
  await locator.first().waitFor({ state: "visible", timeout: 5_000 });
  return locator.first().isVisible();
}

/** The names of the channels in the server sidebar, in order. */
const sidebarChannels = (page: Page) => page.getByRole("complementary", { name: "Channels" }).locator("a.channel-link .channel-name").allInnerTexts();

/** Joins the server through the invite page and lands on its first channel. */
async function join(page: Page): Promise<void> {
  await page.goto(inviteUrl);
  expect(await visible(page.getByRole("heading", { name: "Harbour Crew", level: 1 }))).toBe(true);
  await page.getByRole("button", { name: "Join the server" }).click();
  await page.waitForURL(`${app.url}/channels/${guildId}/${generalId}`);
}

beforeAll(async () => {
  app = await createTestApp();
  owner = await createAccount(app, { username: "captain", displayName: "Captain Nemo", admin: true });
  second = await createAccount(app, { username: "bosun", displayName: "Bosun Bea" });
  third = await createAccount(app, { username: "cook", displayName: "Cook Cyril" });
  [ownerPage, secondPage, thirdPage] = await Promise.all([signedIn(owner, "owner"), signedIn(second, "second"), signedIn(third, "third")]);
}, TIMEOUT);
afterAll(async () => {
  // Browsers first: their keep-alive connections would hold the server's stop up.
  await Promise.all(browsers.splice(0).map((b) => b.close()));
  await app?.close();
}, TIMEOUT);

describe("servers, private channels, invites and direct messages in Chromium", () => {
  test("an owner creates a server, a Staff category and a private #staff-room for Moderators, and sees it in the sidebar", async () => {
    const page = ownerPage;
    await page.goto(`${app.url}/`);
    await page.getByRole("navigation", { name: "Servers" }).getByRole("link", { name: "Create a server" }).click();
    await page.waitForURL(`${app.url}/guilds/new`);
    await page.getByLabel("Server name").fill("Harbour Crew");
    await page.getByLabel("Description (optional)").fill("Everyone on deck");
    await page.getByRole("button", { name: "Create a server" }).click();
    await page.waitForURL(/\/channels\/\d+\/\d+$/);
    [, , guildId, generalId] = path(page).split("/") as [string, string, string, string];
    expect(await sidebarChannels(page)).toEqual(["general", "General"]);
    const sidebar = page.getByRole("complementary", { name: "Channels" });
    expect(await sidebar.locator("details.category .category-name").allTextContents()).toEqual(["Text Channels", "Voice Channels"]);
    expect(await page.getByRole("navigation", { name: "Servers" }).getByRole("link", { name: "Harbour Crew" }).getAttribute("aria-current")).toBe("page");

    // The role first, so the channel can be opened to it.
    await sidebar.getByRole("link", { name: "Server settings" }).click();
    await page.waitForURL(`${app.url}/guilds/${guildId}/settings`);
    await page.getByRole("link", { name: "Roles", exact: true }).click();
    await page.waitForURL(`${app.url}/guilds/${guildId}/settings/roles`);
    await page.getByLabel("Role name").fill("Moderators");
    await page.getByRole("button", { name: "Create role" }).click();
    await page.waitForURL(new RegExp(`/guilds/${guildId}/roles/\\d+$`));
    expect(await page.getByRole("heading", { name: "Moderators", level: 1 }).isVisible()).toBe(true);

    // A category, then a text channel inside it from the category's "+".
    await page.goto(`${app.url}/channels/${guildId}/${generalId}`);
    await sidebar.getByRole("link", { name: "Create channel" }).click();
    await page.waitForURL(`${app.url}/guilds/${guildId}/channels/new`);
    await page.getByRole("group", { name: "Channel type" }).getByLabel("Category").check();
    await page.getByLabel("Channel name").fill("Staff");
    await page.getByRole("button", { name: "Create channel" }).click();
    await page.waitForURL(`${app.url}/channels/${guildId}/${generalId}`);
    expect(await sidebar.locator("details.category .category-name").allTextContents()).toContain("Staff");

    await sidebar.getByRole("link", { name: "Create a channel in Staff" }).click();
    await page.waitForURL(new RegExp(`/guilds/${guildId}/channels/new\\?parent=\\d+$`));
    expect(await page.getByLabel("Category").locator("option:checked").innerText()).toBe("Staff");
    await page.getByLabel("Channel name").fill("staff room");
    await page.getByRole("button", { name: "Create channel" }).click();
    await page.waitForURL(new RegExp(`/channels/${guildId}/\\d+$`));
    staffRoomId = path(page).split("/")[3]!;
    expect(staffRoomId).not.toBe(generalId);
    expect(await page.getByRole("main").getByRole("heading", { level: 1 }).innerText()).toBe("#staff-room");

    // Private: @everyone may not view it, Moderators may.
    await sidebar.getByRole("link", { name: "Channel settings: staff-room" }).click();
    await page.waitForURL(`${app.url}/channels/${staffRoomId}/settings`);
    await page.getByRole("link", { name: "Permissions", exact: true }).click();
    await page.waitForURL(`${app.url}/channels/${staffRoomId}/permissions`);
    await page.getByRole("link", { name: "@everyone" }).click();
    await page.getByRole("group", { name: "View channels" }).getByLabel("Deny").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(`${app.url}/channels/${staffRoomId}/permissions?target=${guildId}&saved=1`);
    expect(await page.getByRole("group", { name: "View channels" }).getByLabel("Deny").isChecked()).toBe(true);

    await page.getByLabel("Add a role or member").selectOption({ label: "@Moderators" });
    await page.getByRole("button", { name: "Add a role or member" }).click();
    await page.waitForURL(new RegExp(`/channels/${staffRoomId}/permissions\\?target=\\d+$`));
    expect(await page.getByRole("heading", { name: "Permissions for @Moderators" }).isVisible()).toBe(true);
    await page.getByRole("group", { name: "View channels" }).getByLabel("Allow").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/saved=1$/);
    expect(await page.getByRole("group", { name: "View channels" }).getByLabel("Allow").isChecked()).toBe(true);
    expect(await page.getByRole("navigation", { name: "Permissions", exact: true }).getByRole("link").allInnerTexts()).toEqual(expect.arrayContaining(["@everyone", "@Moderators"]));

    // The owner sees everything.
    await page.goto(`${app.url}/channels/${guildId}`);
    await page.waitForURL(`${app.url}/channels/${guildId}/${generalId}`);
    expect(await sidebarChannels(page)).toEqual(["general", "General", "staff-room"]);
    const staff = sidebar.locator("details.category").filter({ has: page.locator(".category-name", { hasText: /^Staff$/ }) });
    expect(await staff.locator(".channel-name").allTextContents()).toEqual(["staff-room"]);
    expect(problems.owner).toEqual([]);
  }, TIMEOUT);

  test("a member who joins by invite cannot see #staff-room until the owner gives them Moderators", async () => {
    // The invite, from #general.
    await ownerPage.goto(`${app.url}/channels/${guildId}/${generalId}`);
    await ownerPage.getByRole("complementary", { name: "Channels" }).getByRole("link", { name: "Invite people" }).click();
    await ownerPage.waitForURL(`${app.url}/channels/${generalId}/invite`);
    await ownerPage.getByLabel("Expire after").selectOption({ label: "1 day" });
    await ownerPage.getByLabel("Max uses (0 = no limit)").fill("5");
    await ownerPage.getByRole("button", { name: "Create invite" }).click();
    inviteUrl = (await ownerPage.locator('[data-testid="invite-link"]').innerText()).trim();
    expect(inviteUrl).toMatch(new RegExp(`^${app.url}/invite/[\\w-]+$`));

    const page = secondPage;
    await join(page);
    expect(await sidebarChannels(page)).toEqual(["general", "General"]);
    expect(await page.getByRole("navigation", { name: "Servers" }).getByRole("link", { name: "Harbour Crew" }).isVisible()).toBe(true);
    const res = await page.goto(`${app.url}/channels/${guildId}/${staffRoomId}`);
    expect(res?.status()).toBe(404);
    // That 404 is the point, and Chromium logs it as a console error too: exactly those two.
    expect(problems.second!.splice(0).toSorted()).toEqual([`HTTP 404: ${app.url}/channels/${guildId}/${staffRoomId}`, "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"].toSorted());

    // The owner gives the role from its page.
    await ownerPage.goto(`${app.url}/guilds/${guildId}/settings/roles`);
    await ownerPage.locator('tr[data-role="Moderators"]').getByRole("link", { name: "Edit" }).click();
    await ownerPage.waitForURL(new RegExp(`/guilds/${guildId}/roles/\\d+$`));
    await ownerPage.getByLabel("Give role").selectOption({ label: "Bosun Bea" });
    await ownerPage.getByRole("button", { name: "Give role" }).click();
    await ownerPage.waitForURL(/saved=1$/);
    const holders = ownerPage.getByRole("region", { name: "Members with this role" }).locator(".member-row");
    expect(await holders.allInnerTexts()).toEqual([expect.stringContaining("Bosun Bea")]);

    await page.goto(`${app.url}/channels/${guildId}/${generalId}`);
    expect(await sidebarChannels(page)).toEqual(["general", "General", "staff-room"]);
    await page.getByRole("complementary", { name: "Channels" }).getByRole("link", { name: "staff-room" }).click();
    await page.waitForURL(`${app.url}/channels/${guildId}/${staffRoomId}`);
    expect(await page.getByRole("main").getByText("This is the start of #staff-room.").isVisible()).toBe(true);
    expect(problems.owner).toEqual([]);
    expect(problems.second).toEqual([]);
  }, TIMEOUT);

  test("the owner messages a member from their card, then opens a group with two members from New message", async () => {
    const page = ownerPage;
    await page.goto(`${app.url}/channels/${guildId}/${generalId}`);
    await page.getByRole("complementary", { name: "Members" }).getByRole("link", { name: "Bosun Bea" }).click();
    const card = page.getByRole("article", { name: "Bosun Bea" });
    expect(await visible(card)).toBe(true);
    await card.getByRole("button", { name: "Message" }).click();
    await page.waitForURL(/\/channels\/@me\/\d+$/);
    const dmPath = path(page);
    expect(await page.getByRole("main").getByRole("heading", { level: 1 }).innerText()).toBe("Bosun Bea");
    expect(await page.getByText("This is the start of your conversation with Bosun Bea.").isVisible()).toBe(true);

    // Both see the conversation in their home sidebar, under the other's name.
    await page.goto(`${app.url}/`);
    const ownerDms = page.getByRole("navigation", { name: "Direct messages" });
    expect(await ownerDms.getByRole("link", { name: "Bosun Bea" }).getAttribute("href")).toBe(dmPath);
    await secondPage.goto(`${app.url}/`);
    await secondPage.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name: "Captain Nemo" }).click();
    await secondPage.waitForURL(`${app.url}${dmPath}`);
    expect(await secondPage.getByText("This is the start of your conversation with Captain Nemo.").isVisible()).toBe(true);

    // A third person joins by the same invite; the owner starts a group with both.
    await join(thirdPage);
    await ownerDms.getByRole("link", { name: "New message" }).click();
    await page.waitForURL(`${app.url}/dm/new`);
    await page.getByLabel("Search people you share a server with").fill("o");
    await page.getByRole("button", { name: "Search users" }).click();
    await page.waitForURL(`${app.url}/dm/new?q=o`);
    await page.getByRole("checkbox", { name: /Bosun Bea/ }).check();
    await page.getByRole("checkbox", { name: /Cook Cyril/ }).check();
    await page.getByLabel("Group name (optional)").fill("Galley");
    await page.getByRole("button", { name: "Open conversation" }).click();
    await page.waitForURL(/\/channels\/@me\/\d+$/);
    expect(path(page)).not.toBe(dmPath);
    expect(await page.getByRole("main").getByRole("heading", { level: 1 }).innerText()).toBe("Galley");

    const people = page.getByRole("complementary", { name: "Members" }).locator(".group-panel .member-row > span:not(.avatar)");
    expect((await people.allInnerTexts()).toSorted()).toEqual(["Bosun Bea", "Captain Nemo", "Cook Cyril"]);
    expect(await page.getByRole("heading", { name: "People" }).isVisible()).toBe(true);
    expect(await page.getByLabel("Add people (Username)").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Remove: bosun" }).isVisible()).toBe(true);

    // The third person finds the group on their home screen.
    await thirdPage.goto(`${app.url}/`);
    expect(await thirdPage.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name: "Galley" }).getAttribute("href")).toBe(path(page));
    expect(problems.owner).toEqual([]);
    expect(problems.second).toEqual([]);
    expect(problems.third).toEqual([]);
  }, TIMEOUT);
});
