// A server with its cast, made through the API as a client would.
import { api, createAccount, type TestAccount } from "./accounts.ts";
import type { TestApp } from "./app.ts";

export interface GuildFixture {
  guildId: string;
  generalId: string;
  owner: TestAccount;
  join(acct: TestAccount): Promise<void>;
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export async function createGuildFixture(app: TestApp, name = "Les Copains"): Promise<GuildFixture> {
  const owner = await createAccount(app);
  const guild = await json<{ id: string }>(await api(app, "POST", "/guilds", { name }, owner.bearer));
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${guild.id}/channels`, undefined, owner.bearer));
  const generalId = channels.find((c) => c.type === 0)!.id;
  const invite = await json<{ code: string }>(await api(app, "POST", `/channels/${generalId}/invites`, { max_age: 0, max_uses: 0 }, owner.bearer));
  return {
    guildId: guild.id,
    generalId,
    owner,
    async join(acct) {
      const res = await api(app, "POST", `/invites/${invite.code}`, undefined, acct.bearer);
      if (res.status !== 200) throw new Error(`join failed: ${res.status} ${await res.text()}`);
    },
  };
}
