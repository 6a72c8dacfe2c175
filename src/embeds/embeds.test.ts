// Embeds sent with messages through the API: Discord's limits, storage, the page, suppressing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let other: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Embedders");
  other = await createAccount(app);
  await g.join(other);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

type Msg = { id: string; content: string; flags: number; embeds: { type: string; title?: string; description?: string; fields?: unknown[]; image?: { url: string; proxy_url: string }; color?: number }[] };
const send = (body: unknown, who = g.owner) => api(app, "POST", `/channels/${g.generalId}/messages`, body, who.bearer);

describe("embeds on messages", () => {
  test("a message can carry a rich embed and no text; the API returns it with a proxied image", async () => {
    const res = await send({ embeds: [{ title: "Release 1.0", description: "Notes", color: 0x3366ff, fields: [{ name: "Size", value: "12 MB", inline: true }], image: { url: "https://example.com/a.png" } }] });
    expect(res.status).toBe(200);
    const msg = await json<Msg>(res);
    expect(msg.content).toBe("");
    expect(msg.embeds).toHaveLength(1);
    expect(msg.embeds[0]).toMatchObject({ type: "rich", title: "Release 1.0", color: 0x3366ff, fields: [{ name: "Size", value: "12 MB", inline: true }] });
    expect(msg.embeds[0]!.image!.proxy_url).toStartWith(`${app.url}/previews/image?url=https%3A%2F%2Fexample.com%2Fa.png&sig=`);
    const again = await json<Msg>(await api(app, "GET", `/channels/${g.generalId}/messages/${msg.id}`, undefined, other.bearer));
    expect(again.embeds[0]!.title).toBe("Release 1.0");
  });

  test("Discord's limits are enforced with a 400 naming the field", async () => {
    const long = (n: number) => "x".repeat(n);
    const bad: unknown[] = [
      [{ title: long(257) }],
      [{ description: long(4097) }],
      [{ title: "t", fields: Array.from({ length: 26 }, () => ({ name: "n", value: "v" })) }],
      [{ fields: [{ name: long(257), value: "v" }] }],
      [{ fields: [{ name: "n", value: long(1025) }] }],
      [{ footer: { text: long(2049) } }],
      [{ author: { name: long(257) } }],
      Array.from({ length: 11 }, () => ({ title: "t" })),
      [{ description: long(4000) }, { description: long(2001) }],
      [{ url: "javascript:alert(1)", title: "t" }],
      [{ image: { url: "data:image/png;base64,AAAA" } }],
      [{}],
      [{ title: { nested: true } }],
      "not a list",
    ];
    for (const embeds of bad) {
      const res = await send({ content: "x", embeds });
      expect(res.status).toBe(400);
      expect((await json<{ code: number }>(res)).code).toBe(50035);
    }
    expect((await send({ content: "", embeds: [] })).status).toBe(400);
  });

  test("embed text is shown escaped on the page, inside hx-ignore", async () => {
    const msg = await json<Msg>(await send({ content: "see", embeds: [{ title: "<script>alert(1)</script>", description: '<img src=x onerror="alert(1)"> hx-get="/x"' }] }));
    const page = await (await app.fetch(`/channels/${g.guildId}/${g.generalId}`, { headers: { Cookie: g.owner.cookie } })).text();
    const article = page.slice(page.indexOf(`id="m-${msg.id}"`));
    expect(article).toContain('<div class="embeds" hx-ignore="">');
    expect(article).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(article).not.toContain("<script>alert(1)");
    expect(article).not.toContain("<img src=x");
  });

  test("the author replaces embeds with PATCH; someone else cannot", async () => {
    const msg = await json<Msg>(await send({ content: "v1", embeds: [{ title: "one" }] }));
    const path = `/channels/${g.generalId}/messages/${msg.id}`;
    expect((await api(app, "PATCH", path, { embeds: [{ title: "hacked" }] }, other.bearer)).status).toBe(403);
    const edited = await json<Msg>(await api(app, "PATCH", path, { embeds: [{ title: "two" }, { title: "three" }] }, g.owner.bearer));
    expect(edited.embeds.map((e) => e.title)).toEqual(["two", "three"]);
    expect(edited.content).toBe("v1");
  });

  test("SUPPRESS_EMBEDS (flags 1 << 2) hides the embeds until it is cleared", async () => {
    const msg = await json<Msg>(await send({ content: "hide me", embeds: [{ title: "visible" }] }));
    const path = `/channels/${g.generalId}/messages/${msg.id}`;
    expect((await api(app, "PATCH", path, { flags: 4 }, other.bearer)).status).toBe(403);
    const hidden = await json<Msg>(await api(app, "PATCH", path, { flags: 4 }, g.owner.bearer));
    expect(hidden.flags).toBe(4);
    expect(hidden.embeds).toEqual([]);
    const shown = await json<Msg>(await api(app, "PATCH", path, { flags: 0 }, g.owner.bearer));
    expect(shown.flags).toBe(0);
    expect(shown.embeds.map((e) => e.title)).toEqual(["visible"]);
  });
});
