// The per-user stylesheet (/me.css). Messages are rendered once for everybody; this sheet is the
// part that is about the reader: their own messages get edit/delete controls, their reactions are
// marked, and messages that mention them (by name, through one of their roles, or by reply ping)
// are highlighted. Ids are digits only, so they are safe inside CSS attribute selectors.
import { eq } from "drizzle-orm";
import type { Core } from "../core.ts";
import { memberRoles } from "../guilds/table.ts";

export function userStylesheet(core: Core, userId: string): string {
  const roleIds = core.db.readOrm.select({ id: memberRoles.roleId }).from(memberRoles).where(eq(memberRoles.userId, userId)).all().map((r) => r.id);
  const mentionSelectors = [`.message[data-mentions~="${userId}"]`, ".message.mentions-everyone", ...roleIds.map((id) => `.message[data-mention-roles~="${id}"]`)];
  return [
    `[data-author-id="${userId}"] .message-actions .own-or-manage, [data-author-id="${userId}"] .message-actions .own-only, [data-author-id="${userId}"] .embeds-remove { display: inline-flex; }`,
    `.reaction[data-reactors~="${userId}"] { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 20%, transparent); }`,
    `${mentionSelectors.join(",\n")} { background: var(--mention-bg); box-shadow: inset 3px 0 0 var(--mention-edge); }`,
    `.mention[data-user-id="${userId}"] { background: var(--mention-edge); color: var(--text-on-accent, #fff); }`,
    "",
  ].join("\n");
}
