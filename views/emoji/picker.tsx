import { assetUrl } from "../../src/assets/registry.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * The emoji picker of a channel: a button in the composer, and one popup shared with the "+" of
 * every message's reactions. Results come from /emojis/search (minisearch on the server); recent
 * emoji are kept in this browser (localStorage). Behaviour in static/js/emoji-picker.js.
 */
export function ComposerEmoji(props: { ctx: PageCtx; channelId: string }) {
  const { t } = props.ctx;
  return (
    <>
      <EmojiButton ctx={props.ctx} />
      <div id="emoji-picker" class="emoji-picker" role="dialog" aria-label={t("emoji.picker")} data-channel-id={props.channelId} data-label-recent={t("emoji.recent")} data-label-results={t("emoji.results")} data-label-empty={t("emoji.noResults")} hidden>
        <input type="search" class="emoji-search" placeholder={t("emoji.search")} aria-label={t("emoji.search")} autocomplete="off" maxlength={64} />
        <div class="emoji-sections" hx-ignore=""></div>
      </div>
      <script src={assetUrl("js/emoji-picker.js")} defer></script>
    </>
  );
}

/** The 😊 of a composer: opens the page's one picker, which inserts into this button's form. */
export function EmojiButton(props: { ctx: PageCtx }) {
  const { t } = props.ctx;
  return (
    <button type="button" class="link-button emoji-button" data-emoji-open="" aria-haspopup="dialog" aria-controls="emoji-picker" title={t("emoji.picker")}>
      <span aria-hidden="true">😊</span>
      <span class="visually-hidden">{t("emoji.picker")}</span>
    </button>
  );
}
