// Imported mentions are real mentions: the importer records them (message_mentions and the
// mention badge) for the matched or created account, so they are highlighted, listed in the
// message's `mentions` and counted, as if they had been sent here.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { json } from "../testing/guilds.ts";

let app: TestApp;
let admin: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  admin = await createAccount(app, { admin: true });
});
afterAll(() => app.close());

type Job = { id: string; status: string; error: string | null; result: Record<string, unknown> | null };
async function importFile(bytes: Uint8Array, name: string): Promise<string> {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  const res = await app.fetch("/api/v10/admin/imports", { method: "POST", body: form, headers: admin.bearer });
  expect(res.status).toBe(202);
  let job = await json<Job>(res);
  for (let i = 0; i < 400 && ["queued", "running"].includes(job.status); i++) {
    await Bun.sleep(25);
    job = await json<Job>(await api(app, "GET", `/admin/jobs/${job.id}`, undefined, admin.bearer));
  }
  expect(job.error).toBeNull();
  return String(job.result!.guild_id);
}
const rows = (sql: string, ...p: bigint[]) => app.server.db.reader.query(sql).all(...p) as Record<string, unknown>[];
const mentionsIn = (guildId: string) =>
  rows("SELECT m.content, mm.user_id FROM message_mentions mm JOIN messages m ON m.id = mm.message_id JOIN channels c ON c.id = m.channel_id WHERE c.guild_id = ?", BigInt(guildId)) as { content: string; user_id: bigint }[];
const badge = (userId: bigint | string, guildId: string) =>
  Number((rows("SELECT coalesce(sum(r.mention_count), 0) AS n FROM read_states r JOIN channels c ON c.id = r.channel_id WHERE r.user_id = ? AND c.guild_id = ?", BigInt(userId), BigInt(guildId))[0] as { n: bigint }).n);

function dirZip(dir: string, prefix = ""): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) Object.assign(out, dirZip(join(dir, e.name), `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = readFileSync(join(dir, e.name));
  }
  return out;
}

const person = (id: string, name: string, nickname: string | null = null) => ({ id, name, discriminator: "0000", nickname, isBot: false, avatarUrl: "" });
const dceMessage = (id: string, author: ReturnType<typeof person>, content: string, mentions: ReturnType<typeof person>[]) => ({ id, type: "Default", timestamp: `2025-12-01T09:0${id.slice(-1)}:00+00:00`, timestampEdited: null, isPinned: false, content, author, attachments: [], embeds: [], stickers: [], reactions: [], mentions });

describe("mentions in imports", () => {
  test("a DiscordChatExporter '@Name' listed in mentions becomes <@id> of the matched or placeholder account, recorded, counted and in the API's mentions", async () => {
    const bob = await createAccount(app, { username: "bob.dce" }); // matched by username
    const alice = person("710000000000000001", "alice.dce", "Alice");
    const bobSrc = person("710000000000000002", "bob.dce", "Bobby");
    const carol = person("710000000000000003", "carol.dce");
    const file = {
      guild: { id: "810000000000000001", name: "Mentions Club" },
      channel: { id: "810000000000000010", type: "GuildTextChat", name: "general" },
      messages: [
        dceMessage("810000000000000101", alice, "Hey @Bobby and @carol.dce, look (not @Bobbyx)", [bobSrc, carol]),
        dceMessage("810000000000000102", bobSrc, "Thanks @Alice! And me: @Bobby", [alice, bobSrc]),
        dceMessage("810000000000000103", carol, "An email: someone@Bobby.example is no mention", []),
      ],
    };
    const guildId = await importFile(strToU8(JSON.stringify(file)), "general.json");
    const aliceId = (rows("SELECT id FROM users WHERE username = 'alice.dce'")[0] as { id: bigint }).id;
    const carolId = (rows("SELECT id FROM users WHERE username = 'carol.dce'")[0] as { id: bigint }).id;
    const recorded = mentionsIn(guildId);
    expect(recorded.map((r) => [r.content, String(r.user_id)]).sort()).toEqual(
      [
        [`Hey <@${bob.user.id}> and <@${carolId}>, look (not @Bobbyx)`, bob.user.id],
        [`Hey <@${bob.user.id}> and <@${carolId}>, look (not @Bobbyx)`, String(carolId)],
        [`Thanks <@${aliceId}>! And me: <@${bob.user.id}>`, String(aliceId)], // the author mentioning themselves is not recorded
      ].sort(),
    );
    expect(rows("SELECT content FROM messages m JOIN channels c ON c.id = m.channel_id WHERE c.guild_id = ? AND content LIKE 'An email%'", BigInt(guildId))[0]).toEqual({ content: "An email: someone@Bobby.example is no mention" });
    expect(badge(bob.user.id, guildId)).toBe(1);
    const channelId = String((rows("SELECT id FROM channels WHERE guild_id = ? AND type = 0", BigInt(guildId))[0] as { id: bigint }).id);
    const listed = await json<{ content: string; mentions: { id: string }[] }[]>(await api(app, "GET", `/channels/${channelId}/messages`, undefined, bob.bearer));
    expect(listed.find((m) => m.content.startsWith("Hey"))!.mentions.map((u) => u.id).sort()).toEqual([bob.user.id, String(carolId)].sort());
  });

  test("a Slack export's <@U…> mention is recorded for the created account", async () => {
    const guildId = await importFile(zipSync(dirZip(join(import.meta.dir, "fixtures", "slack"))), "Slack Team.zip");
    const fox = (rows("SELECT id FROM users WHERE username = 'fox'")[0] as { id: bigint }).id;
    expect(mentionsIn(guildId).filter((r) => r.user_id === fox).map((r) => r.content)).toEqual([`Hello <@${fox}>, the report is on [our wiki](https://example.org/report) & in #random`]);
    expect(badge(fox, guildId)).toBe(1);
  });
});
