// Bots for tests, made through the API as a developer would: an application, its token, and the
// invite flow into a server.
import { api, type TestAccount } from "./accounts.ts";
import type { TestApp } from "./app.ts";

export interface TestBot {
  id: string;
  token: string;
  /** Headers to call the API as the bot. */
  auth: { Authorization: string };
}

export async function createBot(app: TestApp, owner: TestAccount, name = "Helper"): Promise<TestBot> {
  const res = await api(app, "POST", "/applications", { name }, owner.bearer);
  if (res.status !== 201) throw new Error(`application failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; bot_token: string };
  return { id: body.id, token: body.bot_token, auth: { Authorization: `Bot ${body.bot_token}` } };
}

/** Add the bot to a server as `by` (who needs MANAGE_GUILD there) with these permissions. */
export async function addBot(app: TestApp, bot: TestBot, guildId: string, by: TestAccount, permissions = "0"): Promise<void> {
  const res = await api(app, "POST", `/oauth2/authorize?client_id=${bot.id}&scope=bot`, { guild_id: guildId, permissions, authorize: true }, by.bearer);
  if (res.status !== 200) throw new Error(`authorize failed: ${res.status} ${await res.text()}`);
}
