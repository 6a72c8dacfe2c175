// The audit log records what Discord records beyond moderation proper: pins, threads, emoji,
// webhooks, channel and role reordering, the server icon and ownership transfer — each with who
// did it, the target and Discord's action type and change keys.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, json, type GuildFixture } from "../testing/guilds.ts";
import { makePng } from "../testing/images.ts";

let app: TestApp;
let g: GuildFixture;
type Entry = { action_type: number; user_id: string | null; target_id: string | null; changes: { key: string; old_value?: unknown; new_value?: unknown }[]; options?: Record<string, string> };

beforeAll(async () => {
  app = await createTestApp();
  g = await createGuildFixture(app, "Audited");
});
afterAll(() => app.close());

const auditLog = async (action: number) => (await json<{ audit_log_entries: Entry[] }>(await api(app, "GET", `/guilds/${g.guildId}/audit-logs?action_type=${action}`, undefined, g.owner.bearer))).audit_log_entries;
const change = (e: Entry | undefined, key: string) => e?.changes.find((c) => c.key === key);
const pngUri = () => `data:image/png;base64,${Buffer.from(makePng(64, 64)).toString("base64")}`;

describe("audit log coverage", () => {
  test("pinning and unpinning a message are MESSAGE_PIN (74) and MESSAGE_UNPIN (75), targeting its author", async () => {
    const msg = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/messages`, { content: "keep this" }, g.owner.bearer));
    expect((await api(app, "PUT", `/channels/${g.generalId}/pins/${msg.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await api(app, "DELETE", `/channels/${g.generalId}/pins/${msg.id}`, undefined, g.owner.bearer)).status).toBe(204);
    for (const action of [74, 75]) {
      const [e] = await auditLog(action);
      expect(e).toMatchObject({ user_id: g.owner.user.id, target_id: g.owner.user.id, options: { channel_id: g.generalId, message_id: msg.id } });
    }
  });

  test("threads created, archived and deleted are THREAD_CREATE, THREAD_UPDATE and THREAD_DELETE (110-112)", async () => {
    const thread = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/threads`, { name: "Plans" }, g.owner.bearer));
    expect((await api(app, "PATCH", `/channels/${thread.id}`, { archived: true }, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "DELETE", `/channels/${thread.id}`, undefined, g.owner.bearer)).status).toBe(200);
    const [created] = await auditLog(110);
    expect(created?.target_id).toBe(thread.id);
    expect(change(created, "name")?.new_value).toBe("Plans");
    const [updated] = await auditLog(111);
    expect(change(updated, "archived")).toEqual({ key: "archived", old_value: false, new_value: true });
    expect((await auditLog(112))[0]).toMatchObject({ target_id: thread.id, user_id: g.owner.user.id });
  });

  test("emoji created, renamed and deleted are EMOJI_CREATE, EMOJI_UPDATE and EMOJI_DELETE (60-62) with the name", async () => {
    const emoji = await json<{ id: string }>(await api(app, "POST", `/guilds/${g.guildId}/emojis`, { name: "party", image: pngUri() }, g.owner.bearer));
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/emojis/${emoji.id}`, { name: "fete" }, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "DELETE", `/guilds/${g.guildId}/emojis/${emoji.id}`, undefined, g.owner.bearer)).status).toBe(204);
    expect(change((await auditLog(60))[0], "name")?.new_value).toBe("party");
    expect(change((await auditLog(61))[0], "name")).toEqual({ key: "name", old_value: "party", new_value: "fete" });
    expect((await auditLog(62))[0]).toMatchObject({ target_id: emoji.id });
  });

  test("webhooks created, renamed and deleted are WEBHOOK_CREATE, WEBHOOK_UPDATE and WEBHOOK_DELETE (50-52)", async () => {
    const hook = await json<{ id: string }>(await api(app, "POST", `/channels/${g.generalId}/webhooks`, { name: "CI" }, g.owner.bearer));
    expect((await api(app, "PATCH", `/webhooks/${hook.id}`, { name: "Builds" }, g.owner.bearer)).status).toBe(200);
    expect((await api(app, "DELETE", `/webhooks/${hook.id}`, undefined, g.owner.bearer)).status).toBe(204);
    const [created] = await auditLog(50);
    expect(created).toMatchObject({ target_id: hook.id, user_id: g.owner.user.id });
    expect(change(created, "channel_id")?.new_value).toBe(g.generalId);
    expect(change((await auditLog(51))[0], "name")).toEqual({ key: "name", old_value: "CI", new_value: "Builds" });
    expect((await auditLog(52))[0]?.target_id).toBe(hook.id);
  });

  test("reordering channels and roles records each moved one's new position (CHANNEL_UPDATE 11, ROLE_UPDATE 31)", async () => {
    const ch = await json<{ id: string; position: number }>(await api(app, "POST", `/guilds/${g.guildId}/channels`, { name: "later" }, g.owner.bearer));
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/channels`, [{ id: ch.id, position: ch.position + 5 }], g.owner.bearer)).status).toBe(204);
    const moved = (await auditLog(11)).find((e) => e.target_id === ch.id);
    expect(change(moved, "position")).toEqual({ key: "position", old_value: ch.position, new_value: ch.position + 5 });
    await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "A" }, g.owner.bearer);
    await api(app, "POST", `/guilds/${g.guildId}/roles`, { name: "B" }, g.owner.bearer);
    // A new role goes to the bottom and pushes the others up: read where they are now.
    const list = await json<{ id: string; name: string; position: number }[]>(await api(app, "GET", `/guilds/${g.guildId}/roles`, undefined, g.owner.bearer));
    const a = list.find((r) => r.name === "A")!;
    const b = list.find((r) => r.name === "B")!;
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/roles`, [{ id: a.id, position: b.position }, { id: b.id, position: a.position }], g.owner.bearer)).status).toBe(200);
    const roleMoves = (await auditLog(31)).filter((e) => e.target_id === a.id || e.target_id === b.id);
    expect(roleMoves).toHaveLength(2);
    expect(change(roleMoves.find((e) => e.target_id === a.id), "position")).toEqual({ key: "position", old_value: a.position, new_value: b.position });
  });

  test("a new server icon and an ownership transfer are GUILD_UPDATE (1) with icon_hash and owner_id before/after", async () => {
    expect((await api(app, "PATCH", `/guilds/${g.guildId}`, { icon: pngUri() }, g.owner.bearer)).status).toBe(200);
    expect(change((await auditLog(1)).find((e) => change(e, "icon_hash")), "icon_hash")?.new_value).toEqual(expect.any(String));
    const heir: TestAccount = await createAccount(app);
    await g.join(heir);
    expect((await api(app, "PATCH", `/guilds/${g.guildId}`, { owner_id: heir.user.id }, g.owner.bearer)).status).toBe(200);
    const transfer = (await json<{ audit_log_entries: Entry[] }>(await api(app, "GET", `/guilds/${g.guildId}/audit-logs?action_type=1`, undefined, heir.bearer))).audit_log_entries.find((e) => change(e, "owner_id"));
    expect(transfer).toMatchObject({ user_id: g.owner.user.id, target_id: g.guildId });
    expect(change(transfer, "owner_id")).toEqual({ key: "owner_id", old_value: g.owner.user.id, new_value: heir.user.id });
  });
});
