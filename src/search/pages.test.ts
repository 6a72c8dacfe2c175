// The search box's language through the browser routes: filters by name, dates, highlighting on
// escaped text, suggestions and the quick switcher's list, and who sees what in each.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { Permission } from "../permissions/permissions.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { dateRange, idAt, parseQuery } from "./query.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bob: TestAccount;
let secretId: string;
let dmId: string;

const send = async (who: TestAccount, content: string, channel = g.generalId) => json<{ id: string }>(await api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer));
async function results(who: TestAccount, q: string, scope = g.guildId, extra = ""): Promise<string> {
  const res = await app.fetch(`/search?${new URLSearchParams({ q, scope })}${extra}`, { headers: { Cookie: who.cookie, "HX-Request": "true" } });
  expect(res.status).toBe(200);
  return res.text();
}
const count = (html: string) => Number(/data-total="(\d+)"/.exec(html)?.[1] ?? -1);

beforeAll(async () => {
  app = await createTestApp();
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  await writeSetting(app.server.queue, "search_rate_limit", 0);
  g = await createGuildFixture(app, "Pages de recherche");
  alice = await createAccount(app, { username: "alice_p", displayName: "Alice Martin" });
  bob = await createAccount(app, { username: "bob_p" });
  await g.join(alice);
  await g.join(bob);
  const secret = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "coulisses", type: 0 }, g.owner.bearer));
  secretId = secret.id;
  await api(app, "PUT", `/channels/${secretId}/permissions/${g.guildId}`, { type: 0, deny: String(Permission.VIEW_CHANNEL) }, g.owner.bearer);
  await send(alice, "Le déjeuner de vendredi est réservé <script>alert(1)</script>");
  await send(bob, `Merci <@${alice.user.id}> pour le déjeuner, photos sur https://example.org`);
  await send(g.owner, "déjeuner secret en coulisses", secretId);
  dmId = (await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: bob.user.id }, alice.bearer))).id;
  await send(alice, "déjeuner à deux ?", dmId);
});
afterAll(() => app.close());

describe("the results pane", () => {
  test("matched words are marked in an escaped excerpt, with a jump link around the message", async () => {
    const html = await results(alice, "dejeuner");
    expect(count(html)).toBe(2);
    expect(html).toContain("<mark>déjeuner</mark>");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toMatch(new RegExp(`href="/channels/${g.guildId}/${g.generalId}\\?around=\\d+#m-\\d+"`));
  });

  test("from: a username, mentions: and in: a channel name narrow the search", async () => {
    expect(count(await results(alice, "dejeuner from:bob_p"))).toBe(1);
    expect(count(await results(alice, "from:alice_p"))).toBe(1);
    expect(count(await results(alice, "mentions:alice_p"))).toBe(1);
    expect(count(await results(alice, "dejeuner in:#general"))).toBe(2);
  });

  test("a name nobody has, or a channel the reader cannot see, finds nothing and says so", async () => {
    const html = await results(alice, "dejeuner from:personne");
    expect(count(html)).toBe(0);
    expect(html).toContain("personne");
    expect(count(await results(alice, "in:coulisses"))).toBe(0);
    expect(count(await results(g.owner, "in:coulisses"))).toBe(1);
  });

  test("has:link and pinned:false filter, and an unknown has: value is explained", async () => {
    expect(count(await results(alice, "has:link"))).toBe(1);
    expect(count(await results(alice, "dejeuner pinned:false"))).toBe(2);
    const html = await results(alice, "has:sticker");
    expect(count(html)).toBe(0);
    expect(html).toContain("has:sticker");
  });

  test("before:, after: and during: take UTC dates", async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(count(await results(alice, `dejeuner during:${today}`))).toBe(2);
    expect(count(await results(alice, `dejeuner during:${today.slice(0, 7)}`))).toBe(2);
    expect(count(await results(alice, `dejeuner before:${today}`))).toBe(0);
    expect(count(await results(alice, "dejeuner after:2020-01-01"))).toBe(2);
    expect(count(await results(alice, "dejeuner after:2999-01-01"))).toBe(0);
  });

  test("DMs are searched in the DM scope, everything the reader sees in 'all', and a stranger's server is a 404", async () => {
    expect(count(await results(alice, "dejeuner", "dms"))).toBe(1);
    expect(count(await results(alice, "dejeuner", "all"))).toBe(3);
    expect(count(await results(g.owner, "dejeuner", "all"))).toBe(3);
    const stranger = await createAccount(app);
    const res = await app.fetch(`/search?scope=${g.guildId}&q=dejeuner`, { headers: { Cookie: stranger.cookie, "HX-Request": "true" } });
    expect(res.status).toBe(404);
  });

  test("without htmx the search is a page of its own, and signed out it asks to sign in", async () => {
    const res = await app.fetch(`/search?scope=${g.guildId}&q=dejeuner`, { headers: { Cookie: alice.cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toContain("<mark>déjeuner</mark>");
    expect((await app.fetch("/search?q=x")).status).toBe(303);
  });

  test("htmx's history restore (a whole-body request) gets the same page as a plain load, the pane's requests the fragment", async () => {
    const url = `/search?scope=${g.guildId}&q=dejeuner`;
    const restore = await app.fetch(url, { headers: { Cookie: alice.cookie, "HX-Request": "true", "HX-Request-Type": "full", "HX-History-Restore-Request": "true" } });
    const page = await restore.text();
    expect(page).toContain("<!DOCTYPE html>");
    expect(page).toContain('class="pane-body search-page"');
    expect(page).toContain("<mark>déjeuner</mark>");
    const pane = await (await app.fetch(url, { headers: { Cookie: alice.cookie, "HX-Request": "true", "HX-Request-Type": "partial" } })).text();
    expect(pane).not.toContain("<!DOCTYPE html>");
    expect(pane).toContain("<mark>déjeuner</mark>");
  });

  test("relevance and oldest-first sorting and the pager links keep the query", async () => {
    const html = await results(alice, "dejeuner", g.guildId, "&sort=oldest");
    expect(html.indexOf("réservé")).toBeLessThan(html.indexOf("photos"));
    expect(html).toContain("sort=relevance");
  });
});

describe("suggestions and the quick switcher", () => {
  test("people and readable channels are suggested by prefix, accents and case ignored", async () => {
    const people = await json<{ value: string; label: string }[]>(await app.fetch(`/search/suggest?scope=${g.guildId}&kind=people&prefix=ALI`, { headers: { Cookie: bob.cookie } }));
    expect(people.map((p) => p.value)).toEqual(["alice_p"]);
    expect(people[0]!.label).toBe("Alice Martin (alice_p)");
    const channels = await json<{ value: string }[]>(await app.fetch(`/search/suggest?scope=${g.guildId}&kind=channels&prefix=`, { headers: { Cookie: bob.cookie } }));
    expect(channels.map((c) => c.value)).toEqual(["general"]);
    const forOwner = await json<{ value: string }[]>(await app.fetch(`/search/suggest?scope=${g.guildId}&kind=channels&prefix=cou`, { headers: { Cookie: g.owner.cookie } }));
    expect(forOwner.map((c) => c.value)).toEqual(["coulisses"]);
  });

  test("the switcher lists the reader's servers, visible channels, DMs and fellow members only", async () => {
    const items = await json<{ kind: string; name: string; url: string }[]>(await app.fetch("/search/switcher", { headers: { Cookie: alice.cookie } }));
    expect(items.filter((i) => i.kind === "server").map((i) => i.name)).toEqual(["Pages de recherche"]);
    expect(items.some((i) => i.name === "coulisses")).toBe(false);
    expect(items.find((i) => i.kind === "channel" && i.name === "general")!.url).toBe(`/channels/${g.guildId}/${g.generalId}`);
    expect(items.find((i) => i.kind === "dm")!.url).toBe(`/channels/@me/${dmId}`);
    expect(items.find((i) => i.kind === "member" && i.name === "bob_p")!.url).toBe(`/channels/@me/${dmId}`);
    expect(items.some((i) => i.kind === "member" && i.name === "Alice Martin")).toBe(false);
  });
});

describe("the query language", () => {
  test("filters, phrases and prefixes are told apart, and unbalanced quotes are plain text", () => {
    const q = parseQuery('from:bob in:#général has:images pinned:true "mot exact" pré* a* x');
    expect(q.from).toEqual(["bob"]);
    expect(q.in).toEqual(["général"]);
    expect(q.has).toEqual(["image"]);
    expect(q.pinned).toBe(true);
    expect(q.text).toEqual([
      { kind: "phrase", value: "mot exact" },
      { kind: "prefix", value: "pré" },
      { kind: "word", value: "a*" },
      { kind: "word", value: "x" },
    ]);
    expect(parseQuery('"ouvert sans fin').text.map((p) => p.value)).toEqual(["ouvert", "sans", "fin"]);
    expect(parseQuery("unknown:filter").text).toEqual([{ kind: "word", value: "unknown:filter" }]);
  });

  test("dates are whole UTC days or months, and impossible dates are refused", () => {
    expect(dateRange("2024-02-29")).toEqual([Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1)]);
    expect(dateRange("2024-12")).toEqual([Date.UTC(2024, 11, 1), Date.UTC(2025, 0, 1)]);
    expect(dateRange("2023-02-29")).toBeNull();
    expect(dateRange("tomorrow")).toBeNull();
    const during = parseQuery("during:2024-05-01");
    expect(during.minId).toBe(idAt(Date.UTC(2024, 4, 1)));
    expect(during.maxId).toBe(idAt(Date.UTC(2024, 4, 2)));
    expect(parseQuery("before:2024-13-01").errors).toEqual(["before:2024-13-01"]);
  });
});
