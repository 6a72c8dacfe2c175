// Message search through the API: every filter, who may see what (even in counts), FTS5 syntax
// typed as text, accents, pagination and Discord's answer shape.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { Permission } from "../permissions/permissions.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";
import { sendMultipart, sendStaged, stage, wav } from "../testing/files.ts";
import { SEARCH_RATE } from "./service.ts";

let app: TestApp;
let g: GuildFixture;
let alice: TestAccount;
let bob: TestAccount;
let carol: TestAccount;
let secretId: string;
let otherGuild: GuildFixture;
let dmId: string;

type Hit = { id: string; content: string; channel_id: string; author: { id: string }; pinned: boolean; hit: boolean; guild_id?: string };
type Answer = { total_results: number; messages: Hit[][] };
const send = async (who: TestAccount, content: string, channel = g.generalId) => json<Hit>(await api(app, "POST", `/channels/${channel}/messages`, { content }, who.bearer));
async function search(who: TestAccount, query: string, guild = g.guildId): Promise<Answer> {
  const res = await api(app, "GET", `/guilds/${guild}/messages/search?${query}`, undefined, who.bearer);
  expect(res.status).toBe(200);
  return json<Answer>(res);
}
const contents = (a: Answer) => a.messages.map((m) => m[0]!.content);

beforeAll(async () => {
  app = await createTestApp();
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  await writeSetting(app.server.queue, "search_rate_limit", 0);
  g = await createGuildFixture(app, "Recherche");
  [alice, bob, carol] = [await createAccount(app, { username: "alice_s" }), await createAccount(app, { username: "bob_s" }), await createAccount(app)];
  for (const who of [alice, bob, carol]) await g.join(who);
  const secret = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "secret", type: 0 }, g.owner.bearer));
  secretId = secret.id;
  // @everyone may not see #secret; bob may, by a member overwrite.
  expect((await api(app, "PUT", `/channels/${secretId}/permissions/${g.guildId}`, { type: 0, deny: String(Permission.VIEW_CHANNEL) }, g.owner.bearer)).status).toBe(204);
  expect((await api(app, "PUT", `/channels/${secretId}/permissions/${bob.user.id}`, { type: 1, allow: String(Permission.VIEW_CHANNEL) }, g.owner.bearer)).status).toBe(204);
  await send(alice, "Réunion demain au café, pensez au gâteau");
  await send(bob, "the deploy is done, notes at https://example.com/notes");
  await send(g.owner, "réunion secrète demain soir", secretId);
  await send(alice, `<@${bob.user.id}> tu viens à la réunion ?`);
  const pinned = await send(bob, "règles du salon: soyez gentils");
  expect((await api(app, "PUT", `/channels/${g.generalId}/pins/${pinned.id}`, undefined, g.owner.bearer)).status).toBe(204);
  otherGuild = await createGuildFixture(app, "Ailleurs");
  await send(otherGuild.owner, "réunion ailleurs", otherGuild.generalId);
  const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: bob.user.id }, alice.bearer));
  dmId = dm.id;
  await send(alice, "réunion privée entre nous", dmId);
});
afterAll(() => app.close());

describe("free text", () => {
  test("a word without accents finds the accented word, and the answer has Discord's shape", async () => {
    const a = await search(alice, "content=reunion");
    expect(a.total_results).toBe(2);
    expect(contents(a)).toEqual([`<@${bob.user.id}> tu viens à la réunion ?`, "Réunion demain au café, pensez au gâteau"]);
    const hit = a.messages[0]![0]!;
    expect(hit.hit).toBe(true);
    expect(hit.guild_id).toBe(g.guildId);
    expect(hit.channel_id).toBe(g.generalId);
    expect(hit.author.id).toBe(alice.user.id);
    expect(Array.isArray(a.messages[0])).toBe(true);
  });

  test("accented search text finds unaccented and accented words alike", async () => {
    expect((await search(alice, `content=${encodeURIComponent("CAFÉ gateau")}`)).total_results).toBe(1);
  });

  test("a quoted phrase matches the words together and in order only", async () => {
    expect((await search(alice, `content=${encodeURIComponent('"demain au cafe"')}`)).total_results).toBe(1);
    expect((await search(alice, `content=${encodeURIComponent('"cafe au demain"')}`)).total_results).toBe(0);
  });

  test("a word ending in * matches as a prefix", async () => {
    expect((await search(alice, `content=${encodeURIComponent("réun*")}`)).total_results).toBe(2);
    expect((await search(alice, "content=reun")).total_results).toBe(0);
  });

  test("sort_by=relevance and sort_order=asc reorder the same results", async () => {
    const asc = await search(alice, "content=reunion&sort_order=asc");
    expect(contents(asc)[0]).toBe("Réunion demain au café, pensez au gâteau");
    expect((await search(alice, "content=reunion&sort_by=relevance")).total_results).toBe(2);
  });
});

describe("filters", () => {
  test("author_id keeps one person's messages", async () => {
    const a = await search(alice, `author_id=${bob.user.id}`);
    expect(contents(a).sort()).toEqual(["règles du salon: soyez gentils", "the deploy is done, notes at https://example.com/notes"]);
  });

  test("mentions keeps messages that mention the person", async () => {
    expect(contents(await search(alice, `mentions=${bob.user.id}`))).toEqual([`<@${bob.user.id}> tu viens à la réunion ?`]);
  });

  test("channel_id keeps one channel, and a hidden channel gives nothing", async () => {
    expect((await search(bob, `channel_id=${secretId}`)).total_results).toBe(1);
    expect((await search(alice, `channel_id=${secretId}`)).total_results).toBe(0);
    expect((await search(alice, `channel_id=${g.generalId}&content=reunion`)).total_results).toBe(2);
  });

  test("has=link keeps messages with a link", async () => {
    expect(contents(await search(alice, "has=link"))).toEqual(["the deploy is done, notes at https://example.com/notes"]);
  });

  test("pinned=true and pinned=false split the pinned from the rest", async () => {
    expect(contents(await search(alice, "pinned=true"))).toEqual(["règles du salon: soyez gentils"]);
    expect((await search(alice, "pinned=false&author_id=" + bob.user.id)).total_results).toBe(1);
  });

  test("min_id and max_id bound the results (exclusive)", async () => {
    const all = await search(alice, "content=reunion&sort_order=asc");
    const [first, second] = all.messages.map((m) => m[0]!.id);
    expect(contents(await search(alice, `content=reunion&min_id=${first}`))).toHaveLength(1);
    expect((await search(alice, `content=reunion&max_id=${second}`)).messages[0]![0]!.id).toBe(first!);
  });

  test("has=image finds a message with an image attachment, has=file any attachment", async () => {
    const form = new FormData();
    form.append("payload_json", JSON.stringify({ content: "voici la photo" }));
    form.append("files[0]", new File([makePng(4, 4) as Uint8Array<ArrayBuffer>], "photo.png", { type: "image/png" }));
    const res = await app.fetch(`/api/v10/channels/${g.generalId}/messages`, { method: "POST", headers: carol.bearer, body: form });
    expect(res.status).toBe(200);
    expect(contents(await search(alice, "has=image"))).toEqual(["voici la photo"]);
    expect(contents(await search(alice, "has=file"))).toEqual(["voici la photo"]);
    expect((await search(alice, "has=video")).total_results).toBe(0);
    expect((await search(alice, "has=audio")).total_results).toBe(0);
  });

  test("has=audio and has=video find their kind, also when a staged upload joins the message at send", async () => {
    expect((await sendMultipart(app, carol, g.generalId, [{ bytes: wav(1), name: "memo.wav" }], { content: "le mémo vocal" })).status).toBe(200);
    expect(contents(await search(alice, "has=audio"))).toEqual(["le mémo vocal"]);
    // A tiny MP4 (ftyp + empty mdat): sniffed as video/mp4 from its bytes.
    const mp4 = new Uint8Array([0, 0, 0, 24, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0, ...new TextEncoder().encode("isommp41"), 0, 0, 0, 8, ...new TextEncoder().encode("mdat")]);
    const staged = await stage(app, carol, g.generalId, mp4, "clip.mp4");
    expect(staged.status).toBe(201);
    const { id } = await json<{ id: string }>(staged);
    expect((await sendStaged(app, carol, g.generalId, [{ id }], "la vidéo du match")).status).toBeLessThan(400);
    expect(contents(await search(alice, "has=video"))).toEqual(["la vidéo du match"]);
    expect((await search(alice, "has=file")).total_results).toBe(3);
  });

  test("has=embed finds a message sent with an embed", async () => {
    const res = await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "le compte-rendu", embeds: [{ title: "Compte-rendu", description: "Résumé de la réunion" }] }, bob.bearer);
    expect(res.status).toBe(200);
    expect(contents(await search(alice, "has=embed"))).toEqual(["le compte-rendu"]);
    expect((await search(alice, "has=embed&content=reunion")).total_results).toBe(0);
  });

  test("an unknown has value or a bad id is a 400 that says which parameter", async () => {
    for (const q of ["has=sticker", "author_id=abc", "limit=26", "offset=-1", "sort_by=name"]) {
      const res = await api(app, "GET", `/guilds/${g.guildId}/messages/search?${q}`, undefined, alice.bearer);
      expect(res.status).toBe(400);
      const body = await json<{ code: number; errors: Record<string, string> }>(res);
      expect(body.code).toBe(50035);
      expect(Object.keys(body.errors)[0]).toBe(q.split("=")[0]!);
    }
  });
});

describe("who sees what", () => {
  test("a message in a channel the reader cannot see is neither listed nor counted", async () => {
    const forAlice = await search(alice, "content=demain");
    expect(forAlice.total_results).toBe(1);
    const forBob = await search(bob, "content=demain");
    expect(forBob.total_results).toBe(2);
    expect(contents(forBob)).toContain("réunion secrète demain soir");
  });

  test("another server's messages and DMs never show in a server search", async () => {
    const a = await search(alice, "content=ailleurs");
    expect(a.total_results).toBe(0);
    expect((await search(alice, "content=privee")).total_results).toBe(0);
  });

  test("a server the reader is not in (or has left) is a 404", async () => {
    expect((await api(app, "GET", `/guilds/${otherGuild.guildId}/messages/search?content=reunion`, undefined, alice.bearer)).status).toBe(404);
    const leaver = await createAccount(app);
    await g.join(leaver);
    expect((await search(leaver, "content=reunion")).total_results).toBe(2);
    expect((await api(app, "DELETE", `/users/@me/guilds/${g.guildId}`, undefined, leaver.bearer)).status).toBe(204);
    expect((await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=reunion`, undefined, leaver.bearer)).status).toBe(404);
  });

  test("a filtered server search keeps to that server when the person also writes elsewhere", async () => {
    await otherGuild.join(alice);
    await send(alice, "réunion ailleurs aussi, voir https://example.com", otherGuild.generalId);
    const here = await search(alice, `content=reunion&author_id=${alice.user.id}`);
    expect(here.total_results).toBe(2);
    expect(contents(here).some((c) => c.includes("ailleurs"))).toBe(false);
    expect(contents(await search(alice, `content=reunion&author_id=${alice.user.id}`, otherGuild.guildId))).toEqual(["réunion ailleurs aussi, voir https://example.com"]);
    expect((await search(alice, "has=link", otherGuild.guildId)).total_results).toBe(1);
    expect((await search(alice, "has=link")).total_results).toBe(1);
    expect((await api(app, "DELETE", `/users/@me/guilds/${otherGuild.guildId}`, undefined, alice.bearer)).status).toBe(204);
  });

  test("DM search finds the reader's own DMs only", async () => {
    const dm = async (who: TestAccount) => json<Answer>(await api(app, "GET", "/users/@me/messages/search?content=reunion", undefined, who.bearer));
    expect(contents(await dm(alice))).toEqual(["réunion privée entre nous"]);
    expect(contents(await dm(bob))).toEqual(["réunion privée entre nous"]);
    expect((await dm(carol)).total_results).toBe(0);
    expect((await api(app, "GET", "/users/@me/messages/search?content=reunion", undefined, {})).status).toBe(401);
  });
});

describe("rate limit", () => {
  test("past 30 searches in 10 s a member gets 429 with Retry-After; an instance admin is not limited; the admin can change the limit", async () => {
    const admin = await createAccount(app, { admin: true });
    const setLimit = async (n: number) => json<{ search_rate_limit: number }>(await api(app, "PATCH", "/admin/instance", { search_rate_limit: n }, admin.bearer));
    expect((await setLimit(SEARCH_RATE)).search_rate_limit).toBe(SEARCH_RATE);
    const busy = await createAccount(app);
    await g.join(busy);
    const statuses: number[] = [];
    for (let i = 0; i <= SEARCH_RATE; i++) statuses.push((await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=x${i}`, undefined, busy.bearer)).status);
    expect(statuses.slice(0, SEARCH_RATE).every((s) => s === 200)).toBe(true);
    const limited = await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=x`, undefined, busy.bearer);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    await g.join(admin);
    for (let i = 0; i <= SEARCH_RATE; i++) expect((await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=y${i}`, undefined, admin.bearer)).status).toBe(200);
    // 0 turns the limit off (PATCH /admin/instance search_rate_limit).
    expect((await setLimit(0)).search_rate_limit).toBe(0);
    expect((await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=z`, undefined, busy.bearer)).status).toBe(200);
  });
});

describe("FTS5 syntax is text", () => {
  const injections = ['"', '""', "*", "NEAR(", "NEAR(reunion demain)", "reunion OR deploy", "reunion AND NOT x", "content:reunion", "scope:g1", `scope : g${otherGuild?.guildId ?? "1"}`, '"unbalanced', "a\" OR \"b", "(", ")", "^reunion", "-reunion", "+", "{content scope}:x", "reunion*demain", "c1 OR c2", "\u0000", "%", "'; DROP TABLE messages; --"];
  test("every injection string is a 200 and searches its words", async () => {
    for (const text of injections) {
      const res = await api(app, "GET", `/guilds/${g.guildId}/messages/search?content=${encodeURIComponent(text)}`, undefined, alice.bearer);
      expect(res.status).toBe(200);
      const a = await json<Answer>(res);
      for (const m of a.messages) expect(m[0]!.channel_id).not.toBe(secretId);
    }
    // OR is a word, not an operator: no message holds both "reunion" and "or" and "deploy".
    expect((await search(alice, `content=${encodeURIComponent("reunion OR deploy")}`)).total_results).toBe(0);
    // A column filter names no column: it is two words that must both be there.
    expect((await search(alice, `content=${encodeURIComponent("scope:reunion")}`)).total_results).toBe(0);
    expect((await search(alice, `content=${encodeURIComponent(`scope:g${otherGuild.guildId}`)}`)).total_results).toBe(0);
    // A stray quote or NEAR( leaves the words searchable.
    expect((await search(alice, `content=${encodeURIComponent('"reunion')}`)).total_results).toBe(2);
    expect((await search(alice, `content=${encodeURIComponent("NEAR(reunion")}`)).total_results).toBe(0);
  });
});

describe("pagination", () => {
  test("offset and limit walk through every result once, newest first", async () => {
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) sent.push((await send(carol, `pagination numéro ${i}`)).id);
    const first = await search(alice, "content=pagination&limit=25");
    const second = await search(alice, "content=pagination&limit=25&offset=25");
    expect(first.total_results).toBe(30);
    expect(second.total_results).toBe(30);
    expect(first.messages).toHaveLength(25);
    expect(second.messages).toHaveLength(5);
    const ids = [...first.messages, ...second.messages].map((m) => m[0]!.id);
    expect(ids).toEqual([...sent].reverse());
    expect((await search(alice, "content=pagination&offset=9975")).messages).toHaveLength(0);
  });
});

describe("the index follows the messages", () => {
  test("an edit replaces the old words, a delete removes the message, a deleted channel takes its messages", async () => {
    const m = await send(alice, "brouillon original");
    expect((await search(alice, "content=brouillon")).total_results).toBe(1);
    expect((await api(app, "PATCH", `/channels/${g.generalId}/messages/${m.id}`, { content: "version corrigée" }, alice.bearer)).status).toBe(200);
    expect((await search(alice, "content=brouillon")).total_results).toBe(0);
    expect((await search(alice, "content=corrigee")).total_results).toBe(1);
    expect((await api(app, "DELETE", `/channels/${g.generalId}/messages/${m.id}`, undefined, alice.bearer)).status).toBe(204);
    expect((await search(alice, "content=corrigee")).total_results).toBe(0);
    const temp = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "temp", type: 0 }, g.owner.bearer));
    await send(alice, `<@${bob.user.id}> éphémère`, temp.id);
    expect((await search(alice, "content=ephemere")).total_results).toBe(1);
    expect((await api(app, "DELETE", `/channels/${temp.id}`, undefined, g.owner.bearer)).status).toBe(200);
    expect((await search(alice, "content=ephemere")).total_results).toBe(0);
    const left = app.server.core.db.reader.query("SELECT count(*) AS n FROM message_search WHERE message_search MATCH 'ephemere'").get() as { n: bigint };
    expect(Number(left.n)).toBe(0);
  });
});
