// Access answers are remembered between requests (guilds/access.ts) but never outlive a change:
// any write to the tables they come from, a write by another process, or the end of a timeout.
import { Database } from "bun:sqlite";
import { OTHER_PROCESS_MS } from "../db/table-version.ts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeSetting } from "../instance/service.ts";
import { api, createAccount, type TestAccount } from "../testing/accounts.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";
import { createGuildFixture, type GuildFixture } from "../testing/guilds.ts";
import { channelAccess } from "./access.ts";

let app: TestApp;
let g: GuildFixture;
let member: TestAccount;
beforeAll(async () => {
  app = await createTestApp();
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  g = await createGuildFixture(app, "Mémoire");
  member = await createAccount(app, { displayName: "Member" });
  await g.join(member);
});
afterAll(() => app.close());

const send = (content: string) => api(app, "POST", `/channels/${g.generalId}/messages`, { content }, member.bearer);

describe("remembered access", () => {
  test("a channel hidden from @everyone is refused on the very next request, and shown again as soon as the overwrite goes", async () => {
    expect((await send("avant")).status).toBe(200);
    const deny = await api(app, "PUT", `/channels/${g.generalId}/permissions/${g.guildId}`, { type: 0, allow: "0", deny: "1024" }, g.owner.bearer);
    expect(deny.status).toBe(204);
    expect((await send("caché")).status).toBe(404);
    expect((await api(app, "DELETE", `/channels/${g.generalId}/permissions/${g.guildId}`, undefined, g.owner.bearer)).status).toBe(204);
    expect((await send("revenu")).status).toBe(200);
  });

  test("a change written by another process (a command-line tool on the same data directory) is seen within moments", async () => {
    expect(channelAccess(app.server.core, member.user.id, g.generalId)).not.toBeNull();
    const other = new Database(app.server.db.path);
    try {
      other.run("PRAGMA busy_timeout = 5000");
      other.query("DELETE FROM members WHERE guild_id = ? AND user_id = ?").run(BigInt(g.guildId), BigInt(member.user.id));
    } finally {
      other.close();
    }
    await Bun.sleep(OTHER_PROCESS_MS);
    expect(channelAccess(app.server.core, member.user.id, g.generalId)).toBeNull();
    expect((await send("parti")).status).toBe(404);
    await g.join(member);
    expect((await send("de retour")).status).toBe(200);
  });

  test("a timeout refuses sending while it lasts and ends on time without any write", async () => {
    const until = new Date(Date.now() + 1_500).toISOString();
    expect((await api(app, "PATCH", `/guilds/${g.guildId}/members/${member.user.id}`, { communication_disabled_until: until }, g.owner.bearer)).status).toBe(200);
    expect((await send("pendant")).status).toBe(403);
    await Bun.sleep(Date.parse(until) - Date.now() + 50);
    expect((await send("après")).status).toBe(200);
  });

  test("remembered answers are shared, so they are frozen: a caller cannot change what others get", () => {
    const access = channelAccess(app.server.core, member.user.id, g.generalId)!;
    expect(channelAccess(app.server.core, member.user.id, g.generalId)).toBe(access);
    expect(() => {
      (access.channel as { name: string }).name = "changed";
    }).toThrow();
  });
});
