// Threads in the browser without JavaScript (links and forms) and the fragments htmx swaps in.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Pages of Threads");
  member = await createAccount(app, { displayName: "Mia" });
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const page = async (path: string, who: TestAccount = member, headers: Record<string, string> = {}) => {
  const res = await app.fetch(path, { headers: { Cookie: who.cookie, ...headers } });
  return { status: res.status, location: res.headers.get("Location"), html: await res.text() };
};
const send = async (who: TestAccount, channelId: string, content: string) => json<{ id: string }>(await api(app, "POST", `/channels/${channelId}/messages`, { content }, who.bearer));

describe("threads without JavaScript", () => {
  test("Create thread on a message opens its thread beside the channel, named after the message", async () => {
    const starter = await send(g.owner, g.generalId, "Let's **plan** the summer trip together, with everyone");
    const channelPage = await page(`/channels/${g.guildId}/${g.generalId}`);
    expect(channelPage.html).toContain(`action="/channels/${g.generalId}/messages/${starter.id}/threads"`);
    expect(channelPage.html).toContain('id="thread-pane"');
    expect(channelPage.html).toContain("Threads</a>");

    const res = await postForm(app, `/channels/${g.generalId}/messages/${starter.id}/threads`, {}, member.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/channels/${g.guildId}/${g.generalId}?thread=${starter.id}`);
    const withThread = await page(res.headers.get("Location")!);
    expect(withThread.status).toBe(200);
    expect(withThread.html).toContain("🧵 Let&#39;s plan the summer trip together, wi…");
    expect(withThread.html).toContain(`hx-ws:connect="/ws?channel=${starter.id}"`);
    expect(withThread.html).toContain(`action="/threads/${starter.id}/messages"`);
    // Pressing it again opens the same thread instead of failing.
    const again = await postForm(app, `/channels/${g.generalId}/messages/${starter.id}/threads`, {}, g.owner.cookie);
    expect(again.headers.get("Location")).toBe(`/channels/${g.guildId}/${g.generalId}?thread=${starter.id}`);
  });

  test("a reply sent from the thread's form lands in the thread, not in the channel, and the summary counts it", async () => {
    const starter = await send(g.owner, g.generalId, "Summary target");
    await postForm(app, `/channels/${g.generalId}/messages/${starter.id}/threads`, {}, g.owner.cookie);
    const res = await postForm(app, `/threads/${starter.id}/messages`, { content: "a reply in the thread" }, member.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/channels/${g.guildId}/${g.generalId}?thread=${starter.id}`);
    const channelPage = await page(`/channels/${g.guildId}/${g.generalId}`);
    const list = channelPage.html.slice(channelPage.html.indexOf('id="messages"'));
    expect(list).not.toContain("a reply in the thread");
    expect(channelPage.html).toMatch(new RegExp(`id="thread-slot-${starter.id}"><a class="thread-summary"[^>]*>.*?<span class="thread-summary-count" data-count="1">1</span>`));
    const threadPage = await page(`/channels/${g.guildId}/${g.generalId}?thread=${starter.id}`);
    expect(threadPage.html).toContain("a reply in the thread");
  });

  test("join, leave, auto-archive and archive are forms that come back to the thread", async () => {
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "Forms" }, g.owner.bearer));
    const back = `/channels/${g.guildId}/${g.generalId}?thread=${thread.id}`;
    const join = await postForm(app, `/threads/${thread.id}/join`, {}, member.cookie);
    expect([join.status, join.headers.get("Location")]).toEqual([303, back]);
    expect((await page(back)).html).toContain("Leave thread");
    await postForm(app, `/threads/${thread.id}/leave`, {}, member.cookie);
    expect((await page(back)).html).toContain("Join thread");
    // Only the owner (or a moderator) sees and uses the settings.
    expect((await page(back)).html).not.toContain('name="auto_archive_duration"');
    expect((await postForm(app, `/threads/${thread.id}/settings`, { auto_archive_duration: "60" }, member.cookie)).status).toBe(403);
    expect((await postForm(app, `/threads/${thread.id}/settings`, { auto_archive_duration: "60" }, g.owner.cookie)).status).toBe(303);
    expect((await page(back, g.owner)).html).toMatch(/<option value="60" selected="">/);
    expect((await postForm(app, `/threads/${thread.id}/settings`, { auto_archive_duration: "61" }, g.owner.cookie)).status).toBe(400);
    await postForm(app, `/threads/${thread.id}/settings`, { archived: "1" }, g.owner.cookie);
    const archived = await page(back);
    expect(archived.html).toContain("This thread is archived. Sending a message reopens it.");
    // The Threads list shows it among the archived ones.
    const list = await page(`/channels/${g.guildId}/${g.generalId}?threads=1`);
    expect(list.html.slice(list.html.indexOf("Archived threads"))).toContain("Forms");
  });

  test("starting a thread from the Threads list, with a name that is too long refused in place", async () => {
    const htmx = { "HX-Request": "true", Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", Cookie: member.cookie };
    const bad = await app.fetch(`/channels/${g.generalId}/threads`, { method: "POST", headers: htmx, body: new URLSearchParams({ name: "n".repeat(101) }) });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("A thread name has 1 to 100 characters.");
    expect(badHtml).not.toContain("<html");
    const res = await postForm(app, `/channels/${g.generalId}/threads`, { name: "From the list" }, member.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/channels/${g.guildId}/${g.generalId}\\?thread=\\d+$`));
  });

  test("htmx gets the pane and the list alone; a plain visit gets the whole page", async () => {
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "Fragment" }, g.owner.bearer));
    const fragment = await page(`/threads/${thread.id}`, member, { "HX-Request": "true" });
    expect(fragment.status).toBe(200);
    expect(fragment.html).not.toContain("<html");
    expect(fragment.html).toContain('id="thread-messages"');
    const plain = await page(`/threads/${thread.id}`);
    expect([plain.status, plain.location]).toEqual([303, `/channels/${g.guildId}/${g.generalId}?thread=${thread.id}`]);
    const list = await page(`/channels/${g.generalId}/threads`, member, { "HX-Request": "true" });
    expect(list.html).toContain("Fragment");
    expect(list.html).toContain("Active threads");
    expect((await page("/threads/none", member, { "HX-Request": "true" })).html).toBe("");
  });

  test("threads of another channel, unknown threads and strangers get a 404", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "elsewhere", type: 0 }, g.owner.bearer));
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${other.id}/threads`, { name: "Elsewhere" }, g.owner.bearer));
    expect((await page(`/channels/${g.guildId}/${g.generalId}?thread=${thread.id}`)).status).toBe(404);
    expect((await page(`/channels/${g.guildId}/${g.generalId}?thread=999999999999`)).status).toBe(404);
    // A thread is not a channel page of its own.
    expect((await page(`/channels/${g.guildId}/${thread.id}`)).status).toBe(404);
    const stranger = await createAccount(app);
    expect((await page(`/threads/${thread.id}`, stranger, { "HX-Request": "true" })).status).toBe(404);
    expect((await postForm(app, `/threads/${thread.id}/messages`, { content: "hi" }, stranger.cookie)).status).toBe(404);
    expect((await postForm(app, `/threads/${thread.id}/join`, {}, stranger.cookie)).status).toBe(404);
    // A form from another site is refused before anything happens.
    const forged = await app.fetch(`/threads/${thread.id}/messages`, { method: "POST", headers: { Origin: "https://evil.example", Cookie: member.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "content=forged" });
    expect(forged.status).toBe(403);
  });

  test("the reply count's words come in the reader's language", async () => {
    const en = await page("/threads/labels.css");
    expect(en.html).toContain('.thread-summary-count::after { content: " replies"; }');
    expect(en.html).toContain('.thread-summary-count[data-count="1"]::after { content: " reply"; }');
    const french = await createAccount(app);
    await app.server.queue.write(({ sqlite }) => sqlite.query("UPDATE users SET locale = 'fr' WHERE id = ?").run(BigInt(french.user.id)));
    const fr = await page("/threads/labels.css", french);
    expect(fr.html).toContain('.thread-summary-count::after { content: " réponses"; }');
    expect(fr.html).toContain('.thread-summary-count[data-count="0"]::after { content: " réponse"; }');
  });
});
