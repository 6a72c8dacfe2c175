// What a browser tab's socket hears, decided from what the tab shows: its user's topic, the
// channel it shows, the server it shows (member list in its language, one "unread" topic per
// visible channel) and every server on its rail. Authorized like the page: a channel or server
// the user cannot see is a 404. Kept here (with the JSON side) so the hub imports no feature.
import type { Core } from "../core.ts";
import { channelAccess, guildAccess, visibleChannels } from "../guilds/access.ts";
import { myGuilds } from "../guilds/service.ts";
import { Topic, type SocketData } from "../hub/hub.ts";
import { LANG_COOKIE } from "../http/locale.ts";
import { isLocale, localeFromHeader, type Locale } from "../i18n/index.ts";
import { dmPartners } from "../presence/service.ts";
import { partial, presenceFeedPartial } from "../presence/live.tsx";
import { publicStatus } from "../presence/status.ts";
import { findUser } from "../users/service.ts";
import { isThreadType } from "../threads/rules.ts";
import { isSnowflake } from "../db/snowflake.ts";

const snowflake = { test: isSnowflake };

/** The tab's language, chosen as for its pages: the account setting, the cookie, Accept-Language. */
function localeOfRequest(req: Request, userLocale: string | undefined): Locale {
  if (isLocale(userLocale)) return userLocale;
  const cookie = req.headers.get("Cookie")?.match(new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=([a-z]{2})`))?.[1];
  return isLocale(cookie) ? cookie : localeFromHeader(req.headers.get("Accept-Language") ?? undefined);
}

/** What a tab shows, from `/ws?channel=ID` (a conversation) or `/ws?guild=ID` (a server page without one); null = not found. */
export function browserView(core: Core, userId: string, url: URL, req: Request): SocketData["view"] | null {
  const locale = localeOfRequest(req, findUser(core, userId)?.locale);
  const channelId = url.searchParams.get("channel");
  const guildId = url.searchParams.get("guild");
  // A call's own socket (static/js/voice.js): signalling only, no page topics.
  if (url.searchParams.has("voice")) return { channelId: null, guildId: null, locale, voice: true };
  if (channelId !== null) {
    const access = snowflake.test(channelId) ? channelAccess(core, userId, channelId) : null;
    return access ? { channelId, guildId: access.channel.guildId, locale } : null;
  }
  if (guildId !== null) return snowflake.test(guildId) && guildAccess(core, userId, guildId) ? { channelId: null, guildId, locale } : null;
  return { channelId: null, guildId: null, locale };
}

/** Every topic the tab should hear now; recomputed when access changes. */
export function browserTopics(core: Core, data: SocketData): string[] {
  const userId = data.userId!;
  const view = data.view;
  if (view?.voice) return [];
  const shown = view?.channelId ? channelAccess(core, userId, view.channelId) : null;
  // A thread pane's own socket hears its thread only. The page's socket hears the rest; with its
  // server's topics here, the channel the page shows would be marked unread by this socket.
  if (shown && isThreadType(shown.channel.type)) return [Topic.channelHtml(shown.channel.id)];
  const topics = [Topic.user(userId)];
  if (shown) topics.push(Topic.channelHtml(shown.channel.id));
  // The tab's own server and channel never show as unread (it is reading them): it does not
  // subscribe to their "unread" topics, so a message costs it no extra frame.
  for (const guild of myGuilds(core, userId)) {
    if (guild.id !== view?.guildId) {
      topics.push(Topic.rail(guild.id));
      continue;
    }
    const access = guildAccess(core, userId, guild.id);
    if (!access) continue;
    topics.push(Topic.guildHtml(guild.id, view.locale), ...visibleChannels(core, access).filter((c) => c.type !== 4 && c.id !== view.channelId).map((c) => Topic.sidebar(c.id)));
  }
  return topics;
}

/**
 * A tab whose list of channels or servers changed refetches them (its own view, with its own
 * permissions): htmx runs the hx-get of the fragments this inserts.
 */
export function refreshFragment(data: SocketData, changed: { sidebar: boolean; rail: boolean }): string {
  const guildId = data.view?.guildId;
  const channelId = data.view?.channelId;
  let inner = "";
  if (changed.sidebar && guildId) inner += `<div hx-get="/shell/sidebar/${guildId}${channelId ? `?channel=${channelId}` : ""}" hx-trigger="load" hx-target="#channel-list" hx-swap="innerHTML"></div>`;
  if (changed.rail) inner += `<div hx-get="/shell/rail${guildId ? `?guild=${guildId}` : ""}" hx-trigger="load" hx-target="#server-list" hx-swap="outerHTML"></div>`;
  return inner ? partial("#live-refresh", "innerHTML", inner) : "";
}

/** Sent to a tab when its socket opens: the presence of the people in its DM list. */
export function browserWelcome(core: Core, data: SocketData): string | null {
  // A call's own socket hears only its call's JSON frames.
  if (data.view?.voice) return null;
  const partners = dmPartners(core, data.userId!);
  if (partners.length === 0) return null;
  return partners
    .map((id) => {
      const user = findUser(core, id);
      return user ? presenceFeedPartial(id, publicStatus(core, user)) : "";
    })
    .join("");
}
