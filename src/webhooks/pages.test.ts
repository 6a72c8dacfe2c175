// Channel settings → Webhooks through the real app: the URL is shown once on creation and on a
// new URL, works at once, stops when replaced or deleted; only MANAGE_WEBHOOKS opens the page.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Hook Pages");
  alice = await createAccount(app);
  await g.join(alice);
});
afterAll(() => app.close());

const urlIn = (html: string) => /value="(http[^"]+\/api\/v10\/webhooks\/\d+\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
const exec = (url: string, content: string) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ content }) });

describe("the webhooks page", () => {
  test("creates a webhook showing its URL once, makes a new URL that stops the old one, and deletes it", async () => {
    const page = `/channels/${g.generalId}/webhooks`;
    expect((await app.fetch(page, { headers: { Cookie: alice.cookie } })).status).toBe(403);
    expect((await postForm(app, page, { name: "Sneaky" }, alice.cookie)).status).toBe(403);
    const empty = await (await app.fetch(page, { headers: { Cookie: g.owner.cookie } })).text();
    expect(empty).toContain('src="/static/js/webhooks.js');
    expect(empty).toContain(`href="/channels/${g.generalId}/webhooks" aria-current="page"`);

    for (const name of ["", "x".repeat(81)]) {
      const bad = await postForm(app, page, { name }, g.owner.cookie);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain("field-error");
    }
    const created = await postForm(app, page, { name: "Deploys" }, g.owner.cookie);
    expect(created.status).toBe(201);
    const url = urlIn(await created.text())!;
    expect(url).toBeDefined();
    expect((await exec(url, "from the page")).status).toBe(204);
    const listed = await (await app.fetch(page, { headers: { Cookie: g.owner.cookie } })).text();
    expect(listed).toContain("Deploys");
    expect(listed).not.toContain(url.split("/").pop()!);

    const id = url.split("/").at(-2)!;
    const renewed = urlIn(await (await postForm(app, `${page}/${id}/token`, {}, g.owner.cookie)).text())!;
    expect(renewed).not.toBe(url);
    expect((await exec(url, "old url")).status).toBe(401);
    expect((await exec(renewed, "new url")).status).toBe(204);

    expect((await postForm(app, `${page}/${id}/delete`, {}, alice.cookie)).status).toBe(403);
    expect((await postForm(app, `${page}/not-an-id/delete`, {}, g.owner.cookie)).status).toBe(404);
    expect((await postForm(app, `${page}/${id}/delete`, {}, g.owner.cookie)).status).toBe(303);
    expect((await exec(renewed, "gone")).status).toBe(401);
    expect(await (await app.fetch(page, { headers: { Cookie: g.owner.cookie } })).text()).not.toContain("Deploys");
  });
});
