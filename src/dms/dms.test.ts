// Direct messages: opening, group limits and ownership, blocks, the privacy setting.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let people: TestAccount[];
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Chatters");
  people = [];
  for (let i = 0; i < 11; i++) {
    const a = await createAccount(app);
    await g.join(a);
    people.push(a);
  }
});
afterAll(() => app.close());

const open = (from: TestAccount, to: TestAccount) => api(app, "POST", "/users/@me/channels", { recipient_id: to.user.id }, from.bearer);
const [a, b, c] = [() => people[0]!, () => people[1]!, () => people[2]!];

describe("direct messages", () => {
  test("opening a DM twice gives the same conversation; only its two people can see it", async () => {
    const first = await json<{ id: string; type: number; recipients: { id: string }[] }>(await open(a(), b()));
    expect(first.type).toBe(1);
    expect(first.recipients.map((r) => r.id)).toEqual([b().user.id]);
    expect((await json<{ id: string }>(await open(a(), b()))).id).toBe(first.id);
    expect((await json<{ id: string }>(await open(b(), a()))).id).toBe(first.id);
    expect((await api(app, "GET", `/channels/${first.id}`, undefined, c().bearer)).status).toBe(404);
    expect((await app.fetch(`/channels/@me/${first.id}`, { headers: { Cookie: c().cookie } })).status).toBe(404);
    const page = await (await app.fetch(`/channels/@me/${first.id}`, { headers: { Cookie: b().cookie } })).text();
    expect(page).toContain("This is the start of your conversation with");
    const list = await json<{ id: string }[]>(await api(app, "GET", "/users/@me/channels", undefined, b().bearer));
    expect(list.map((d) => d.id)).toContain(first.id);
  });

  test("you cannot message yourself, a stranger you share no server with, or an unknown id", async () => {
    expect((await open(a(), a())).status).toBe(400);
    const stranger = await createAccount(app);
    const res = await open(a(), stranger);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/does not accept/);
    expect((await api(app, "POST", "/users/@me/channels", { recipient_id: "999999999" }, a().bearer)).status).toBe(404);
    expect((await api(app, "POST", "/users/@me/channels", { recipient_id: { $gt: "" } }, a().bearer)).status).toBe(400);
  });

  test("a blocked user cannot open a DM with the one who blocked them; unblocking restores it", async () => {
    const [x, y] = [people[3]!, people[4]!];
    expect((await api(app, "PUT", `/users/@me/blocks/${y.user.id}`, undefined, x.bearer)).status).toBe(204);
    expect((await open(y, x)).status).toBe(403);
    expect((await open(x, y)).status).toBe(403);
    await api(app, "DELETE", `/users/@me/blocks/${y.user.id}`, undefined, x.bearer);
    expect((await open(y, x)).status).toBe(200);
  });

  test("with DMs from server members turned off, only existing conversations stay open", async () => {
    const [x, y, z] = [people[5]!, people[6]!, people[7]!];
    const existing = await json<{ id: string }>(await open(y, x));
    expect((await postForm(app, "/settings/dm-privacy", {}, x.cookie)).status).toBe(303);
    expect((await open(z, x)).status).toBe(403);
    expect((await json<{ id: string }>(await open(y, x))).id).toBe(existing.id);
    await postForm(app, "/settings/dm-privacy", { allow: "1" }, x.cookie);
    expect((await open(z, x)).status).toBe(200);
  });

  test("a group has at most 10 people; its owner adds and removes, others only leave", async () => {
    const owner = a();
    const tooMany = await api(app, "POST", "/users/@me/channels", { recipients: people.slice(1, 11).map((p) => p.user.id) }, owner.bearer);
    expect(tooMany.status).toBe(400);
    const group = await json<{ id: string; type: number; owner_id: string }>(await api(app, "POST", "/users/@me/channels", { recipients: [b().user.id, c().user.id], name: "Trio" }, owner.bearer));
    expect(group).toMatchObject({ type: 3, owner_id: owner.user.id });
    expect((await api(app, "PUT", `/channels/${group.id}/recipients/${people[8]!.user.id}`, undefined, b().bearer)).status).toBe(403);
    expect((await api(app, "PUT", `/channels/${group.id}/recipients/${people[8]!.user.id}`, undefined, owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/channels/${group.id}`, undefined, people[8]!.bearer)).status).toBe(200);
    expect((await api(app, "DELETE", `/channels/${group.id}/recipients/${people[8]!.user.id}`, undefined, c().bearer)).status).toBe(403);
    expect((await api(app, "DELETE", `/channels/${group.id}/recipients/${people[8]!.user.id}`, undefined, owner.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/channels/${group.id}`, undefined, people[8]!.bearer)).status).toBe(404);
    // The owner leaving hands the group on.
    expect((await api(app, "DELETE", `/channels/${group.id}`, undefined, owner.bearer)).status).toBe(200);
    const after = await json<{ owner_id: string }>(await api(app, "GET", `/channels/${group.id}`, undefined, b().bearer));
    expect([b().user.id, c().user.id]).toContain(after.owner_id);
  });

  test("the new-message page lists people from my servers and opens a conversation", async () => {
    const page = await (await app.fetch(`/dm/new?q=${encodeURIComponent(b().user.username)}`, { headers: { Cookie: a().cookie } })).text();
    expect(page).toContain(`value="${b().user.id}"`);
    expect(page).not.toContain(`value="${c().user.id}"`);
    const res = await postForm(app, "/dm", { user: [b().user.id, c().user.id] }, a().cookie);
    expect(res.headers.get("Location")).toMatch(/^\/channels\/@me\/\d+$/);
    const none = await postForm(app, "/dm", {}, a().cookie);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Choose at least one person.");
  });
});
