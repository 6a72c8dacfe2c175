import type { User } from "../../src/auth/table.ts";
import { dmTitle, type DmView } from "../../src/dms/service.ts";
import { Avatar } from "../shared/avatar.tsx";
import { Alert, Field } from "../shared/form.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

/** The main pane of a conversation (messages arrive with the messaging feature). */
export function DmMain(props: { ctx: PageCtx; view: DmView; blocked: boolean }) {
  const { t } = props.ctx;
  const other = props.view.recipients[0];
  return (
    <section class="pane-body conversation" aria-label={t("shell.conversation")} hx-ignore="">
      <div class="conversation-start">
        {other && props.view.channel.type === 1 ? <Avatar user={other} size={80} /> : null}
        <h2>{dmTitle(props.view)}</h2>
        <p class="muted">{t("dm.startOf", { name: dmTitle(props.view) })}</p>
        {props.blocked ? <Alert kind="info">{t("dm.blocked")}</Alert> : null}
      </div>
    </section>
  );
}

/** Header actions: block/unblock for a 1:1, rename/leave for a group. */
export function DmActions(props: { ctx: PageCtx; view: DmView; blocked: boolean }) {
  const { t } = props.ctx;
  const { channel } = props.view;
  if (channel.type === 1) {
    const other = props.view.recipients[0];
    if (!other) return null;
    return (
      <form method="post" action={`/dm/block/${other.id}`} class="header-form">
        <input type="hidden" name="blocked" value={props.blocked ? "0" : "1"} />
        <button type="submit" class="link-button">
          {props.blocked ? t("dm.unblock") : t("dm.block")}
        </button>
      </form>
    );
  }
  return (
    <form method="post" action={`/dm/${channel.id}/leave`} class="header-form">
      <button type="submit" class="link-button">
        {t("dm.leave")}
      </button>
    </form>
  );
}

/** The member pane of a group conversation: participants, owner tools. */
export function GroupPanel(props: { ctx: PageCtx; view: DmView; me: User; error?: string }) {
  const { t } = props.ctx;
  const { channel } = props.view;
  const isOwner = channel.ownerId === props.me.id;
  return (
    <div class="group-panel" hx-ignore="">
      <h3 class="pane-title">{t("dm.participants")}</h3>
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      <ul class="member-list">
        {[props.me, ...props.view.recipients].map((u) => (
          <li class="member-row">
            <Avatar user={u} size={32} />
            <span>{u.displayName ?? u.username}</span>
            {isOwner && u.id !== props.me.id ? (
              <form method="post" action={`/dm/${channel.id}/remove/${u.id}`} class="inline-form">
                <button type="submit" class="link-button" aria-label={`${t("dm.remove")}: ${u.username}`}>
                  {t("dm.remove")}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {isOwner ? (
        <form method="post" action={`/dm/${channel.id}/add`} class="stack">
          <Field label={`${t("dm.addPeople")} (${t("common.username")})`} name="username" required />
          <button type="submit">{t("dm.addPeople")}</button>
        </form>
      ) : null}
      <form method="post" action={`/dm/${channel.id}/rename`} class="stack">
        <Field label={t("dm.groupName")} name="name" value={channel.name} maxlength={100} />
        <button type="submit">{t("dm.rename")}</button>
      </form>
    </div>
  );
}

/** The "new message" picker: search people you share a server with, tick up to nine. */
export function NewDmMain(props: { ctx: PageCtx; candidates: User[]; query: string; error?: string }) {
  const { t } = props.ctx;
  return (
    <section class="pane-body" aria-label={t("dm.new")}>
      <form method="get" action="/dm/new" class="search-form" role="search">
        <label for="dm-q">{t("dm.search")}</label>
        <input id="dm-q" type="search" name="q" value={props.query} maxlength={64} />
        <button type="submit">{t("admin.search")}</button>
      </form>
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      <form method="post" action="/dm" class="stack">
        <fieldset class="choice" hx-ignore="">
          <legend>{t("dm.pick")}</legend>
          {props.candidates.map((u) => (
            <label class="choice-option">
              <input type="checkbox" name="user" value={u.id} /> <Avatar user={u} size={32} /> {u.displayName ?? u.username} <span class="muted">{u.username}</span>
            </label>
          ))}
        </fieldset>
        <Field label={`${t("dm.groupName")} (${t("common.optional")})`} name="name" maxlength={100} />
        <button type="submit" class="primary">
          {t("dm.start")}
        </button>
      </form>
    </section>
  );
}
