// Discord's message API around files: embeds in a multipart send's payload_json.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { sendMultipart } from "../testing/files.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Edits");
  member = await createAccount(app);
  await g.join(member);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Att = { id: string; filename: string; content_type: string };
type Msg = { id: string; content: string; attachments: Att[]; embeds: { title?: string; description?: string }[] };
type Err = { message: string; errors?: unknown };
const blobOf = (bytes: Uint8Array | string) => {
  const sha = new Bun.CryptoHasher("sha256").update(bytes as Uint8Array<ArrayBuffer>).digest("hex");
  return join(app.dataDir, "files", sha.slice(0, 2), sha);
};
const patch = (id: string, body: unknown, who = member) => api(app, "PATCH", `/channels/${g.generalId}/messages/${id}`, body, who.bearer);
const fetchMsg = async (id: string) => json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${id}`, undefined, member.bearer));

describe("embeds in a multipart send", () => {
  test("embeds in payload_json are stored with the files, and invalid ones are refused with nothing sent", async () => {
    const res = await sendMultipart(app, member, g.generalId, [{ bytes: makePng(20, 20), name: "chart.png" }], { content: "report", embeds: [{ title: "Weekly report", description: "All green" }] });
    expect(res.status).toBe(200);
    const msg = await json<Msg>(res);
    expect(msg.embeds).toEqual([expect.objectContaining({ type: "rich", title: "Weekly report", description: "All green" })]);
    expect(msg.attachments.map((a) => a.filename)).toEqual(["chart.png"]);
    expect((await fetchMsg(msg.id)).embeds[0]!.title).toBe("Weekly report");

    const before = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, member.bearer));
    const bad = await sendMultipart(app, member, g.generalId, [{ bytes: "x", name: "x.txt" }], { embeds: [{ title: "t".repeat(257) }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json<Err>(bad))).toContain("embeds.0.title");
    const after = await json<Msg[]>(await api(app, "GET", `/channels/${g.generalId}/messages?limit=1`, undefined, member.bearer));
    expect(after[0]!.id).toBe(before[0]!.id);
  });

  test("a multipart send with embeds and no text or files is a message", async () => {
    const res = await sendMultipart(app, member, g.generalId, [], { embeds: [{ description: "Only an embed" }] });
    expect(res.status).toBe(200);
    expect((await json<Msg>(res)).embeds[0]!.description).toBe("Only an embed");
  });
});
