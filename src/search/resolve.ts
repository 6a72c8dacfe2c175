// From what was typed in the search box to a SearchRequest: people by username (or id, or <@id>),
// channels by name among those the reader can read in the searched parts.
import type { Core } from "../core.ts";
import { findUserByName } from "../users/service.ts";
import type { ParsedQuery } from "./query.ts";
import type { SearchScope } from "./scope.ts";
import type { SearchRequest, SortOrder } from "./service.ts";

const mentionId = (s: string) => /^<@!?(\d{1,19})>$/.exec(s)?.[1] ?? (/^\d{1,19}$/.test(s) ? s : null);

function resolveUsers(core: Core, names: string[], unknown: string[]): string[] {
  const ids = new Set<string>();
  for (const raw of names) {
    const name = raw.replace(/^@/, "");
    const id = mentionId(name) ?? findUserByName(core, name)?.id;
    if (id) ids.add(id);
    else unknown.push(raw);
  }
  return [...ids];
}

function resolveChannels(scopes: SearchScope[], names: string[], unknown: string[]): string[] {
  const ids = new Set<string>();
  for (const raw of names) {
    const name = raw.toLowerCase();
    let found = false;
    for (const scope of scopes) {
      for (const c of scope.readable.values()) {
        if (c.id === raw || (c.name && c.name.toLowerCase() === name)) {
          ids.add(c.id);
          found = true;
        }
      }
    }
    if (!found) unknown.push(`#${raw}`);
  }
  return [...ids];
}

export interface Resolved {
  request: SearchRequest;
  /** Names that matched nobody or no readable channel: the search finds nothing. */
  unknown: string[];
}

export function resolveQuery(core: Core, scopes: SearchScope[], parsed: ParsedQuery, page: { sort: SortOrder; offset: number; limit: number }): Resolved {
  const unknown: string[] = [];
  const request: SearchRequest = {
    text: parsed.text,
    authorIds: resolveUsers(core, parsed.from, unknown),
    mentionIds: resolveUsers(core, parsed.mentions, unknown),
    channelIds: resolveChannels(scopes, parsed.in, unknown),
    has: [...new Set(parsed.has)],
    pinned: parsed.pinned,
    minId: parsed.minId,
    maxId: parsed.maxId,
    ...page,
  };
  return { request, unknown };
}
