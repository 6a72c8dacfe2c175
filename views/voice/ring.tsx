import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * Someone is calling in a DM: shown on every page of each other recipient (the shell's
 * #call-ring slot), in their language. Join opens the DM's call; Decline tells the caller.
 */
export function CallRing(props: { ctx: PageCtx; channelId: string; caller: string }) {
  const { t } = props.ctx;
  return (
    <div class="call-ring" role="alert" hx-ignore="">
      <span>{t("voice.ringing", { name: props.caller })}</span>
      <a class="button primary" href={`/channels/@me/${props.channelId}?call=1&join=1`}>
        {t("voice.accept")}
      </a>
      <form method="post" action={`/calls/${props.channelId}/decline`}>
        <button type="submit">{t("voice.decline")}</button>
      </form>
    </div>
  );
}

/** The button that starts (or joins) a DM's call. */
export function CallButton(props: { ctx: PageCtx; channelId: string }) {
  return (
    <a class="header-link" href={`/channels/@me/${props.channelId}?call=1&join=1`} title={props.ctx.t("voice.call")}>
      📞 {props.ctx.t("voice.call")}
    </a>
  );
}
