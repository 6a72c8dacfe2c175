// Moderation in Chromium: a moderator bans a member with "delete their messages from the last hour"
// from the settings page and the messages vanish live in another browser; an AutoMod block shows
// the rule's message to the author under the composer, and their text stays in the box.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../../src/testing/accounts.ts";
import { createTestApp, type TestApp } from "../../src/testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../../src/testing/guilds.ts";
import { writeSetting } from "../../src/instance/service.ts";
import { watchProblems, type Browser } from "./support/browser.ts";
import { signedInBrowsers, waitForSockets } from "./support/people.ts";

let app: TestApp;
let g: GuildFixture;
let bea: TestAccount;
let browsers: Browser[] = [];

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Moderation");
  bea = await createAccount(app, { username: "bea_mod", displayName: "Bea" });
  await g.join(bea);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  browsers = await signedInBrowsers(app, [g.owner.token, bea.token]);
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await app?.close();
}, 60_000);

describe("moderation in Chromium", () => {
  test("an AutoMod block shows the rule's message to the author and keeps what they wrote", async () => {
    const rule = await api(app, "POST", `/guilds/${g.guildId}/auto-moderation/rules`, { name: "no scams", event_type: 1, trigger_type: 1, trigger_metadata: { keyword_filter: ["*scam*"] }, actions: [{ type: 1, metadata: { custom_message: "Scam links are not allowed here." } }], enabled: true }, g.owner.bearer);
    expect(rule.status).toBe(200);
    const page = await browsers[1]!.context.newPage();
    const problems = watchProblems(page);
    const before = app.server.hub.connectionCount;
    await page.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await waitForSockets(app, before + 1);
    const box = page.getByLabel("Message #general");
    await box.fill("best scam ever");
    await box.press("Enter");
    const error = page.locator(".composer-error");
    await error.waitFor({ state: "visible" });
    expect(await error.textContent()).toContain("Scam links are not allowed here.");
    expect(await box.inputValue()).toBe("best scam ever");
    expect(await page.locator("#messages article.message:not(.pending)").filter({ hasText: "best scam ever" }).count()).toBe(0);
    await api(app, "DELETE", `/guilds/${g.guildId}/auto-moderation/rules/${(await json<{ id: string }>(rule)).id}`, undefined, g.owner.bearer);
    // The refused send is the one expected problem (a 400 and the browser's console line about it).
    expect(problems.filter((p) => !p.includes("400") && !p.includes("/channels/"))).toEqual([]);
    await page.close();
  }, 30_000);

  test("a ban with 'delete the last hour' from the settings page removes the member's messages live in another browser", async () => {
    const victim = await createAccount(app, { username: "spammer_e2e" });
    await g.join(victim);
    const posted = [];
    for (const text of ["spam number one", "spam number two"]) posted.push(await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: text }, victim.bearer)));
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "bea stays" }, bea.bearer);

    const watcher = await browsers[1]!.context.newPage();
    const problems = watchProblems(watcher);
    const before = app.server.hub.connectionCount;
    await watcher.goto(`${app.url}/channels/${g.guildId}/${g.generalId}`);
    await waitForSockets(app, before + 1);
    const spam = watcher.locator("#messages article.message").filter({ hasText: "spam number" });
    expect(await spam.count()).toBe(2);

    const mod = await browsers[0]!.context.newPage();
    await mod.goto(`${app.url}/guilds/${g.guildId}/settings/moderation`);
    const row = mod.locator('tr[data-member="spammer_e2e"]');
    await row.getByPlaceholder("Reason").fill("spam");
    await row.getByLabel("Delete their messages from the last").selectOption("3600");
    await row.getByRole("button", { name: "Ban: spammer_e2e" }).click();
    await mod.waitForURL(/saved=1/);

    await spam.first().waitFor({ state: "detached", timeout: 5000 });
    expect(await spam.count()).toBe(0);
    await watcher.locator("#messages article.message").filter({ hasText: "bea stays" }).waitFor();
    const bans = await json<{ user: { id: string }; reason: string }[]>(await api(app, "GET", `/guilds/${g.guildId}/bans`, undefined, g.owner.bearer));
    expect(bans.find((b) => b.user.id === victim.user.id)?.reason).toBe("spam");
    expect(problems).toEqual([]);
    await mod.close();
    await watcher.close();
  }, 30_000);
});
