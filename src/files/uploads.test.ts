// Uploads through the composer's staging endpoint and Discord's multipart send: what is stored,
// what the API says, images (dimensions, thumbnails, EXIF, animation) and the limits.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { animatedGif, animatedWebp, jpegWithExif, sendMultipart, sendStaged, stage, wav } from "../testing/files.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Photos");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Att = { id: string; filename: string; size: number; url: string; proxy_url: string; content_type: string; width?: number; height?: number; description?: string; duration_secs?: number; flags?: number };
type Msg = { id: string; content: string; attachments: Att[] };

const stored = async (att: Att, who = member) => new Uint8Array(await (await app.fetch(new URL(att.url).pathname, { headers: { Cookie: who.cookie } })).arrayBuffer());
const latest = async () => (await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, member.bearer)))[0]!;

describe("attaching from the composer", () => {
  test("a staged image is sent with a message that has no text, and the API describes it Discord's way", async () => {
    const up = await stage(app, member, g.generalId, makePng(320, 200), "holiday.png");
    expect(up.status).toBe(201);
    const staged = await json<Att>(up);
    expect(staged).toMatchObject({ filename: "holiday.png", content_type: "image/png", width: 320, height: 200 });
    const sent = await sendStaged(app, member, g.generalId, [{ id: staged.id, description: "A beach at dusk" }]);
    expect(sent.status).toBe(201);
    const msg = await latest();
    expect(msg.content).toBe("");
    expect(msg.attachments).toHaveLength(1);
    const a = msg.attachments[0]!;
    expect(a).toMatchObject({ id: staged.id, filename: "holiday.png", content_type: "image/png", width: 320, height: 200, description: "A beach at dusk" });
    expect(a.url).toStartWith(`${app.url}/attachments/${g.generalId}/${a.id}/holiday.png?ex=`);
    expect(a.proxy_url).toBe(`${a.url}&thumb=preview`);
    expect(a.size).toBe((await stored(a)).byteLength);
  });

  test("the spoiler flag renames the file SPOILER_ and sets Discord's spoiler flag", async () => {
    const staged = await json<Att>(await stage(app, member, g.generalId, makePng(10, 10), "plot twist.png"));
    await sendStaged(app, member, g.generalId, [{ id: staged.id, spoiler: true }], "no peeking");
    const a = (await latest()).attachments[0]!;
    expect(a.filename).toBe("SPOILER_plot twist.png");
    expect(a.flags! & 8).toBe(8);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: member.cookie } })).text();
    expect(page).toContain('class="attachment attachment-image spoiler"');
  });

  test("a staged upload can be cancelled, and cannot be sent by someone else or twice", async () => {
    const one = await json<Att>(await stage(app, member, g.generalId, makePng(8, 8), "a.png"));
    expect((await app.fetch(`/channels/${g.generalId}/attachments/${one.id}`, { method: "DELETE", headers: { Origin: app.url, Cookie: member.cookie } })).status).toBe(204);
    expect((await sendStaged(app, member, g.generalId, [{ id: one.id }])).status).toBe(400);
    const two = await json<Att>(await stage(app, member, g.generalId, makePng(8, 8), "b.png"));
    expect((await sendStaged(app, g.owner, g.generalId, [{ id: two.id }])).status).toBe(400);
    expect((await sendStaged(app, member, g.generalId, [{ id: two.id }])).status).toBe(201);
    expect((await sendStaged(app, member, g.generalId, [{ id: two.id }])).status).toBe(400);
  });
});

describe("Discord's multipart send", () => {
  test("files[n] with payload_json create one message with every file in order, alt text from attachments[]", async () => {
    const res = await sendMultipart(app, member, g.generalId, [{ bytes: makePng(40, 30), name: "one.png" }, { bytes: "plain notes\n", name: "notes.txt" }, { bytes: wav(1.5), name: "hello.wav" }], {
      content: "three files",
      attachments: [{ id: 0, description: "a small orange box" }],
    });
    expect(res.status).toBe(200);
    const msg = await json<Msg>(res);
    expect(msg.content).toBe("three files");
    expect(msg.attachments.map((a) => [a.filename, a.content_type])).toEqual([
      ["one.png", "image/png"],
      ["notes.txt", "text/plain"],
      ["hello.wav", "audio/wav"],
    ]);
    expect(msg.attachments[0]!.description).toBe("a small orange box");
    expect(msg.attachments[2]!.duration_secs).toBe(1.5);
    // The same bytes as a second message are stored once (content-addressed).
    await sendMultipart(app, member, g.generalId, [{ bytes: "plain notes\n", name: "copy.txt" }]);
    const blobs = readdirSync(join(app.dataDir, "files"), { recursive: true }).filter((p) => /[0-9a-f]{64}$/.test(String(p)));
    expect(blobs.filter((p) => String(p).endsWith(new Bun.CryptoHasher("sha256").update("plain notes\n").digest("hex")))).toHaveLength(1);
  });

  test("a message may carry at most ten files, through either door", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ bytes: `file ${i}`, name: `f${i}.txt` }));
    const res = await sendMultipart(app, member, g.generalId, eleven);
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain("at most 10 files");
    const ids = [];
    for (let i = 0; i < 11; i++) ids.push({ id: (await json<Att>(await stage(app, member, g.generalId, `staged ${i}`, `s${i}.txt`))).id });
    expect((await sendStaged(app, member, g.generalId, ids)).status).toBe(400);
    expect((await sendStaged(app, member, g.generalId, ids.slice(0, 10))).status).toBe(201);
    expect((await latest()).attachments).toHaveLength(10);
  });
});

describe("images", () => {
  test("EXIF (camera, GPS) is stripped from the stored copy and the image still decodes", async () => {
    const photo = await jpegWithExif(64, 48, "GPS 48.8584N 2.2945E");
    expect(Buffer.from(photo).includes("GPS 48.8584N")).toBe(true);
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: photo, name: "tower.jpg" }]));
    const copy = await stored(msg.attachments[0]!);
    expect(Buffer.from(copy).includes("GPS 48.8584N")).toBe(false);
    expect(Buffer.from(copy).includes("Exif")).toBe(false);
    expect(await new Bun.Image(copy).metadata()).toMatchObject({ width: 64, height: 48, format: "jpeg" });
  });

  test("a photo whose EXIF says to rotate it is stored upright, without EXIF", async () => {
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: await jpegWithExif(60, 20, "rotated", 6), name: "portrait.jpg" }]));
    const a = msg.attachments[0]!;
    expect([a.width, a.height]).toEqual([20, 60]);
    expect(Buffer.from(await stored(a)).includes("Exif")).toBe(false);
  });

  test("an animated GIF stays animated (every frame kept, comment dropped) and the list shows the original", async () => {
    const gif = animatedGif(3, "made by a secret camera");
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: gif, name: "dance.gif" }]));
    const a = msg.attachments[0]!;
    expect(a.flags! & 32).toBe(32);
    const copy = Buffer.from(await stored(a));
    expect(copy.includes("made by a secret camera")).toBe(false);
    expect(copy.includes("NETSCAPE2.0")).toBe(true);
    expect(copy.filter((b, i) => b === 0x2c && copy[i - 8] === 0x21).length).toBe(3);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: member.cookie } })).text();
    expect(page).toContain(`<img src="/attachments/${g.generalId}/${a.id}/dance.gif"`);
  });

  test("an animated WebP stays animated (both frames kept, EXIF dropped) and gets a thumbnail of its first frame", async () => {
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: await animatedWebp("GPS 43.29N"), name: "loop.webp" }]));
    const a = msg.attachments[0]!;
    expect(a).toMatchObject({ content_type: "image/webp", width: 4, height: 4 });
    expect(a.flags! & 32).toBe(32);
    const copy = Buffer.from(await stored(a));
    expect(copy.includes("GPS 43.29N")).toBe(false);
    expect(copy.toString("latin1").split("ANMF").length - 1).toBe(2);
    const thumb = await app.fetch(`${new URL(a.url).pathname}?thumb=list`, { headers: { Cookie: member.cookie } });
    expect(await new Bun.Image(new Uint8Array(await thumb.arrayBuffer())).metadata()).toMatchObject({ width: 4, height: 4, format: "webp" });
  });

  test("thumbnails come in two sizes (WebP for a PNG), never larger than the list and preview boxes", async () => {
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: makePng(3000, 1000), name: "wide.png" }]));
    const path = new URL(msg.attachments[0]!.url).pathname;
    for (const [size, width] of [["list", 800], ["preview", 1920]] as const) {
      const res = await app.fetch(`${path}?thumb=${size}`, { headers: { Cookie: member.cookie } });
      expect(res.headers.get("Content-Type")).toBe("image/webp");
      expect(await new Bun.Image(new Uint8Array(await res.arrayBuffer())).metadata()).toMatchObject({ width, format: "webp" });
    }
  });
});
