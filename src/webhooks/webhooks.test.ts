// Incoming webhooks through the real app: made by someone with MANAGE_WEBHOOKS, executed with
// Discord's, Slack's and GitHub's payloads (fixtures shaped after their public docs), shown with
// the webhook's name, avatar and BOT tag; and HTTP interactions signed with Ed25519.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { verifyInteraction } from "../interactions/keys.ts";
import { allowLoopbackPortForTests } from "../net/test-allowance.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { addBot, createBot } from "../testing/bots.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let hook: { id: string; token: string; url: string };
type Msg = { id: string; content: string; webhook_id?: string; author: { id: string; username: string; bot: boolean }; embeds: Record<string, unknown>[] };

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Hooks");
  alice = await createAccount(app, { displayName: "Alice" });
  await g.join(alice);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  hook = await json(await api(app, "POST", `/channels/${g.generalId}/webhooks`, { name: "Deploys" }, g.owner.bearer));
});
afterAll(() => app.close());

// Each webhook may post 5 times per 2 s: tests that post a burst first let the window pass.
const freshWindow = () => Bun.sleep(2100);
const exec = (path: string, body: unknown, headers: Record<string, string> = {}) => app.fetch(`/api/v10/webhooks/${hook.id}/${hook.token}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("incoming webhooks", () => {
  test("only MANAGE_WEBHOOKS makes, lists and deletes webhooks; the URL is shown once", async () => {
    expect(hook.url).toBe(`${app.url}/api/v10/webhooks/${hook.id}/${hook.token}`);
    expect((await api(app, "POST", `/channels/${g.generalId}/webhooks`, { name: "Nope" }, alice.bearer)).status).toBe(403);
    expect((await api(app, "GET", `/channels/${g.generalId}/webhooks`, undefined, alice.bearer)).status).toBe(403);
    const listed = await json<{ id: string; name: string; token?: string }[]>(await api(app, "GET", `/channels/${g.generalId}/webhooks`, undefined, g.owner.bearer));
    expect(listed).toEqual([expect.objectContaining({ id: hook.id, name: "Deploys" })]);
    expect(listed[0]!.token).toBeUndefined();
    for (const body of [{}, { name: "" }, { name: "x".repeat(81) }, { name: 5 }, { name: "ok", extra: 1 }]) expect((await api(app, "POST", `/channels/${g.generalId}/webhooks`, body, g.owner.bearer)).status).toBe(400);
  });

  test("executes Discord's payload: username and avatar_url overrides, embeds, ?wait=true answers the message with webhook_id", async () => {
    const res = await exec("?wait=true", { content: "Deployed v1.2", username: "CI", avatar_url: "https://example.org/ci.png", embeds: [{ title: "Build 42", color: 0x00ff00 }] });
    expect(res.status).toBe(200);
    const m = await json<Msg>(res);
    expect(m).toMatchObject({ content: "Deployed v1.2", webhook_id: hook.id, author: { id: hook.id, username: "CI", bot: true }, embeds: [{ title: "Build 42", color: 0x00ff00 }] });
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: alice.cookie } })).text();
    const article = page.slice(page.indexOf(`id="m-${m.id}"`));
    expect(article).toContain(">CI</strong>");
    expect(article).toContain('class="bot-tag"');
    expect(article).toContain("/previews/image?url=https%3A%2F%2Fexample.org%2Fci.png");
    expect((await exec("", { content: "no wait" })).status).toBe(204);
  });

  test("Slack's payload: text and blocks become the content, attachments become embeds", async () => {
    const res = await exec("/slack?wait=true", {
      text: "New order <https://shop.example/o/1|#1> from *Jane*",
      blocks: [{ type: "header", text: { type: "plain_text", text: "Orders" } }, { type: "section", text: { type: "mrkdwn", text: "Total: ~10~ 8 EUR" } }],
      attachments: [{ color: "good", title: "Order #1", title_link: "https://shop.example/o/1", text: "2 items", fields: [{ title: "Ship to", value: "Lyon", short: true }], footer: "Shop" }],
    });
    expect(res.status).toBe(200);
    const m = await json<Msg>(res);
    expect(m.content).toBe("New order [#1](https://shop.example/o/1) from **Jane**\n**Orders**\nTotal: ~~10~~ 8 EUR");
    expect(m.embeds[0]).toMatchObject({ title: "Order #1", url: "https://shop.example/o/1", description: "2 items", color: 0x2eb67d, fields: [{ name: "Ship to", value: "Lyon", inline: true }], footer: { text: "Shop" } });
    expect((await exec("/slack", { text: "plain" })).status).toBe(200);
    expect((await exec("/slack", { text: 5 })).status).toBe(400);
  });

  test("GitHub's events become embeds: push, pull_request, issues, release; ping and others post nothing", async () => {
    await freshWindow();
    const repository = { full_name: "octo/app", html_url: "https://github.com/octo/app" };
    const sender = { login: "octocat", html_url: "https://github.com/octocat", avatar_url: "https://avatars.githubusercontent.com/u/1" };
    const gh = (event: string, body: unknown) => exec("/github?wait=true", body, { "X-GitHub-Event": event });
    const push = await json<Msg>(await gh("push", { ref: "refs/heads/main", compare: "https://github.com/octo/app/compare/a...b", repository, sender, commits: [{ id: "0123456789abcdef", message: "Fix the bug\n\nlong text", url: "https://github.com/octo/app/commit/0123456", author: { name: "Octo Cat", username: "octocat" } }] }));
    expect(push.embeds[0]).toMatchObject({ title: "[octo/app:main] 1 new commit", url: "https://github.com/octo/app/compare/a...b", author: { name: "octocat" } });
    expect(push.embeds[0]!.description).toBe("[`0123456`](https://github.com/octo/app/commit/0123456) Fix the bug - octocat");
    const pr = await json<Msg>(await gh("pull_request", { action: "closed", pull_request: { number: 7, title: "Add tests", html_url: "https://github.com/octo/app/pull/7", merged: true }, repository, sender }));
    expect(pr.embeds[0]).toMatchObject({ title: "[octo/app] Pull request merged: #7 Add tests", color: 0x6f42c1 });
    const issue = await json<Msg>(await gh("issues", { action: "opened", issue: { number: 3, title: "Crash", html_url: "https://github.com/octo/app/issues/3", body: "It crashes" }, repository, sender }));
    expect(issue.embeds[0]).toMatchObject({ title: "[octo/app] Issue opened: #3 Crash", description: "It crashes" });
    const rel = await json<Msg>(await gh("release", { action: "published", release: { tag_name: "v2.0.0", name: "Two", html_url: "https://github.com/octo/app/releases/v2.0.0" }, repository, sender }));
    expect(rel.embeds[0]!.title).toBe("[octo/app] New release published: Two");
    expect((await gh("ping", { zen: "Keep it simple." })).status).toBe(204);
    expect((await gh("push", { ref: 1 })).status).toBe(400);
    expect((await exec("/github", {}, {})).status).toBe(400);
  });

  test("a wrong token, a deleted webhook and a flood are refused; messages stay after deletion", async () => {
    await freshWindow();
    expect((await app.fetch(`/api/v10/webhooks/${hook.id}/wrong`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"content":"x"}' })).status).toBe(401);
    expect((await exec("", { content: "" })).status).toBe(400);
    expect((await exec("", { content: "x", components: [{ type: 1, components: [{ type: 2, style: 1, label: "a", custom_id: "a" }] }] })).status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await exec("", { content: `flood ${i}` })).status);
    expect(statuses).toContain(429);
    const made = await json<{ id: string; token: string }>(await api(app, "POST", `/channels/${g.generalId}/webhooks`, { name: "Temp" }, g.owner.bearer));
    const sent = await json<Msg>(await app.fetch(`/api/v10/webhooks/${made.id}/${made.token}?wait=true`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"content":"before delete"}' }));
    expect((await api(app, "DELETE", `/webhooks/${made.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await app.fetch(`/api/v10/webhooks/${made.id}/${made.token}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"content":"x"}' })).status).toBe(401);
    expect((await api(app, "GET", `/channels/${g.generalId}/messages/${sent.id}`, undefined, alice.bearer)).status).toBe(200);
  });
});

describe("HTTP interactions", () => {
  test("an endpoint URL is checked with a signed PING; interactions then arrive signed with Ed25519 and the answer is the response", async () => {
    const bot = await createBot(app, g.owner, "Hooked");
    await addBot(app, bot, g.guildId, g.owner, "0");
    let verifyKey = "";
    const seen: { valid: boolean; type: number }[] = [];
    const endpoint = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const body = await req.text();
        const valid = verifyInteraction(verifyKey, req.headers.get("X-Signature-Ed25519") ?? "", req.headers.get("X-Signature-Timestamp") ?? "", body);
        if (!valid) return new Response("bad signature", { status: 401 });
        const d = JSON.parse(body) as { type: number; data?: { name: string } };
        seen.push({ valid, type: d.type });
        return Response.json(d.type === 1 ? { type: 1 } : { type: 4, data: { content: `pong from ${d.data!.name}` } });
      },
    });
    try {
      allowLoopbackPortForTests(app.server.core, endpoint.port!);
      const url = `http://127.0.0.1:${endpoint.port}/interactions`;
      // Before knowing the key the endpoint refuses every request, so the PING check fails.
      expect((await api(app, "PATCH", "/applications/@me", { interactions_endpoint_url: url }, bot.auth)).status).toBe(400);
      verifyKey = (await json<{ verify_key: string }>(await api(app, "PATCH", "/applications/@me", { interactions_endpoint_url: null }, bot.auth))).verify_key;
      expect(verifyKey).toMatch(/^[0-9a-f]{64}$/);
      expect((await api(app, "PATCH", "/applications/@me", { interactions_endpoint_url: url }, bot.auth)).status).toBe(200);
      expect((await api(app, "PATCH", "/applications/@me", { interactions_endpoint_url: "http://169.254.169.254/" }, bot.auth)).status).toBe(400);
      await api(app, "POST", `/applications/${bot.id}/commands`, { name: "hello", description: "Say hello" }, bot.auth);
      const res = await app.fetch(`/channels/${g.generalId}/commands`, { method: "POST", headers: { Origin: app.url, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded", Cookie: alice.cookie }, body: "content=%2Fhello" });
      expect(res.status).toBe(204);
      expect(seen.map((s) => s.type)).toEqual([1, 2]);
      const [last] = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, alice.bearer));
      expect(last).toMatchObject({ content: "pong from hello", author: { id: bot.id } });
    } finally {
      endpoint.stop(true);
    }
  });

  test("command registration refuses bad input and other applications", async () => {
    const bot = await createBot(app, g.owner, "Strict");
    const other = await createBot(app, alice, "Other");
    const post = (body: unknown, who = bot) => api(app, "POST", `/applications/${bot.id}/commands`, body, who.auth);
    for (const body of [{ name: "Bad Name", description: "x" }, { name: "ok" }, { name: "ok", description: "x".repeat(101) }, { name: "ok", description: "d", options: [{ type: 3, name: "a", description: "a" }, { type: 3, name: "b", description: "b", required: true }] }, { name: "ok", description: "d", options: [{ type: 12, name: "a", description: "a" }] }, { name: "ok", description: "d", bogus: 1 }, null, []])
      expect((await post(body)).status).toBe(400);
    expect((await post({ name: "ok", description: "d" }, other)).status).toBe(404);
    expect((await api(app, "GET", `/applications/${bot.id}/guilds/${g.guildId}/commands`, undefined, bot.auth)).status).toBe(403);
    expect((await app.fetch(`/api/v10/interactions/1/nope/callback`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"type":4}' })).status).toBe(404);
  });
});
