import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * The search box of the pane header: a plain GET form (works without JavaScript), submitted by
 * htmx into the results pane beside it. static/js/search.js adds filter suggestions (from:,
 * mentions:, in:, has:, ...) and static/js/switcher.js the Ctrl/Cmd+K quick switcher, whose words
 * come from the data attributes here.
 */
export function SearchBox(props: { ctx: PageCtx; guildId: string | null; q?: string }) {
  const { t } = props.ctx;
  const here = props.guildId ?? "dms";
  return (
    <div class="search-area">
      <form class="search-box" role="search" method="get" action="/search" hx-get="/search" hx-target="#search-results" data-scope={here}>
        <select name="scope" class="search-scope" aria-label={t("search.scopeLabel")}>
          <option value={here}>{props.guildId ? t("search.scopeHere") : t("search.scopeDms")}</option>
          <option value="all">{t("search.scopeAll")}</option>
        </select>
        <input
          type="search"
          name="q"
          id="search-input"
          value={props.q ?? ""}
          maxlength={512}
          autocomplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded="false"
          aria-controls="search-suggestions"
          aria-label={t("search.label")}
          placeholder={props.guildId ? t("search.placeholder") : t("search.placeholderDms")}
        />
        <ul id="search-suggestions" class="search-suggestions" role="listbox" aria-label={t("search.suggestions")} hidden></ul>
        <button type="submit" class="visually-hidden">
          {t("search.submit")}
        </button>
      </form>
      <section id="search-results" class="search-results" aria-live="polite" aria-label={t("search.label")}></section>
      <span
        id="search-labels"
        hidden
        data-from={t("search.filter.from")}
        data-mentions={t("search.filter.mentions")}
        data-in={t("search.filter.in")}
        data-has={t("search.filter.has")}
        data-pinned={t("search.filter.pinned")}
        data-before={t("search.filter.before")}
        data-after={t("search.filter.after")}
        data-during={t("search.filter.during")}
        data-switcher-title={t("switcher.title")}
        data-switcher-placeholder={t("switcher.placeholder")}
        data-switcher-none={t("switcher.none")}
        data-switcher-help={t("switcher.help")}
        data-switcher-server={t("switcher.server")}
        data-switcher-channel={t("switcher.channel")}
        data-switcher-dm={t("switcher.dm")}
        data-switcher-member={t("switcher.member")}
        data-user={props.ctx.user?.id}
      ></span>
      <button type="button" class="link-button switcher-open small" data-switcher-open="" title={t("switcher.hint")} aria-keyshortcuts="Control+K Meta+K">
        <span aria-hidden="true">⌘K</span>
        <span class="visually-hidden">{t("switcher.open")}</span>
      </button>
    </div>
  );
}
