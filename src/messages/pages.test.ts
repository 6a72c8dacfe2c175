// The browser routes of the conversation: editing in place, the pin toggle, history pages for
// scrolling and jumping, the pinned list, mention suggestions and the reader's stylesheet.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { writeSetting } from "../instance/service.ts";
import { PAGE_SIZE } from "./history.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bob: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Pages");
  alice = await createAccount(app, { username: "alice_pages", displayName: "Alice Liddell" });
  bob = await createAccount(app, { username: "bob_pages" });
  await g.join(alice);
  await g.join(bob);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Msg = { id: string; content: string; edited_timestamp: string | null; pinned: boolean };
const send = async (who: TestAccount, content: string, channel = g.generalId) => json<Msg>(await api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer));
const get = (path: string, who: TestAccount, headers: Record<string, string> = {}) => app.fetch(path, { headers: { Cookie: who.cookie, ...headers } });
const fetchMessage = async (id: string, channel = g.generalId) => json<Msg>(await api(app, "GET", `/channels/${channel}/messages/${id}`, undefined, alice.bearer));

describe("editing in place", () => {
  test("the author gets an edit form with the raw text; saving edits, others are refused", async () => {
    const m = await send(alice, "**draft** <b>x</b>");
    const form = await get(`/channels/${g.generalId}/messages/${m.id}/edit`, alice);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('class="edit-form"');
    expect(html).toContain("**draft** &lt;b&gt;x&lt;/b&gt;</textarea>");
    expect((await get(`/channels/${g.generalId}/messages/${m.id}/edit`, bob)).status).toBe(403);
    expect((await postForm(app, `/channels/${g.generalId}/messages/${m.id}/edit`, { content: "final" }, bob.cookie)).status).toBe(403);
    const saved = await app.fetch(`/channels/${g.generalId}/messages/${m.id}/edit`, { method: "POST", headers: { Origin: app.url, Cookie: alice.cookie, "X-Composer": "1", Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" }, body: "content=final" });
    expect(saved.status).toBe(204);
    const after = await fetchMessage(m.id);
    expect(after.content).toBe("final");
    expect(after.edited_timestamp).not.toBeNull();
  });

  test("an empty edit is refused with a message the script can show, and the text is kept", async () => {
    const m = await send(alice, "keep me");
    const res = await app.fetch(`/channels/${g.generalId}/messages/${m.id}/edit`, { method: "POST", headers: { Origin: app.url, Cookie: alice.cookie, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" }, body: "content=%20%20" });
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain("empty");
    expect((await fetchMessage(m.id)).content).toBe("keep me");
  });
});

describe("pins from the page", () => {
  test("the pin button toggles for those with PIN_MESSAGES and the pinned list shows the message", async () => {
    const m = await send(bob, "meeting notes are in the wiki");
    expect((await postForm(app, `/channels/${g.generalId}/messages/${m.id}/pin`, {}, bob.cookie)).status).toBe(403);
    expect((await postForm(app, `/channels/${g.generalId}/messages/${m.id}/pin`, {}, g.owner.cookie)).status).toBe(303);
    expect((await fetchMessage(m.id)).pinned).toBe(true);
    const list = await (await get(`/channels/${g.generalId}/pins`, bob)).text();
    expect(list).toContain("meeting notes are in the wiki");
    expect(list).toContain(`data-jump="${m.id}"`);
    const page = await (await get(`/channels/${g.guildId}/${g.generalId}`, g.owner)).text();
    expect(page).toContain("can-pin");
    expect(await (await get(`/channels/${g.guildId}/${g.generalId}`, bob)).text()).not.toContain("can-pin");
    await postForm(app, `/channels/${g.generalId}/messages/${m.id}/pin`, {}, g.owner.cookie);
    expect((await fetchMessage(m.id)).pinned).toBe(false);
    expect(await (await get(`/channels/${g.generalId}/pins`, bob)).text()).not.toContain("meeting notes are in the wiki");
  });
});

describe("history pages", () => {
  test("a long channel shows the newest page with a marker that loads the older ones in order", async () => {
    const local = await createGuildFixture(app, "Long history");
    const ids: string[] = [];
    for (let i = 0; i < PAGE_SIZE + 10; i++) ids.push((await send(local.owner, `line ${i}`, local.generalId)).id);
    const page = await (await get(`/channels/${local.guildId}/${local.generalId}`, local.owner)).text();
    expect(page).toContain(`line ${PAGE_SIZE + 9}`);
    expect(page).not.toContain(`>line 9<`);
    const firstShown = ids[10]!;
    expect(page).toContain(`/channels/${local.generalId}/history?before=${firstShown}`);
    const older = await (await get(`/channels/${local.generalId}/history?before=${firstShown}`, local.owner)).text();
    const order = [...older.matchAll(/>line (\d+)</g)].map((m) => Number(m[1]));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(older).not.toContain("history-before");
    const newest = await (await get(`/channels/${local.generalId}/history`, local.owner)).text();
    expect([...newest.matchAll(/>line (\d+)</g)].length).toBe(PAGE_SIZE);
    expect(newest).toContain("history-before");
  });

  test("jumping to an old message shows the window around it, highlighted, with newer pages to load", async () => {
    const local = await createGuildFixture(app, "Jumping");
    const ids: string[] = [];
    for (let i = 0; i < PAGE_SIZE * 2; i++) ids.push((await send(local.owner, `entry ${i}`, local.generalId)).id);
    const target = ids[20]!;
    const page = await (await get(`/channels/${local.guildId}/${local.generalId}?around=${target}`, local.owner)).text();
    expect(page).toContain(`data-highlight="${target}"`);
    expect(page).toContain("data-detached");
    expect(page).toContain(">entry 20<");
    expect(page).not.toContain(`>entry ${PAGE_SIZE * 2 - 1}<`);
    const lastShown = [...page.matchAll(/id="m-(\d+)"/g)].at(-1)![1]!;
    const newer = await (await get(`/channels/${local.generalId}/history?after=${lastShown}`, local.owner)).text();
    expect(newer).toContain(`>entry ${ids.indexOf(lastShown) + 1}<`);
    // An unknown or foreign message id falls back to the present instead of failing.
    const fallback = await (await get(`/channels/${local.guildId}/${local.generalId}?around=123`, local.owner)).text();
    expect(fallback).not.toContain("data-highlight");
    expect(fallback).toContain(`>entry ${PAGE_SIZE * 2 - 1}<`);
  });

  test("the page remembers where the reader stopped reading, for the new-messages divider", async () => {
    const first = await send(alice, "seen already");
    await get(`/channels/${g.guildId}/${g.generalId}`, bob);
    await send(alice, "new since");
    const page = await (await get(`/channels/${g.guildId}/${g.generalId}`, bob)).text();
    expect(BigInt(/data-last-read="(\d+)"/.exec(page)![1]!)).toBeGreaterThanOrEqual(BigInt(first.id));
    const again = await (await get(`/channels/${g.guildId}/${g.generalId}`, bob)).text();
    expect(/data-last-read="(\d+)"/.exec(again)![1]).not.toBe(/data-last-read="(\d+)"/.exec(page)![1]);
  });

  test("bad cursors and strangers get clear errors", async () => {
    const outsider = await createAccount(app);
    expect((await get(`/channels/${g.generalId}/history?before=abc`, alice)).status).toBe(400);
    expect((await get(`/channels/${g.generalId}/history?before=1&after=2`, alice)).status).toBe(400);
    expect((await get(`/channels/${g.generalId}/history?before=1`, outsider)).status).toBe(404);
    expect((await get(`/channels/${g.generalId}/pins`, outsider)).status).toBe(404);
    expect((await get(`/channels/x/history`, alice)).status).toBe(404);
  });
});

describe("mention suggestions and highlighting", () => {
  test("@ suggests members by name, nickname or username, mentionable roles, and @everyone only with the permission", async () => {
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "Alchemists", mentionable: true }, g.owner.bearer));
    await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "Alumni secret", mentionable: false }, g.owner.bearer);
    const suggest = async (who: TestAccount, q: string, kind = "user") => json<{ kind: string; id: string; label: string; syntax: string }[]>(await get(`/channels/${g.generalId}/mentionables?kind=${kind}&q=${encodeURIComponent(q)}`, who));
    const forBob = await suggest(bob, "al");
    expect(forBob.find((s) => s.kind === "user")).toMatchObject({ id: alice.user.id, label: "Alice Liddell", syntax: `<@${alice.user.id}>` });
    expect(forBob.find((s) => s.kind === "role")).toMatchObject({ id: role.id, syntax: `<@&${role.id}>` });
    expect(forBob.some((s) => s.label === "Alumni secret")).toBe(false);
    expect((await suggest(bob, "every")).some((s) => s.kind === "everyone")).toBe(false);
    expect((await suggest(g.owner, "every")).find((s) => s.kind === "everyone")?.syntax).toBe("@everyone");
    expect((await suggest(g.owner, "al")).some((s) => s.label === "Alumni secret")).toBe(true);
    expect((await suggest(bob, "alice_p")).map((s) => s.id)).toContain(alice.user.id);
    expect((await suggest(bob, "%")).length).toBe(0);
    const channels = await suggest(bob, "gen", "channel");
    expect(channels[0]).toMatchObject({ kind: "channel", id: g.generalId, syntax: `<#${g.generalId}>` });
    expect((await get(`/channels/${g.generalId}/mentionables?kind=emoji&q=x`, bob)).status).toBe(400);
  });

  test("messages that mention the reader, one of their roles or everyone are highlighted by their stylesheet", async () => {
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "Readers", mentionable: true }, g.owner.bearer));
    await api(app, "PUT", `/guilds/${g.guildId}/members/${bob.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
    const css = await (await get("/me.css", bob)).text();
    expect(css).toContain(`.message[data-mentions~="${bob.user.id}"]`);
    expect(css).toContain(`.message[data-mention-roles~="${role.id}"]`);
    expect(css).toContain(".message.mentions-everyone");
    const m = await send(alice, `hey <@${bob.user.id}> and <@&${role.id}>`);
    const page = await (await get(`/channels/${g.guildId}/${g.generalId}`, bob)).text();
    const at = page.indexOf(`id="m-${m.id}"`);
    const tag = page.slice(page.lastIndexOf("<article", at), page.indexOf(">", at));
    expect(tag).toContain(`data-mentions="${bob.user.id}"`);
    expect(tag).toContain(`data-mention-roles="${role.id}"`);
  });
});
