// Error pages speak the reader's language like every other page.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, postForm } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("error pages", () => {
  test("a 404 page is French for a French browser and for a user who chose French, English otherwise", async () => {
    const fr = await (await app.fetch("/invite/nope-nope", { headers: { "Accept-Language": "fr-FR,fr;q=0.9" } })).text();
    const en = await (await app.fetch("/definitely/not/here", { headers: { "Accept-Language": "en" } })).text();
    expect(en).toContain("Page not found");
    const notFound = await app.fetch("/definitely/not/here", { headers: { "Accept-Language": "fr" } });
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toContain("Page introuvable");
    expect(fr).toContain('lang="fr"');

    const acct = await createAccount(app);
    expect((await postForm(app, "/settings/appearance", { locale: "fr" }, acct.cookie)).status).toBe(303);
    const mine = await (await app.fetch("/definitely/not/here", { headers: { Cookie: acct.cookie, "Accept-Language": "en" } })).text();
    expect(mine).toContain("Page introuvable");
  });
});
