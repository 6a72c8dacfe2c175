// Unread channels and mention counts: who is mentioned, when a channel counts as read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";

let app: TestApp;
let g: GuildFixture;
let reader: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Readers");
  reader = await createAccount(app, { displayName: "Reader" });
  await g.join(reader);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

const page = async (path: string, who: TestAccount) => (await app.fetch(path, { headers: { Cookie: who.cookie } })).text();

describe("read state", () => {
  test("a channel with new messages is unread until it is opened; mentions show as badges on the channel and the rail", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "news", type: 0 }, g.owner.bearer));
    await api(app, "POST", `/channels/${other.id}/messages`, { content: "plain news" }, g.owner.bearer);
    await api(app, "POST", `/channels/${other.id}/messages`, { content: `hey <@${reader.user.id}>` }, g.owner.bearer);
    await api(app, "POST", `/channels/${other.id}/messages`, { content: `again <@${reader.user.id}> and <@${g.owner.user.id}>` }, g.owner.bearer);
    const general = await page(`/channels/${g.guildId}/${g.generalId}`, reader);
    expect(general).toContain(`<i id="unread-${other.id}" class="unread-flag on">`);
    expect(general).toContain('aria-label="2 mentions">2</span>');
    expect(general).toContain(`<span id="rail-mentions-${g.guildId}" class="rail-badge">2</span>`);
    // The author is not mentioned by their own message.
    expect(await page(`/channels/${g.guildId}/${g.generalId}`, g.owner)).not.toContain('aria-label="1 mentions"');
    // Opening the channel reads it.
    await page(`/channels/${g.guildId}/${other.id}`, reader);
    const after = await page(`/channels/${g.guildId}/${g.generalId}`, reader);
    expect(after).toContain(`<i id="unread-${other.id}" class="unread-flag">`);
    expect(after).toContain(`<span id="rail-mentions-${g.guildId}" class="rail-badge" hidden=""></span>`);
  });

  test("the open tab acknowledges live messages, and a read marker never moves backwards", async () => {
    const first = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "one" }, g.owner.bearer));
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "two" }, g.owner.bearer);
    expect((await postForm(app, `/channels/${g.generalId}/ack`, {}, reader.cookie)).status).toBe(204);
    expect((await postForm(app, `/channels/${g.generalId}/ack`, { message_id: first.id }, reader.cookie)).status).toBe(204);
    const other = await page(`/channels/${g.guildId}/${g.generalId}`, reader);
    expect(other).not.toContain(`<i id="unread-${g.generalId}" class="unread-flag on">`);
    const outsider = await createAccount(app);
    expect((await postForm(app, `/channels/${g.generalId}/ack`, {}, outsider.cookie)).status).toBe(404);
  });

  test("every message in a DM counts as a mention for the other person until they open it", async () => {
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: reader.user.id }, g.owner.bearer));
    await api(app, "POST", `/channels/${dm.id}/messages`, { content: "psst" }, g.owner.bearer);
    await api(app, "POST", `/channels/${dm.id}/messages`, { content: "psst again" }, g.owner.bearer);
    const home = await page("/", reader);
    expect(home).toContain('aria-label="2 mentions">2</span>');
    await page(`/channels/@me/${dm.id}`, reader);
    expect(await page("/", reader)).not.toContain('aria-label="2 mentions"');
  });
});

describe("who a message mentions", () => {
  const mentionsOf = async (who: TestAccount, channelId: string) => {
    const html = await page(`/channels/${g.guildId}/${g.generalId}`, who);
    return Number(new RegExp(`id="mentions-${channelId}" class="mention-badge"[^>]*>(\\d*)<`).exec(html)?.[1] || 0);
  };

  test("@everyone and @here count for everyone who can see the channel only when the author may mention everyone; roles count when mentionable", async () => {
    const room = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "announcements", type: 0 }, g.owner.bearer));
    const plain = await createAccount(app);
    await g.join(plain);
    // A member without MENTION_EVERYONE: @everyone is just text.
    await api(app, "PUT", `/channels/${room.id}/permissions/${plain.user.id}`, { type: 1, deny: "131072" }, g.owner.bearer);
    await api(app, "POST", `/channels/${room.id}/messages`, { content: "@everyone look" }, plain.bearer);
    expect(await mentionsOf(reader, room.id)).toBe(0);
    // The owner may: everyone who can see the channel is mentioned, the author is not.
    await api(app, "POST", `/channels/${room.id}/messages`, { content: "@everyone look now" }, g.owner.bearer);
    expect(await mentionsOf(reader, room.id)).toBe(1);
    expect(await mentionsOf(plain, room.id)).toBe(1);
    // @here: only people connected now (nobody has a tab open here).
    await api(app, "POST", `/channels/${room.id}/messages`, { content: "@here anyone?" }, g.owner.bearer);
    expect(await mentionsOf(reader, room.id)).toBe(1);
    // A role: its holders, when it is mentionable (or the author has MENTION_EVERYONE).
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "readers", mentionable: false }, g.owner.bearer));
    await api(app, "PUT", `/guilds/${g.guildId}/members/${reader.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
    await api(app, "POST", `/channels/${room.id}/messages`, { content: `<@&${role.id}> hi` }, plain.bearer);
    expect(await mentionsOf(reader, room.id)).toBe(1);
    await api(app, "POST", `/channels/${room.id}/messages`, { content: `<@&${role.id}> hi` }, g.owner.bearer);
    expect(await mentionsOf(reader, room.id)).toBe(2);
    await api(app, "PATCH", `/guilds/${g.guildId}/roles/${role.id}`, { mentionable: true }, g.owner.bearer);
    await api(app, "POST", `/channels/${room.id}/messages`, { content: `<@&${role.id}> again` }, plain.bearer);
    expect(await mentionsOf(reader, room.id)).toBe(3);
  });

  test("someone who cannot see the channel is not counted as mentioned there", async () => {
    const hidden = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "staff", type: 0 }, g.owner.bearer));
    await api(app, "PUT", `/channels/${hidden.id}/permissions/${reader.user.id}`, { type: 1, deny: "1024" }, g.owner.bearer);
    await api(app, "POST", `/channels/${hidden.id}/messages`, { content: `<@${reader.user.id}> @everyone` }, g.owner.bearer);
    const rows = app.server.db.reader.query<{ n: number }, [bigint, bigint]>("SELECT count(*) AS n FROM read_states WHERE user_id = ? AND channel_id = ?").get(BigInt(reader.user.id), BigInt(hidden.id));
    expect(Number(rows?.n)).toBe(0);
  });
});

describe("live read state", () => {
  async function tab(who: TestAccount, query: string) {
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/ws?${query}`, { headers: { Cookie: who.cookie, Origin: app.url } } as never);
    const frames: string[] = [];
    ws.onmessage = (e) => frames.push(String(e.data));
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const next = async (match: (f: string) => boolean) => {
      for (let i = 0; i < 60; i++) {
        const found = frames.find(match);
        if (found) return found;
        await Bun.sleep(50);
      }
      throw new Error(`no frame matched: ${frames.map((f) => f.slice(0, 120)).join(" | ")}`);
    };
    return { ws, frames, next };
  }

  test("a message marks the channel unread for tabs on the server with one shared fragment; a mention and a read reach only that user's tabs", async () => {
    const room = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "live-unread", type: 0 }, g.owner.bearer));
    const onServer = await tab(reader, `channel=${g.generalId}`);
    const elsewhere = await tab(reader, "");
    const bystander = await createAccount(app);
    await g.join(bystander);
    const other = await tab(bystander, `channel=${g.generalId}`);
    await api(app, "POST", `/channels/${room.id}/messages`, { content: "news" }, g.owner.bearer);
    const shared = `<hx-partial hx-target="#unread-${room.id}" hx-swap="outerHTML"><i id="unread-${room.id}" class="unread-flag on"></i></hx-partial>`;
    expect(await onServer.next((f) => f === shared)).toBe(shared);
    expect(await other.next((f) => f === shared)).toBe(shared);
    // A tab elsewhere lights the server on its rail (the channel is visible to the whole server).
    expect(await elsewhere.next((f) => f.includes(`#rail-unread-${g.guildId}`))).toContain('class="unread-flag on"');

    await api(app, "POST", `/channels/${room.id}/messages`, { content: `<@${reader.user.id}> look` }, g.owner.bearer);
    const badge = await elsewhere.next((f) => f.includes(`id="mentions-${room.id}"`) && f.includes(">1<"));
    expect(badge).toContain(`<span id="rail-mentions-${g.guildId}" class="rail-badge">`);
    await onServer.next((f) => f.includes(`id="mentions-${room.id}"`) && f.includes(">1<"));
    expect(other.frames.some((f) => f.includes(`mentions-${room.id}`))).toBe(false);

    // Reading it in one tab (the ack of an open tab) clears it in the others.
    expect((await postForm(app, `/channels/${room.id}/ack`, {}, reader.cookie)).status).toBe(204);
    const cleared = await elsewhere.next((f) => f.includes(`<i id="unread-${room.id}" class="unread-flag"></i>`));
    expect(cleared).toContain(`<span id="mentions-${room.id}" class="mention-badge" hidden=""></span>`);
    for (const t of [onServer, elsewhere, other]) t.ws.close();
  });

  test("a private channel's activity reaches only tabs that may see it", async () => {
    const secret = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "private-live", type: 0 }, g.owner.bearer));
    await api(app, "PUT", `/channels/${secret.id}/permissions/${g.guildId}`, { type: 0, deny: "1024" }, g.owner.bearer);
    const outsideTab = await tab(reader, `channel=${g.generalId}`);
    const homeTab = await tab(reader, "");
    await api(app, "POST", `/channels/${secret.id}/messages`, { content: "psst" }, g.owner.bearer);
    await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "marker" }, g.owner.bearer);
    await outsideTab.next((f) => f.includes("marker"));
    await Bun.sleep(100);
    expect([...outsideTab.frames, ...homeTab.frames].some((f) => f.includes(secret.id))).toBe(false);
    outsideTab.ws.close();
    homeTab.ws.close();
  });
});
