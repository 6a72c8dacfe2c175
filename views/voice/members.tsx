import type { User } from "../../src/auth/table.ts";
import { Avatar } from "../shared/avatar.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

export interface VoiceMemberView {
  user: User;
  name: string;
  muted: boolean;
  deafened: boolean;
  /** Muted or deafened by a moderator (shown in another colour). */
  byServer: boolean;
  video: boolean;
  stream: boolean;
  speaking: boolean;
}

/**
 * Who is in a voice channel, under it in the sidebar. Rendered once for every viewer (the live
 * update is the same bytes for everyone): the markers' words are hidden labels on the page
 * (VoiceLabels) referenced with aria-labelledby, so no language is baked in.
 */
export function VoiceMembers(props: { channelId: string; members: VoiceMemberView[] }) {
  return (
    <ul id={`voice-members-${props.channelId}`} class="voice-members" hx-ignore="">
      {props.members.map((m) => (
        <li class={`voice-member${m.speaking ? " speaking" : ""}`} data-user-id={m.user.id}>
          <Avatar user={m.user} size={20} />
          <span class="voice-member-name">{m.name}</span>
          {m.speaking ? <span class="voice-mark speaking-mark" aria-labelledby="voice-label-speaking"></span> : null}
          {m.stream ? <span class="voice-mark live" aria-labelledby="voice-label-live">LIVE</span> : null}
          {m.video ? <span class="voice-mark" aria-labelledby="voice-label-video">📷</span> : null}
          {m.deafened ? (
            <span class={`voice-mark${m.byServer ? " by-server" : ""}`} aria-labelledby="voice-label-deafened">🎧</span>
          ) : m.muted ? (
            <span class={`voice-mark${m.byServer ? " by-server" : ""}`} aria-labelledby="voice-label-muted">🔇</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The words the markers point at, once per page, in its language. */
export function VoiceLabels(props: { ctx: PageCtx }) {
  const { t } = props.ctx;
  return (
    <span hidden>
      <span id="voice-label-speaking">{t("voice.speaking")}</span>
      <span id="voice-label-live">{t("voice.live")}</span>
      <span id="voice-label-video">{t("voice.video")}</span>
      <span id="voice-label-muted">{t("voice.muted")}</span>
      <span id="voice-label-deafened">{t("voice.deafened")}</span>
    </span>
  );
}
