// Serving files: byte ranges (seek and resume), caching, who may fetch what (a file from a channel
// you cannot see is a 404), and the cleanup of files nothing refers to any more.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { sendMultipart, sendStaged, stage, wav } from "../testing/files.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { sweepFiles } from "./sweep.ts";
import { STAGED_TTL_MS } from "./limits.ts";
import { signature } from "./sign.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Media");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Att = { id: string; url: string; size: number; content_type: string };
type Msg = { id: string; attachments: Att[] };
const path = (a: Att) => new URL(a.url).pathname;
const fetchAs = (who: TestAccount | null, a: Att, headers: Record<string, string> = {}) => app.fetch(path(a), { headers: { ...(who ? { Cookie: who.cookie } : {}), ...headers } });
const blobOf = (bytes: Uint8Array) => {
  const sha = new Bun.CryptoHasher("sha256").update(bytes as Uint8Array<ArrayBuffer>).digest("hex");
  return join(app.dataDir, "files", sha.slice(0, 2), sha);
};

describe("byte ranges", () => {
  const audio = wav(2) as Uint8Array<ArrayBuffer>;
  let a: Att;
  beforeAll(async () => {
    a = (await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: audio, name: "song.wav" }]))).attachments[0]!;
  });

  test("the whole file comes with its type, length, a strong ETag and a year of private cache", async () => {
    const res = await fetchAs(member, a);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("audio/wav");
    expect(res.headers.get("Content-Length")).toBe(String(audio.length));
    expect(res.headers.get("Accept-Ranges")).toBe("bytes");
    expect(res.headers.get("Cache-Control")).toBe("private, max-age=31536000, immutable");
    expect(res.headers.get("Content-Disposition")).toBe(`inline; filename="song.wav"; filename*=UTF-8''song.wav`);
    const etag = res.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio);
    const again = await fetchAs(member, a, { "If-None-Match": etag });
    expect(again.status).toBe(304);
  });

  test("the first bytes, a middle slice and a suffix come back as 206 with Content-Range", async () => {
    const cases: [string, number, number][] = [
      ["bytes=0-9", 0, 9],
      ["bytes=1000-1999", 1000, 1999],
      ["bytes=-100", audio.length - 100, audio.length - 1],
      ["bytes=30000-", 30000, audio.length - 1],
      [`bytes=100-${audio.length + 5000}`, 100, audio.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetchAs(member, a, { Range: range });
      expect(res.status).toBe(206);
      expect(res.headers.get("Content-Range")).toBe(`bytes ${start}-${end}/${audio.length}`);
      expect(res.headers.get("Content-Length")).toBe(String(end - start + 1));
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio.subarray(start, end + 1));
    }
  });

  test("a range past the end or backwards is a 416 naming the size; one for another copy sends it all", async () => {
    for (const range of [`bytes=${audio.length}-`, "bytes=999999-1000000", "bytes=500-100", "bytes=-0"]) {
      const res = await fetchAs(member, a, { Range: range });
      expect(res.status).toBe(416);
      expect(res.headers.get("Content-Range")).toBe(`bytes */${audio.length}`);
    }
    expect((await fetchAs(member, a, { Range: "bytes=0-9", "If-Range": '"not-this-copy"' })).status).toBe(200);
    expect((await fetchAs(member, a, { Range: "lines=1-2" })).status).toBe(200);
  });
});

describe("who may fetch a file", () => {
  test("a file follows the channel it was posted in: outsiders, strangers and hidden channels get a 404", async () => {
    const outsider = await createAccount(app);
    const staffOnly = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "staff", type: 0 }, g.owner.bearer));
    await api(app, "PUT", `/channels/${staffOnly.id}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
    const secret = (await json<Msg>(await sendMultipart(app, g.owner, staffOnly.id, [{ bytes: "staff notes", name: "plans.txt" }]))).attachments[0]!;
    const open = (await json<Msg>(await sendMultipart(app, g.owner, g.generalId, [{ bytes: "public notes", name: "menu.txt" }]))).attachments[0]!;
    const table: [string, TestAccount | null, Att, number][] = [
      ["the owner, staff channel", g.owner, secret, 200],
      ["a member, staff channel", member, secret, 404],
      ["a member, general", member, open, 200],
      ["another server's user, general", outsider, open, 404],
      ["nobody signed in", null, open, 404],
    ];
    for (const [who, acct, att, status] of table) expect([who, (await fetchAs(acct, att)).status]).toEqual([who, status]);
    // The id is looked up with its channel: the right id under another channel's path is a 404 too.
    expect((await app.fetch(`/attachments/${g.generalId}/${secret.id}/plans.txt`, { headers: { Cookie: g.owner.cookie } })).status).toBe(404);
  });

  test("a DM's files are for its two people only, and a staged upload for its uploader only", async () => {
    const friend = await createAccount(app);
    const stranger = await createAccount(app);
    await g.join(friend);
    await g.join(stranger);
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: friend.user.id }, member.bearer));
    const att = (await json<Msg>(await sendMultipart(app, member, dm.id, [{ bytes: "just for you", name: "note.txt" }]))).attachments[0]!;
    expect((await fetchAs(friend, att)).status).toBe(200);
    expect((await fetchAs(stranger, att)).status).toBe(404);
    const staged = await json<Att>(await stage(app, member, g.generalId, "draft", "draft.txt"));
    expect((await fetchAs(member, staged)).status).toBe(200);
    expect((await fetchAs(g.owner, staged)).status).toBe(404);
  });

  test("the API's signed url works without a session until it expires; tampered, expired or staged ones are a 404", async () => {
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: "for the bot", name: "bot.txt" }]));
    const a = msg.attachments[0]!;
    const signed = `${path(a)}${new URL(a.url).search}`;
    expect((await app.fetch(signed)).status).toBe(200);
    expect((await app.fetch(signed.replace(/hm=[0-9a-f]/, (m) => (m.endsWith("0") ? "hm=1" : "hm=0")))).status).toBe(404);
    expect((await app.fetch(`${path(a)}?${signature(app.server.core, a.id, Date.now() - 3 * 86_400_000)}`)).status).toBe(404);
    // A signature is for one attachment: moved onto another id it opens nothing.
    const other = (await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: "another", name: "x.txt" }]))).attachments[0]!;
    expect((await app.fetch(`${path(other)}${new URL(a.url).search}`)).status).toBe(404);
    const staged = await json<Att>(await stage(app, member, g.generalId, "draft only", "draft.txt"));
    expect((await app.fetch(`${path(staged)}${new URL(staged.url).search}`)).status).toBe(404);
  });

  test("someone who leaves the server loses its files", async () => {
    const leaver = await createAccount(app);
    await g.join(leaver);
    const att = (await json<Msg>(await sendMultipart(app, g.owner, g.generalId, [{ bytes: "members only", name: "m.txt" }]))).attachments[0]!;
    expect((await fetchAs(leaver, att)).status).toBe(200);
    expect((await api(app, "DELETE", `/users/@me/guilds/${g.guildId}`, undefined, leaver.bearer)).status).toBe(204);
    expect((await fetchAs(leaver, att)).status).toBe(404);
  });
});

describe("orphan cleanup", () => {
  test("deleting a message removes its stored file, unless another message still uses the same bytes", async () => {
    const bytes = new TextEncoder().encode(`shared ${Date.now()}`);
    const first = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes, name: "a.txt" }]));
    const second = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes, name: "b.txt" }]));
    const blob = blobOf(bytes);
    expect(existsSync(blob)).toBe(true);
    await api(app, "DELETE", `/channels/${g.generalId}/messages/${first.id}`, undefined, member.bearer);
    await sweepFiles(app.server.core);
    expect(existsSync(blob)).toBe(true);
    expect((await fetchAs(member, second.attachments[0]!)).status).toBe(200);
    await api(app, "DELETE", `/channels/${g.generalId}/messages/${second.id}`, undefined, member.bearer);
    // The delete schedules a sweep by itself.
    for (let i = 0; i < 50 && existsSync(blob); i++) await Bun.sleep(20);
    expect(existsSync(blob)).toBe(false);
    expect((await fetchAs(member, second.attachments[0]!)).status).toBe(404);
  });

  test("deleting a channel removes the files posted in it", async () => {
    const temp = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "temp", type: 0 }, g.owner.bearer));
    const bytes = new TextEncoder().encode(`temporary ${Date.now()}`);
    expect((await sendMultipart(app, g.owner, temp.id, [{ bytes, name: "t.txt" }])).status).toBe(200);
    expect(existsSync(blobOf(bytes))).toBe(true);
    expect((await api(app, "DELETE", `/channels/${temp.id}`, undefined, g.owner.bearer)).status).toBe(200);
    await sweepFiles(app.server.core);
    expect(existsSync(blobOf(bytes))).toBe(false);
  });

  test("a staged upload never sent is deleted after the delay, one that was sent is kept", async () => {
    const bytes = new TextEncoder().encode(`forgotten ${Date.now()}`);
    const forgotten = await json<Att>(await stage(app, member, g.generalId, bytes, "forgotten.txt"));
    const kept = await json<Att>(await stage(app, member, g.generalId, "kept for good", "kept.txt"));
    await sendStaged(app, member, g.generalId, [{ id: kept.id }]);
    await sweepFiles(app.server.core);
    expect((await fetchAs(member, forgotten)).status).toBe(200);
    await sweepFiles(app.server.core, Date.now() + STAGED_TTL_MS + 1000);
    expect((await fetchAs(member, forgotten)).status).toBe(404);
    expect(existsSync(blobOf(bytes))).toBe(false);
    expect((await fetchAs(member, kept)).status).toBe(200);
  });
});
