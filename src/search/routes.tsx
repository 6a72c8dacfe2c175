// Search in the browser: /search (the results pane as a fragment for htmx, a full page without
// JavaScript, for static/js/page.js and for htmx's history restore), /search/suggest (filter autocomplete), /search/switcher (the quick switcher's list).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { SearchResults, type ResultItem, type ResultsView } from "../../views/search/results.tsx";
import { AppShell } from "../../views/shell/app-shell.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { snowflakeTime } from "../db/snowflake.ts";
import { unknownGuild } from "../guilds/access.ts";
import { myGuilds } from "../guilds/service.ts";
import { shellData } from "../guilds/shell.ts";
import type { Channel } from "../guilds/table.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { renderMessages } from "../messages/render.ts";
import { dmTitle, dmView } from "../dms/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { excerpt } from "./highlight.ts";
import { highlightTerms, MAX_QUERY, parseQuery } from "./query.ts";
import { resolveQuery } from "./resolve.ts";
import { dmScope, guildScope, type SearchScope } from "./scope.ts";
import { checkSearchRate, MAX_OFFSET, searchMessages, type SearchHit } from "./service.ts";
import { suggestChannels, suggestPeople, switcherItems } from "./suggest.ts";

const PAGE = 25;
const params = z.object({
  q: z.string().max(MAX_QUERY).default(""),
  scope: z.union([z.literal("dms"), z.literal("all"), z.string().regex(/^\d{1,19}$/)]).default("dms"),
  sort: z.enum(["newest", "oldest", "relevance"]).default("newest"),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
});

function scopesFor(core: Core, userId: string, scope: string): SearchScope[] {
  if (scope === "dms") return [dmScope(core, userId)];
  if (scope === "all") return [...myGuilds(core, userId).flatMap((g) => guildScope(core, userId, g.id) ?? []), dmScope(core, userId)];
  const one = guildScope(core, userId, scope);
  if (!one) throw unknownGuild();
  return [one];
}

/** Where a hit is, and where "Jump" takes the reader (the channel page around the message). */
function placeOf(core: Core, userId: string, hit: SearchHit, many: boolean): { place: string; href: string } {
  const { message: m, scope } = hit;
  const around = `?around=${m.id}#m-${m.id}`;
  if (scope.kind === "dms") return { place: dmTitle(dmView(core, userId, scope.readable.get(m.channelId)!)), href: `/channels/@me/${m.channelId}${around}` };
  const channel = scope.readable.get(m.channelId)!;
  const guild = scope.access.guild;
  const parent: Channel | undefined = channel.parentId ? scope.readable.get(channel.parentId) : undefined;
  const where = parent && channel.type !== 0 ? `#${parent.name} › ${channel.name}` : `#${channel.name}`;
  // A thread message opens its thread beside the parent channel.
  const href = parent && channel.type !== 0 ? `/channels/${guild.id}/${parent.id}?thread=${channel.id}` : `/channels/${guild.id}/${channel.id}${around}`;
  return { place: many ? `${guild.name} · ${where}` : where, href };
}

export function searchPages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/search", requirePageUser);
  app.use("/search/*", requirePageUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;

  function view(c: Context<AppEnv>): ResultsView {
    const parsed = params.safeParse(c.req.query());
    if (!parsed.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid search.", { key: "error.invalidBody" });
    const { q, scope, sort, offset } = parsed.data;
    const t = c.get("t");
    const scopes = scopesFor(core, me(c), scope);
    const query = parseQuery(q);
    const { request, unknown } = resolveQuery(core, scopes, query, { sort, offset, limit: PAGE });
    const notes = [...(query.errors.length ? [t("search.badFilter", { filters: query.errors.join(", ") })] : []), ...(unknown.length ? [t("search.unknown", { names: unknown.join(", ") })] : [])];
    const base = { q, scope, sort, offset, limit: PAGE, notes };
    if (!q.trim() || unknown.length || query.errors.length) return { ...base, total: 0, items: [] };
    checkSearchRate(core, currentAuth(c).user);
    const result = searchMessages(core, scopes, request);
    const terms = highlightTerms(query.text);
    // Authors and their names in each server, one batch per server (nicknames are per server).
    const guildOf = (h: SearchHit) => (h.scope.kind === "guild" ? h.scope.access.guild.id : null);
    const rendered = new Map<string, ReturnType<typeof renderMessages>[number]>();
    for (const guildId of new Set(result.hits.map(guildOf))) {
      for (const r of renderMessages(core, guildId, result.hits.filter((h) => guildOf(h) === guildId).map((h) => h.message), { html: false })) rendered.set(r.message.id, r);
    }
    const items: ResultItem[] = result.hits.map((hit) => {
      const r = rendered.get(hit.message.id)!;
      return { id: hit.message.id, author: r.author, authorName: r.authorName, ...placeOf(core, me(c), hit, scopes.length > 1), excerpt: excerpt(hit.message.content, terms), time: snowflakeTime(hit.message.id) };
    });
    return { ...base, total: result.total, capped: result.capped, items };
  }

  app.get("/search", (c) => {
    const v = view(c);
    const ctx = { t: c.get("t"), locale: c.get("locale") };
    // The search box's and the pager's own requests fill the results pane; a whole-page htmx
    // request (history restore after in-page navigation during a call) gets the page.
    if (c.req.header("HX-Request") === "true" && c.req.header("HX-Request-Type") !== "full") return c.html(<SearchResults ctx={{ ...shellData(c, core).ctx, ...ctx }} view={v} />);
    // Without JavaScript: the same results as a page of their own.
    const { shell } = shellData(c, core);
    const guildId = /^\d+$/.test(v.scope) ? v.scope : null;
    return c.html(
      <AppShell
        {...shell}
        activeGuildId={guildId}
        title={c.get("t")("search.label")}
        sidebarTitle={<h2>{c.get("t")("search.label")}</h2>}
        sidebar={<p class="muted small empty-state">{c.get("t")("search.empty")}</p>}
        mainTitle={c.get("t")("search.label")}
        main={
          <section class="pane-body search-page">
            <SearchResults ctx={shell.ctx} view={v} />
          </section>
        }
      />,
    );
  });

  app.get("/search/suggest", (c) => {
    const q = z.object({ scope: params.shape.scope, kind: z.enum(["people", "channels"]), prefix: z.string().max(100).default("") }).safeParse(c.req.query());
    if (!q.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid suggestion request.", { key: "error.invalidBody" });
    const scopes = scopesFor(core, me(c), q.data.scope);
    return c.json(q.data.kind === "people" ? suggestPeople(core, me(c), scopes, q.data.prefix) : suggestChannels(scopes, q.data.prefix));
  });

  app.get("/search/switcher", (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(switcherItems(core, me(c)));
  });
  return app;
}
