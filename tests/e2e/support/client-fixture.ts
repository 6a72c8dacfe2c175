// A small instance with every main screen filled in the same way on every run (names, messages,
// a DM), for the accessibility, screenshot and keyboard tests of the client (issue 9). Pages are
// visited at a desktop and a phone viewport.
import { api, createAccount, type TestAccount } from "../../../src/testing/accounts.ts";
import type { TestApp } from "../../../src/testing/app.ts";
import { json } from "../../../src/testing/guilds.ts";
import { writeSetting } from "../../../src/instance/service.ts";

export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
export type ViewportName = keyof typeof VIEWPORTS;

export interface ClientFixture {
  admin: TestAccount;
  friend: TestAccount;
  guildId: string;
  generalId: string;
  otherId: string;
  dmId: string;
  /** The main screens, by name. */
  pages: Record<"channel" | "dm" | "settings" | "serverSettings" | "adminOverview", string>;
}

export async function createClientFixture(app: TestApp): Promise<ClientFixture> {
  await writeSetting(app.server.queue, "message_rate_limit", 0);
  const admin = await createAccount(app, { username: "camille", admin: true, displayName: "Camille" });
  const friend = await createAccount(app, { username: "dominique", displayName: "Dominique" });
  const guild = await json<{ id: string }>(await api(app, "POST", "/guilds", { name: "Atelier" }, admin.bearer));
  const channels = await json<{ id: string; type: number }[]>(await api(app, "GET", `/guilds/${guild.id}/channels`, undefined, admin.bearer));
  const generalId = channels.find((c) => c.type === 0)!.id;
  const other = await json<{ id: string }>(await api(app, "POST", `/guilds/${guild.id}/channels`, { name: "projets", type: 0 }, admin.bearer));
  const invite = await json<{ code: string }>(await api(app, "POST", `/channels/${generalId}/invites`, {}, admin.bearer));
  await api(app, "POST", `/invites/${invite.code}`, {}, friend.bearer);
  await api(app, "POST", `/channels/${generalId}/messages`, { content: "Bonjour à tous, la réunion est à 10 h." }, admin.bearer);
  await api(app, "POST", `/channels/${generalId}/messages`, { content: "Parfait, j'apporte le **café**." }, friend.bearer);
  const dm = await json<{ id: string }>(await api(app, "POST", "/users/@me/channels", { recipient_id: friend.user.id }, admin.bearer));
  await api(app, "POST", `/channels/${dm.id}/messages`, { content: "Tu as vu le plan ?" }, admin.bearer);
  return {
    admin,
    friend,
    guildId: guild.id,
    generalId,
    otherId: other.id,
    dmId: dm.id,
    pages: {
      channel: `/channels/${guild.id}/${generalId}`,
      dm: `/channels/@me/${dm.id}`,
      settings: "/settings/appearance",
      serverSettings: `/guilds/${guild.id}/settings`,
      adminOverview: "/admin/overview",
    },
  };
}
