// Custom emoji through the real app: the API, the upload rules, the images, messages and reactions.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { hugePngHeader, makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
let other: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Emoji Home");
  other = await createGuildFixture(app, "Elsewhere");
  member = await createAccount(app);
  await g.join(member);
  await other.join(g.owner);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const dataUri = (bytes: Uint8Array, type = "png") => `data:image/${type};base64,${Buffer.from(bytes).toString("base64")}`;
// A GIF of two 1x1 frames (animated) and one of a single frame, written byte by byte.
const gifHead = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0];
const gifFrame = [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0];
const animatedGif = new Uint8Array([...gifHead, ...gifFrame, ...gifFrame, 0x3b]);
const staticGif = new Uint8Array([...gifHead, ...gifFrame, 0x3b]);

type Emoji = { id: string; name: string; animated: boolean };
const create = (guild: GuildFixture, name: string, image: string, who = guild.owner) => api(app, "POST", `/guilds/${guild.guildId}/emojis`, { name, image }, who.bearer);

describe("custom emoji", () => {
  test("a manager uploads, lists, renames and deletes an emoji; a member without MANAGE_GUILD_EXPRESSIONS cannot", async () => {
    expect((await create(g, "nope", dataUri(makePng(32, 32)), member)).status).toBe(403);
    const res = await create(g, "party_time", dataUri(makePng(300, 200)));
    expect(res.status).toBe(201);
    const emoji = await json<Emoji>(res);
    expect(emoji).toMatchObject({ name: "party_time", animated: false });
    const list = await json<Emoji[]>(await api(app, "GET", `/guilds/${g.guildId}/emojis`, undefined, member.bearer));
    expect(list.map((e) => e.name)).toEqual(["party_time"]);
    const image = await app.fetch(`/emojis/${emoji.id}.webp`);
    expect(image.headers.get("content-type")).toBe("image/webp");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(image.headers.get("content-security-policy")).toContain("sandbox");
    const meta = await new Bun.Image(new Uint8Array(await image.arrayBuffer())).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(128);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/emojis/${emoji.id}`, { name: "fiesta" }, member.bearer)).status).toBe(403);
    expect((await json<Emoji>(await api(app, "PATCH", `/guilds/${g.guildId}/emojis/${emoji.id}`, { name: "fiesta" }, g.owner.bearer))).name).toBe("fiesta");
    expect((await api(app, "DELETE", `/guilds/${g.guildId}/emojis/${emoji.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await app.fetch(`/emojis/${emoji.id}.webp`)).status).toBe(404);
    expect((await api(app, "GET", `/guilds/${other.guildId}/emojis`, undefined, member.bearer)).status).toBe(404);
  });

  test("names are 2-32 letters, digits or underscores, unique in the server", async () => {
    for (const bad of ["a", "x".repeat(33), "has space", "dé", "<script>", "../x"]) expect((await create(g, bad, dataUri(makePng(8, 8)))).status).toBe(400);
    expect((await create(g, "taken", dataUri(makePng(8, 8)))).status).toBe(201);
    expect((await create(g, "taken", dataUri(makePng(8, 8)))).status).toBe(409);
  });

  test("bad images are refused: HTML as PNG, SVG, a 20000x20000 header, 0 bytes, over 256 KiB", async () => {
    const bad = [dataUri(new TextEncoder().encode("<html><script>alert(1)</script></html>")), `data:image/svg+xml;base64,${btoa("<svg onload=alert(1)>")}`, dataUri(hugePngHeader(20000, 20000)), "data:image/png;base64,", dataUri(new Uint8Array(300 * 1024).fill(1))];
    for (const image of bad) expect([400, 413]).toContain((await create(g, "bad_one", image)).status);
    expect((await create(g, "bad_one", dataUri(new Uint8Array(300 * 1024).fill(1)))).status).toBe(413);
  });

  test("an animated GIF stays animated and is served as a GIF; a one-frame GIF becomes a static WebP", async () => {
    const moving = await json<Emoji>(await create(g, "wave", dataUri(animatedGif, "gif")));
    expect(moving.animated).toBe(true);
    const served = await app.fetch(`/emojis/${moving.id}.gif`);
    expect(served.headers.get("content-type")).toBe("image/gif");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(animatedGif);
    const still = await json<Emoji>(await create(g, "still", dataUri(staticGif, "gif")));
    expect(still.animated).toBe(false);
    expect((await app.fetch(`/emojis/${still.id}.webp`)).headers.get("content-type")).toBe("image/webp");
  });

  test(":name: in a message becomes <:name:id> for this server's emoji and renders as its image", async () => {
    const e = await json<Emoji>(await create(g, "blob", dataUri(makePng(16, 16))));
    const msg = await json<{ id: string; content: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "hi :blob: and `:blob:` and :smile:" }, member.bearer));
    expect(msg.content).toBe(`hi <:blob:${e.id}> and \`:blob:\` and :smile:`);
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: member.cookie } })).text();
    expect(page).toContain(`<img class="emoji custom-emoji" src="/emojis/${e.id}.webp" alt=":blob:"`);
  });

  test("another server's emoji needs USE_EXTERNAL_EMOJIS there, otherwise it stays text; an unknown one is text", async () => {
    const e = await json<Emoji>(await create(g, "export_me", dataUri(makePng(16, 16))));
    const otherChannel = other.generalId;
    const sendThere = async (content: string) => (await json<{ content: string }>(await api(app, "POST", `/channels/${otherChannel}/messages`, { content }, g.owner.bearer))).content;
    expect(await sendThere(`<:export_me:${e.id}>`)).toBe(`<:export_me:${e.id}>`);
    // @everyone of the other server loses USE_EXTERNAL_EMOJIS (VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, ADD_REACTIONS left).
    const perms = ((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 6n)).toString();
    expect((await api(app, "PATCH", `/guilds/${other.guildId}/roles/${other.guildId}`, { permissions: perms }, other.owner.bearer)).status).toBe(200);
    expect(await sendThere(`<:export_me:${e.id}>`)).toBe(":export_me:");
    expect(await sendThere("<:ghost:123456789>")).toBe(":ghost:");
    const target = await json<{ id: string }>(await api(app, "POST", `/channels/${otherChannel}/messages`, { content: "react" }, other.owner.bearer));
    const react = (emoji: string) => api(app, "PUT", `/channels/${otherChannel}/messages/${target.id}/reactions/${encodeURIComponent(emoji)}/@me`, undefined, g.owner.bearer);
    expect((await react(`export_me:${e.id}`)).status).toBe(400);
    const home = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "react here" }, g.owner.bearer));
    expect((await api(app, "PUT", `/channels/${g.generalId}/messages/${home.id}/reactions/${encodeURIComponent(`export_me:${e.id}`)}/@me`, undefined, member.bearer)).status).toBe(204);
  });

  test("the settings page uploads through a form, and the picker search finds custom and unicode emoji", async () => {
    const form = new FormData();
    form.append("name", "from_form");
    form.append("image", new File([makePng(20, 20) as Uint8Array<ArrayBuffer>], "e.png", { type: "image/png" }));
    const res = await app.fetch(`/guilds/${g.guildId}/emojis`, { method: "POST", body: form, headers: { Origin: app.url, Cookie: g.owner.cookie } });
    expect(res.status).toBe(303);
    const page = await (await app.fetch(`/guilds/${g.guildId}/settings/emoji`, { headers: { Cookie: g.owner.cookie } })).text();
    expect(page).toContain('value="from_form"');
    expect((await app.fetch(`/guilds/${g.guildId}/settings/emoji`, { headers: { Cookie: member.cookie } })).status).toBe(403);
    const found = await json<{ kind: string; name: string }[]>(await app.fetch(`/emojis/search?channel=${g.generalId}&q=from_fo`, { headers: { Cookie: member.cookie } }));
    expect(found[0]).toMatchObject({ kind: "custom", name: "from_form" });
    const unicode = await json<{ kind: string; name: string; emoji?: string }[]>(await app.fetch(`/emojis/search?channel=${g.generalId}&q=tada`, { headers: { Cookie: member.cookie } }));
    expect(unicode.some((e) => e.emoji === "🎉")).toBe(true);
    expect((await postForm(app, `/guilds/${g.guildId}/emojis/123/delete`, {}, member.cookie)).status).toBe(403);
  });
});
