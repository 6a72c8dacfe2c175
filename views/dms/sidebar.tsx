import { dmTitle, type DmView } from "../../src/dms/service.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import type { ChannelState } from "../../src/messages/read-state.ts";
import { Avatar } from "../shared/avatar.tsx";

/** The conversation list of the home screen. */
export function DmSidebar(props: { ctx: PageCtx; dms: DmView[]; activeId?: string; states?: Map<string, ChannelState> }) {
  const { t } = props.ctx;
  return (
    <nav aria-label={t("dm.title")}>
      <a class="button sidebar-action" href="/dm/new">
        {t("dm.new")}
      </a>
      {props.dms.length === 0 ? (
        <p class="muted empty-state">{t("dm.none")}</p>
      ) : (
        <ul class="channel-items" hx-ignore="">
          {props.dms.map((v) => (
            <li>
              <a class="channel-link" href={`/channels/@me/${v.channel.id}`} aria-current={v.channel.id === props.activeId ? "page" : undefined}>
                {v.recipients[0] && v.channel.type === 1 ? <Avatar user={v.recipients[0]} size={32} /> : <span class="channel-icon" aria-hidden="true">👥</span>}
                <span class="channel-name">{dmTitle(v)}</span>
                {v.channel.id !== props.activeId && props.states?.get(v.channel.id)?.mentions ? (
                  <span class="mention-badge" aria-label={t("channel.mentions", { count: props.states.get(v.channel.id)!.mentions })}>
                    {props.states.get(v.channel.id)!.mentions}
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
