// Which channel tools a viewer of a text channel gets in its header (views/moderation/channel-tools.tsx).
import { ChannelTools } from "../../views/moderation/channel-tools.tsx";
import type { PageCtx } from "../../views/shared/page-ctx.ts";
import type { Core } from "../core.ts";
import type { GuildAccess } from "../guilds/access.ts";
import type { Channel } from "../guilds/table.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { isLocked } from "./channels.ts";

export function channelTools(core: Core, ctx: PageCtx, access: GuildAccess, channel: Channel, perms: bigint) {
  // Locking writes an overwrite: MANAGE_CHANNELS, and MANAGE_ROLES as for any overwrite.
  const canLock = has(perms, Permission.MANAGE_CHANNELS) && has(perms, Permission.MANAGE_ROLES);
  const canManageMessages = has(perms, Permission.MANAGE_MESSAGES);
  if (!canLock && !canManageMessages) return null;
  const locked = canLock && isLocked(core, channel.id, access.guild.id, access.member.userId);
  return <ChannelTools ctx={ctx} channelId={channel.id} locked={locked} canLock={canLock} canManageMessages={canManageMessages} />;
}
