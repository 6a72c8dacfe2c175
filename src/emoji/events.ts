// GUILD_EMOJIS_UPDATE on the gateway (intent GUILD_EXPRESSIONS), Discord's shape: the server's
// whole emoji list after a create, rename or delete. Browser tabs need nothing: the picker asks
// the server (/emojis/search) each time it opens and at each keystroke.
import { asc, eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { JsonTopic } from "../gateway/authority.ts";
import { emojiJson } from "./service.ts";
import { customEmojis } from "./table.ts";

export function emojisChanged(core: Core, guildId: string): void {
  const list = core.db.readOrm.select().from(customEmojis).where(eq(customEmojis.guildId, guildId)).orderBy(asc(customEmojis.name)).all();
  core.hub.gateway?.dispatch(JsonTopic.guild(guildId), "GUILD_EMOJIS_UPDATE", { guild_id: guildId, emojis: list.map(emojiJson) });
}
