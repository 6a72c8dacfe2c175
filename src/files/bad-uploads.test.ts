// The bad inputs of shared/SECURITY.md against uploads: hostile names, decompression bombs, files
// that lie about what they are, empty and oversized files, a full quota.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { sendMultipart, stage } from "../testing/files.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { hugePngHeader, makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Hostile");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Att = { id: string; filename: string; url: string; content_type: string };
type Err = { message: string; code: number };
const get = (att: Att, who = member) => app.fetch(new URL(att.url).pathname, { headers: { Cookie: who.cookie } });

/** Every file under the data dir: nothing may land outside <data>/files, and nothing named by a client. */
const filesOnDisk = () => readdirSync(app.dataDir, { recursive: true }).map(String);

describe("names", () => {
  test("path traversal, absolute paths, NUL, RTL override and 300-byte names never reach the file system", async () => {
    const before = new Set(filesOnDisk());
    const names: [string, string][] = [
      ["../../etc/passwd", "passwd"],
      ["..%2f..%2fsecret.txt", "_2f.._2fsecret.txt"],
      ["%2e%2e/%2e%2e/x.txt", "x.txt"],
      ["..\\..\\windows\\win.ini", "win.ini"],
      ["/var/lib/pokynano/pokynano.db", "pokynano.db"],
      ["evil\u0000.txt", "evil.txt"],
      ["invoice\u202Egpj.exe", "invoicegpj.exe"],
      ["..", "file"],
      [`${"a".repeat(300)}.txt`, `${"a".repeat(96)}.txt`],
    ];
    for (const [name, expected] of names) {
      const res = await stage(app, member, g.generalId, `contents of ${name}`, name);
      expect(res.status).toBe(201);
      const att = await json<Att>(res);
      expect(att.filename).toBe(expected);
      expect(new URL(att.url).pathname).toBe(`/attachments/${g.generalId}/${att.id}/${encodeURIComponent(expected)}`);
    }
    const added = filesOnDisk().filter((p) => !before.has(p));
    // The only other new file is the key that signs attachment URLs (made on first use).
    for (const path of added) expect(path).toMatch(/^(files(\/[0-9a-f]{2}(\/[0-9a-f]{64})?|\/tmp)?|attachments\.key)$/);
  });
});

describe("content", () => {
  test("a PNG declaring 20000x20000 is refused from its header with a 413 naming the limit", async () => {
    const res = await stage(app, member, g.generalId, hugePngHeader(20000, 20000), "bomb.png");
    expect(res.status).toBe(413);
    expect((await json<Err>(res)).message).toBe("Images are limited to 40 megapixels.");
    const api413 = await sendMultipart(app, member, g.generalId, [{ bytes: hugePngHeader(20000, 20000), name: "bomb.png" }]);
    expect(api413.status).toBe(413);
  });

  test("an SVG with a script is stored as SVG but only ever downloaded, sandboxed", async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>`;
    const att = await json<Att>(await stage(app, member, g.generalId, svg, "logo.svg"));
    expect(att.content_type).toBe("image/svg+xml");
    const res = await get(att);
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(res.headers.get("Content-Disposition")).toStartWith("attachment;");
    expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  test("HTML renamed .png is typed from its bytes (text/html), never shown as an image nor inline", async () => {
    const att = await json<Att>(await stage(app, member, g.generalId, "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "cute-cat.png"));
    expect(att.content_type).toBe("text/html");
    const res = await get(att);
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(res.headers.get("Content-Disposition")).toStartWith('attachment; filename="cute-cat.png"');
    const msg = await json<{ attachments: Att[] }>(await sendMultipart(app, member, g.generalId, [{ bytes: "<html><script>x()</script></html>", name: "x.png" }]));
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: member.cookie } })).text();
    expect(page).not.toContain(`<img src="/attachments/${g.generalId}/${msg.attachments[0]!.id}`);
    expect(page).toContain(`download="x.png"`);
  });

  test("an image that is not one (PNG header, garbage after) is refused as unreadable", async () => {
    const bytes = makePng(20, 20).slice(0, 40);
    const res = await stage(app, member, g.generalId, bytes, "broken.png");
    expect(res.status).toBe(400);
    expect((await json<Err>(res)).message).toBe("This file could not be read as an image.");
  });

  test("a 0-byte file is refused", async () => {
    const res = await stage(app, member, g.generalId, new Uint8Array(), "empty.txt");
    expect(res.status).toBe(400);
    expect((await json<Err>(res)).message).toBe("The file is empty.");
  });
});

describe("limits", () => {
  test("a file over the instance's size limit is a 413 that shows the limit, and the admin can change it", async () => {
    const admin = await createAccount(app, { admin: true });
    expect((await api(app, "PATCH", "/admin/instance", { max_file_size_mb: 1 }, admin.bearer)).status).toBe(200);
    expect((await json<{ max_file_size_mb: number }>(await api(app, "GET", "/admin/instance", undefined, admin.bearer))).max_file_size_mb).toBe(1);
    const big = new Uint8Array(1024 * 1024 + 1).fill(65);
    const staged = await stage(app, member, g.generalId, big, "big.txt");
    expect(staged.status).toBe(413);
    expect((await json<Err>(staged)).message).toBe("This file is larger than the 1 MB limit.");
    const multipart = await sendMultipart(app, member, g.generalId, [{ bytes: big, name: "big.txt" }]);
    expect(multipart.status).toBe(413);
    expect((await json<Err>(multipart)).message).toBe("This file is larger than the 1 MB limit.");
    // Without a Content-Length (a streamed body) the limit holds too, counted as the bytes arrive.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });
    const chunked = await app.fetch(`/channels/${g.generalId}/attachments?filename=s.txt`, { method: "POST", headers: { Origin: app.url, Cookie: member.cookie, Accept: "application/json" }, body: stream });
    expect(chunked.status).toBe(413);
    await api(app, "PATCH", "/admin/instance", { max_file_size_mb: 25 }, admin.bearer);
    expect((await stage(app, member, g.generalId, big, "big.txt")).status).toBe(201);
    expect((await api(app, "PATCH", "/admin/instance", { max_file_size_mb: 0 }, admin.bearer)).status).toBe(400);
    expect((await api(app, "PATCH", "/admin/instance", { max_file_size_mb: 5 }, member.bearer)).status).toBe(403);
  });

  test("a full storage quota is a 413 that says how much is used, counting staged files too", async () => {
    const saver = await createAccount(app);
    await g.join(saver);
    await writeSetting(app.server.queue, "storage_quota_mb", 1);
    try {
      const half = new Uint8Array(600 * 1024).fill(66);
      expect((await stage(app, saver, g.generalId, half, "one.bin")).status).toBe(201);
      const res = await stage(app, saver, g.generalId, half.fill(67), "two.bin");
      expect(res.status).toBe(413);
      expect((await json<Err>(res)).message).toBe("Your storage quota of 1 MB is used up (600 KB used).");
      // Someone else still has room.
      const other = await createAccount(app);
      await g.join(other);
      expect((await stage(app, other, g.generalId, half.fill(68), "theirs.bin")).status).toBe(201);
    } finally {
      await writeSetting(app.server.queue, "storage_quota_mb", 2048);
    }
  });

  test("files need ATTACH_FILES, and a text channel: a category or a channel you cannot see is refused", async () => {
    const outsider = await createAccount(app);
    expect((await stage(app, outsider, g.generalId, "x", "x.txt")).status).toBe(404);
    const channel = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "no-files", type: 0 }, g.owner.bearer));
    expect((await api(app, "PUT", `/channels/${channel.id}/permissions/${g.guildId}`, { type: 0, deny: String(1n << 15n) }, g.owner.bearer)).status).toBe(204);
    const res = await stage(app, member, channel.id, "x", "x.txt");
    expect(res.status).toBe(403);
    const category = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "cat", type: 4 }, g.owner.bearer));
    expect((await stage(app, g.owner, category.id, "x", "x.txt")).status).toBe(400);
  });
});
