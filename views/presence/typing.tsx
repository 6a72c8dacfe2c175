import { assetUrl } from "../../src/assets/registry.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * "X is typing…" under the composer. The server publishes who is typing into #typing-people (the
 * same bytes to every viewer); typing.js words it in the page's language with these templates,
 * hides the viewer themselves, and forgets a person after ~10 s or when their message arrives.
 */
export function TypingIndicator(props: { ctx: PageCtx }) {
  const { t, user } = props.ctx;
  return (
    <>
      <div id="typing-people" hidden hx-ignore=""></div>
      <div
        id="typing"
        class="typing-indicator muted small"
        aria-live="polite"
        data-self-id={user?.id}
        data-one={t("typing.one", { name: "{name}" })}
        data-two={t("typing.two", { a: "{a}", b: "{b}" })}
        data-several={t("typing.several")}
      ></div>
      <script src={assetUrl("js/typing.js")} defer></script>
    </>
  );
}
