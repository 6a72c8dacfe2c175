// What a restricted member sees in place of the composer: their timeout's end, or the server's
// rules with a button to accept them (screening).
import { SendBlocked } from "../../views/moderation/pages.tsx";
import type { Core } from "../core.ts";
import type { GuildAccess } from "../guilds/access.ts";
import type { PageCtx } from "../../views/shared/page-ctx.ts";
import { Permission } from "../permissions/permissions.ts";
import { isTimedOut } from "./restrict.ts";
import { serverRules } from "./screening.ts";

export function sendBlockedNotice(core: Core, ctx: PageCtx, access: GuildAccess) {
  if (access.isOwner || (access.permissions & Permission.ADMINISTRATOR) !== 0n) return undefined;
  const m = access.member;
  if (m.communicationDisabledUntil && isTimedOut(m)) return <SendBlocked ctx={ctx} guildId={access.guild.id} until={m.communicationDisabledUntil} rules={null} />;
  if (m.pending) return <SendBlocked ctx={ctx} guildId={access.guild.id} until={null} rules={serverRules(core.db.readOrm, access.guild.id).rules} />;
  return undefined;
}
