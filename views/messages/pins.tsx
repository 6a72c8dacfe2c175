import { raw } from "hono/html";
import type { RenderedMessage } from "../../src/messages/render.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/** The pinned list of a channel, in the shell's popover; each entry jumps to the message. */
export function PinsPopover(props: { ctx: PageCtx; pins: RenderedMessage[] }) {
  const { t } = props.ctx;
  return (
    <section class="pins-popover card" role="dialog" aria-labelledby="pins-title">
      <header class="popover-header">
        <h3 id="pins-title">📌 {t("message.pins")}</h3>
        <button type="button" class="link-button" data-close-popover="" aria-label={t("common.back")}>
          ✕
        </button>
      </header>
      {props.pins.length === 0 ? (
        <p class="muted">{t("message.noPins")}</p>
      ) : (
        <ul class="pins-list">
          {props.pins.map((r) => (
            <li class="pin-entry">
              <p class="small">
                <strong hx-ignore="">{r.authorName}</strong> <time datetime={r.message.pinnedAt ?? ""}>{(r.message.pinnedAt ?? "").slice(0, 10)}</time>
              </p>
              <div class="message-content" hx-ignore="">
                {raw(r.html)}
              </div>
              <a class="small" href={`?around=${r.message.id}#m-${r.message.id}`} data-jump={r.message.id}>
                {t("message.jump")}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
