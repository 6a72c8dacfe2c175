// Notification settings decide who hears about a message: a muted channel, "only mentions",
// suppressed @everyone and role mentions, "every message", DMs and do-not-disturb.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { findMessage } from "../messages/service.ts";
import { setPresence } from "../presence/service.ts";
import { api, createAccount, postForm, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { decide } from "./deliver.ts";

let app: TestApp;
let g: GuildFixture;
let reader: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Quiet");
  reader = await createAccount(app, { displayName: "Reader" });
  await g.join(reader);
  await writeSetting(app.server.queue, "message_rate_limit", 0);
});
afterAll(() => app.close());

/** Send as the owner and ask who would be notified. */
async function notified(content: string, channelId = g.generalId, guildId: string | null = g.guildId): Promise<Map<string, string>> {
  const sent = await json<{ id: string }>(await api(app, "POST", `/channels/${channelId}/messages`, { content }, g.owner.bearer));
  return decide(app.server.core, findMessage(app.server.core, channelId, sent.id), guildId);
}
const scope = (id: string, fields: Record<string, string>) => postForm(app, `/settings/notifications/scope/${id}`, { level: "", mute: "keep", suppress_everyone: "", suppress_roles: "", ...fields }, reader.cookie);

describe("notification settings", () => {
  test("by default a server notifies of mentions only, and a muted channel notifies of nothing until unmuted", async () => {
    expect((await notified("just chatting")).has(reader.user.id)).toBe(false);
    expect((await notified(`hi <@${reader.user.id}>`)).get(reader.user.id)).toBe("mention");
    const res = await scope(g.generalId, { mute: "60" });
    expect(res.status).toBe(303);
    expect((await notified(`hi <@${reader.user.id}>`)).has(reader.user.id)).toBe(false);
    // The page says until when.
    expect(await (await app.fetch(`/settings/notifications/guilds/${g.guildId}`, { headers: { Cookie: reader.cookie } })).text()).toContain("Muted until");
    await scope(g.generalId, { mute: "off" });
    expect((await notified(`hi <@${reader.user.id}>`)).get(reader.user.id)).toBe("mention");
  });

  test("muting a whole server until turned back on silences its channels", async () => {
    await scope(g.guildId, { level: "mentions", mute: "0", suppress_everyone: "0", suppress_roles: "0" });
    expect((await notified(`hi <@${reader.user.id}>`)).has(reader.user.id)).toBe(false);
    expect(await (await app.fetch("/settings/notifications", { headers: { Cookie: reader.cookie } })).text()).toContain("Muted until you turn it back on.");
    await scope(g.guildId, { level: "mentions", mute: "off", suppress_everyone: "0", suppress_roles: "0" });
    expect((await notified(`hi <@${reader.user.id}>`)).has(reader.user.id)).toBe(true);
  });

  test("suppressing @everyone and role mentions silences them but not a direct mention", async () => {
    const role = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "crew", mentionable: true }, g.owner.bearer));
    await api(app, "PUT", `/guilds/${g.guildId}/members/${reader.user.id}/roles/${role.id}`, undefined, g.owner.bearer);
    expect((await notified("@everyone lunch")).get(reader.user.id)).toBe("mention");
    expect((await notified(`<@&${role.id}> lunch`)).get(reader.user.id)).toBe("mention");
    await scope(g.guildId, { level: "mentions", mute: "off", suppress_everyone: "1", suppress_roles: "1" });
    expect((await notified("@everyone lunch")).has(reader.user.id)).toBe(false);
    expect((await notified(`<@&${role.id}> lunch`)).has(reader.user.id)).toBe(false);
    expect((await notified(`@everyone <@${reader.user.id}> lunch`)).get(reader.user.id)).toBe("mention");
    // A channel may bring @everyone back for itself.
    await scope(g.generalId, { suppress_everyone: "0" });
    expect((await notified("@everyone lunch")).get(reader.user.id)).toBe("mention");
    await scope(g.generalId, {});
    await scope(g.guildId, { level: "mentions", mute: "off", suppress_everyone: "0", suppress_roles: "0" });
  });

  test("every message for one channel, nothing for another", async () => {
    const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "random", type: 0 }, g.owner.bearer));
    // A message before the choice: the server's memory of who chose "every message" must follow the change.
    expect((await notified("before the choice")).has(reader.user.id)).toBe(false);
    await scope(g.generalId, { level: "all" });
    await scope(other.id, { level: "nothing" });
    expect((await notified("plain words")).get(reader.user.id)).toBe("all");
    expect((await notified(`<@${reader.user.id}> even a mention`, other.id)).has(reader.user.id)).toBe(false);
    await scope(g.generalId, {});
    await scope(other.id, {});
    expect((await notified("plain words")).has(reader.user.id)).toBe(false);
  });

  test("a thread follows its parent channel's choices", async () => {
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "side talk", type: 11 }, g.owner.bearer));
    expect((await notified(`<@${reader.user.id}> in the thread`, thread.id)).get(reader.user.id)).toBe("mention");
    await scope(g.generalId, { mute: "15" });
    expect((await notified(`<@${reader.user.id}> in the thread`, thread.id)).has(reader.user.id)).toBe(false);
    await scope(g.generalId, { mute: "off" });
  });

  test("DMs notify unless turned off, and do-not-disturb silences everything", async () => {
    const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: reader.user.id }, g.owner.bearer));
    expect((await notified("psst", dm.id, null)).get(reader.user.id)).toBe("dm");
    expect((await postForm(app, "/settings/notifications/prefs", { sound: "1" }, reader.cookie)).status).toBe(303);
    expect((await notified("psst", dm.id, null)).has(reader.user.id)).toBe(false);
    await postForm(app, "/settings/notifications/prefs", { dm_notify: "1", sound: "1" }, reader.cookie);
    await setPresence(app.server.core, reader.user.id, { status: "dnd" });
    expect((await notified("psst", dm.id, null)).has(reader.user.id)).toBe(false);
    expect((await notified(`<@${reader.user.id}>`)).has(reader.user.id)).toBe(false);
    await setPresence(app.server.core, reader.user.id, { status: "online" });
    expect((await notified(`<@${reader.user.id}>`)).get(reader.user.id)).toBe("mention");
  });

  test("a bad choice is refused with a clear error, and nobody can set another person's channel they cannot see", async () => {
    const bad = await postForm(app, `/settings/notifications/scope/${g.generalId}`, { level: "loud", mute: "keep" }, reader.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose all messages, only mentions or nothing.");
    const badMute = await postForm(app, `/settings/notifications/scope/${g.generalId}`, { level: "", mute: "7" }, reader.cookie);
    expect(badMute.status).toBe(400);
    const outsider = await createAccount(app);
    expect((await postForm(app, `/settings/notifications/scope/${g.generalId}`, { level: "all", mute: "keep" }, outsider.cookie)).status).toBe(404);
  });
});
