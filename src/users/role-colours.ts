// Role colours in the reader's stylesheet (/me.css): names carry data-role-color="role-color-rrggbb"
// (views/guilds/members.tsx) and pages are the same for everyone, so the colour rules are written
// here, one per distinct colour among the roles of the servers the reader is in. The colour is
// mixed towards the text colour of each theme so a dark role colour stays readable on the dark
// theme and a pale one on the light theme.
import { and, eq, ne } from "drizzle-orm";
import type { Core } from "../core.ts";
import { members, roles } from "../guilds/table.ts";

export function roleColourCss(core: Core, userId: string): string {
  const colours = core.db.readOrm
    .selectDistinct({ color: roles.color })
    .from(roles)
    .innerJoin(members, and(eq(members.guildId, roles.guildId), eq(members.userId, userId)))
    .where(ne(roles.color, 0))
    .all();
  return colours
    .map(({ color }) => {
      const hex = color.toString(16).padStart(6, "0");
      return `[data-role-color="role-color-${hex}"] { color: light-dark(color-mix(in oklab, #${hex} 60%, #000), color-mix(in oklab, #${hex} 70%, #fff)); }`;
    })
    .join("\n");
}
