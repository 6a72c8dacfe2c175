// The HTML fragments presence and typing publish to browser tabs. Shared ones (member lists,
// typing, the presence feed) are rendered once per language or carry no words at all; only a
// user's own status is rendered for that user.
import { MemberPane } from "../../views/guilds/members.tsx";
import { SelfStatus } from "../../views/shell/app-shell.tsx";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { isLocale, translator, type Locale } from "../i18n/index.ts";
import { guildRoles } from "../roles/service.ts";
import { findGuild } from "../guilds/service.ts";
import { groupMembers, listMembers } from "../members/service.ts";
import type { PageCtx } from "../../views/shared/page-ctx.ts";
import type { PresenceStatus } from "./status.ts";

export const partial = (target: string, swap: string, inner: string) => `<hx-partial hx-target="${target}" hx-swap="${swap}">${inner}</hx-partial>`;

/** A page context for fragments rendered for everyone who reads a language. */
export function localeCtx(locale: Locale, user: User | null = null): PageCtx {
  return { t: translator(locale), locale, theme: "system", user, instanceName: "" };
}

export const localeOf = (user: User): Locale => (isLocale(user.locale) ? user.locale : "en");

/** A server's whole member list as everyone sees it (invisible people are offline). */
export function memberPanePartial(core: Core, guildId: string, locale: Locale): string {
  const guild = findGuild(core, guildId);
  const hoisted = guildRoles(core, guildId).filter((r) => r.hoist && r.id !== guildId);
  const groups = groupMembers(listMembers(core, guildId), hoisted, (_user, presence) => presence !== "offline");
  const html = (<MemberPane ctx={localeCtx(locale)} guildId={guild.id} channelId={null} groups={groups} />).toString();
  return partial(`#member-groups-${guildId}`, "outerHTML", html);
}

/** Words-free: the tab's presence.js restyles every dot of this user (DM list, DM header). */
export function presenceFeedPartial(userId: string, status: PresenceStatus): string {
  return partial("#presence-feed", "beforeend", (<i data-user-id={userId} data-status={status}></i>).toString());
}

/** The user's own status in the user panel of all their tabs. */
export function selfStatusPartial(user: User, status: PresenceStatus | "invisible"): string {
  return partial("#self-status", "outerHTML", (<SelfStatus ctx={localeCtx(localeOf(user), user)} status={status} customStatus={user.customStatus} />).toString());
}

/** One person typing; the tab's typing.js words it ("X is typing…") and expires it. */
export function typingPartial(userId: string, name: string): string {
  return partial("#typing-people", "beforeend", (<span data-user-id={userId} data-name={name}></span>).toString());
}
