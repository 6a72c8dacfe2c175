import type { User } from "../../src/auth/table.ts";
import type { Piece } from "../../src/search/highlight.ts";
import type { SortOrder } from "../../src/search/service.ts";
import { Avatar } from "../shared/avatar.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

export interface ResultItem {
  id: string;
  author: User;
  authorName: string;
  /** "#general", "#general › thread", or the DM's title. */
  place: string;
  /** Where "Jump" goes: the channel page around the message. */
  href: string;
  excerpt: Piece[];
  time: Date;
}

export interface ResultsView {
  q: string;
  scope: string;
  sort: SortOrder;
  offset: number;
  limit: number;
  total: number;
  /** More than `total` matched (the count stops at the last page that can be shown). */
  capped?: boolean;
  items: ResultItem[];
  /** Names or filters that were not understood (shown, the search finds nothing). */
  notes: string[];
}

const query = (v: ResultsView, patch: Partial<Pick<ResultsView, "sort" | "offset">>) => {
  const p = new URLSearchParams({ q: v.q, scope: v.scope, sort: patch.sort ?? v.sort, offset: String(patch.offset ?? v.offset) });
  return `/search?${p}`;
};

/** One result: who, where, when, the excerpt with the matched words marked, and a jump link. */
function Result(props: { ctx: PageCtx; item: ResultItem }) {
  const { t, locale } = props.ctx;
  const r = props.item;
  const labelId = `search-hit-${r.id}`;
  return (
    <li class="search-hit" aria-labelledby={labelId}>
      <Avatar user={r.author} size={32} />
      <div class="search-hit-body">
        <p class="search-hit-meta small" id={labelId}>
          <strong hx-ignore="">{r.authorName}</strong> <span class="muted" hx-ignore="">{r.place}</span>{" "}
          <time class="muted" datetime={r.time.toISOString()}>
            {r.time.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}
          </time>
        </p>
        <p class="search-hit-text" hx-ignore="">
          {r.excerpt.map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}
        </p>
      </div>
      <a class="search-jump small" href={r.href} aria-label={t("search.jumpTo", { author: r.authorName, channel: r.place })}>
        {t("search.jump")}
      </a>
    </li>
  );
}

/** The results pane's content: count, sort, the page of results, pager. htmx swaps it in place. */
export function SearchResults(props: { ctx: PageCtx; view: ResultsView }) {
  const { t, locale } = props.ctx;
  const v = props.view;
  const plural = v.capped ? "search.results.many" : new Intl.PluralRules(locale).select(v.total) === "one" ? "search.results.one" : "search.results.other";
  const pages = Math.max(1, Math.ceil(v.total / v.limit));
  const page = Math.floor(v.offset / v.limit) + 1;
  const link = (patch: Partial<Pick<ResultsView, "sort" | "offset">>) => ({ href: query(v, patch), "hx-get": query(v, patch), "hx-target": "#search-results" });
  const sorts: [SortOrder, "search.sortNewest" | "search.sortOldest" | "search.sortRelevance"][] = [
    ["newest", "search.sortNewest"],
    ["oldest", "search.sortOldest"],
    ["relevance", "search.sortRelevance"],
  ];
  return (
    <div class="search-panel" data-total={v.total}>
      <header class="search-panel-head">
        <h2 class="search-count" id="search-count">
          {t(plural, { count: v.total.toLocaleString(locale) })}
        </h2>
        <nav class="search-sort small" aria-label={t("search.sortLabel")}>
          {sorts.map(([s, key]) => (
            <a {...link({ sort: s, offset: 0 })} aria-current={s === v.sort ? "true" : undefined}>
              {t(key)}
            </a>
          ))}
        </nav>
        <button type="button" class="link-button search-close" data-search-close="" aria-label={t("search.close")} title={t("search.close")}>
          ×
        </button>
      </header>
      {v.notes.map((n) => (
        <p class="search-note small" role="status" hx-ignore="">
          {n}
        </p>
      ))}
      {v.items.length === 0 ? (
        <p class="muted empty-state">{v.q.trim() ? t("search.none") : t("search.empty")}</p>
      ) : (
        <ol class="search-hits" aria-labelledby="search-count">
          {v.items.map((item) => (
            <Result ctx={props.ctx} item={item} />
          ))}
        </ol>
      )}
      {pages > 1 ? (
        <nav class="search-pager small" aria-label={t("search.page", { page, pages })}>
          {page > 1 ? <a {...link({ offset: Math.max(0, v.offset - v.limit) })}>{t("search.previous")}</a> : <span></span>}
          <span class="muted">{t("search.page", { page, pages })}</span>
          {page < pages ? <a {...link({ offset: v.offset + v.limit })}>{t("search.next")}</a> : <span></span>}
        </nav>
      ) : null}
    </div>
  );
}
