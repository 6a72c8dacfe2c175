import { dmTitle, type DmView } from "../../src/dms/service.ts";
import type { PageCtx } from "../shared/page-ctx.ts";
import type { ChannelState } from "../../src/messages/read-state.ts";
import { Avatar } from "../shared/avatar.tsx";
import { StatusDot } from "../guilds/members.tsx";
import { MentionBadge } from "../guilds/sidebar.tsx";

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
                {v.recipients[0] && v.channel.type === 1 ? (
                  <span class="avatar-with-status">
                    <Avatar user={v.recipients[0]} size={32} />
                    {/* Filled in when the tab's socket opens (the server sends DM partners' presence), then live. */}
                    <StatusDot ctx={props.ctx} userId={v.recipients[0].id} status="unknown" />
                  </span>
                ) : (
                  <span class="channel-icon" aria-hidden="true">👥</span>
                )}
                <span class="channel-name">{dmTitle(v)}</span>
                <MentionBadge ctx={props.ctx} channelId={v.channel.id} count={v.channel.id === props.activeId ? 0 : (props.states?.get(v.channel.id)?.mentions ?? 0)} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
