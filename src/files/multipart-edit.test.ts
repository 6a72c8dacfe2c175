// Discord's message API around files: embeds in a multipart send's payload_json, and editing a
// message with files (its text may be cleared; PATCH `attachments` lists the files to keep).
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

describe("editing a message with files", () => {
  test("its text can be cleared while it has files, not once it has none", async () => {
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: "keep me\n", name: "keep.txt" }], { content: "caption" }));
    const res = await patch(msg.id, { content: "" });
    expect(res.status).toBe(200);
    expect(await json<Msg>(res)).toMatchObject({ content: "", attachments: [{ filename: "keep.txt" }] });
    // The page's edit form too.
    const form = await postForm(app, `/channels/${g.generalId}/messages/${msg.id}/edit`, { content: "  " }, member.cookie);
    expect(form.status).toBeLessThan(400);
    // Removing the last file of a message without text would leave it empty: refused, nothing lost.
    const empty = await patch(msg.id, { attachments: [] });
    expect(empty.status).toBe(400);
    expect((await json<Err>(empty)).message).toBe("A message cannot be empty.");
    expect((await fetchMsg(msg.id)).attachments).toHaveLength(1);
    // A message without files still needs text.
    const plain = await json<Msg>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "words" }, member.bearer));
    expect((await patch(plain.id, { content: "" })).status).toBe(400);
  });

  test("PATCH attachments keeps the files listed, removes the others (their stored copies go), and refuses ids that are not the message's", async () => {
    const files = [{ bytes: "first file\n", name: "one.txt" }, { bytes: "second file\n", name: "two.txt" }, { bytes: "third file\n", name: "three.txt" }];
    const msg = await json<Msg>(await sendMultipart(app, member, g.generalId, files, { content: "three" }));
    const [one, two, three] = msg.attachments;
    const other = await json<Msg>(await sendMultipart(app, member, g.generalId, [{ bytes: "elsewhere\n", name: "other.txt" }], { content: "other" }));
    expect((await patch(msg.id, { attachments: [{ id: one!.id }, { id: other.attachments[0]!.id }] })).status).toBe(400);
    expect((await patch(msg.id, { attachments: [{ id: one!.id }] }, g.owner)).status).toBe(403);
    expect((await fetchMsg(msg.id)).attachments).toHaveLength(3);

    const res = await patch(msg.id, { attachments: [{ id: three!.id, filename: "three.txt" }, { id: one!.id }] });
    expect(res.status).toBe(200);
    const edited = await json<Msg & { edited_timestamp: string | null }>(res);
    expect(edited.content).toBe("three");
    expect(edited.attachments.map((a) => a.id)).toEqual([one!.id, three!.id]);
    expect(edited.edited_timestamp).not.toBeNull();
    expect((await app.fetch(new URL((two as Att & { url: string }).url).pathname, { headers: { Cookie: member.cookie } })).status).toBe(404);
    for (let i = 0; i < 50 && existsSync(blobOf("second file\n")); i++) await Bun.sleep(20);
    expect(existsSync(blobOf("second file\n"))).toBe(false);
    expect(existsSync(blobOf("first file\n"))).toBe(true);

    // Text and files in one edit: every file removed, new text.
    const both = await patch(msg.id, { content: "no files now", attachments: [] });
    expect(await json<Msg>(both)).toMatchObject({ content: "no files now", attachments: [] });
  });
});
