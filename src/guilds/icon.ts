// Server icons: the same pipeline as avatars (Bun.Image, 256 px WebP, content-hash names), stored
// under <data>/icons.
import { join } from "node:path";
import type { Core } from "../core.ts";
import { Permission } from "../permissions/permissions.ts";
import { storeSquareImage } from "../users/avatar.ts";
import { requireGuild } from "./access.ts";
import { updateGuild } from "./service.ts";
import type { Guild } from "./table.ts";

export const iconDir = (core: Core) => join(core.config.dataDir, "icons");

export async function setGuildIcon(core: Core, userId: string, guildId: string, upload: Uint8Array | null): Promise<Guild> {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  const icon = upload ? await storeSquareImage(iconDir(core), upload) : null;
  return updateGuild(core, guildId, { icon });
}
