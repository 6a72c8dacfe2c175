import type { Role } from "../../src/guilds/table.ts";
import { displayName, type MemberGroup, type MemberView } from "../../src/members/service.ts";
import { Avatar } from "../shared/avatar.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

const roleColor = (role: Role | undefined) => (role && role.color ? `role-color-${role.color.toString(16).padStart(6, "0")}` : "");

/** A status dot on an avatar (online, idle, do not disturb, offline); presence.js restyles it live. */
export function StatusDot(props: { ctx: PageCtx; userId: string; status: string }) {
  return <span class="status-dot" data-presence-of={props.userId} data-status={props.status} role="img" aria-label={props.ctx.t(`presence.${props.status}` as "presence.online")}></span>;
}

/**
 * The member pane: hoisted roles, then online, then offline; each member opens a profile card.
 * It is rendered the same for everyone who reads a language, so the server can re-render it once
 * and publish it to every tab showing the server when someone's presence changes.
 */
export function MemberPane(props: { ctx: PageCtx; guildId: string; channelId: string | null; groups: MemberGroup[] }) {
  const { t } = props.ctx;
  const base = props.channelId ? `/channels/${props.guildId}/${props.channelId}` : `/channels/${props.guildId}`;
  return (
    <div class="member-groups" id={`member-groups-${props.guildId}`}>
      {props.groups.map((g) => (
        <section class="member-group" aria-label={g.role ? g.role.name : t(g.key === "online" ? "member.online" : "member.offline")}>
          <h3 class="pane-title" hx-ignore="">
            {g.role ? g.role.name : t(g.key === "online" ? "member.online" : "member.offline")} — {g.members.length}
          </h3>
          <ul class="member-list">
            {g.members.map((m) => (
              <li class={`member-row${g.key === "offline" ? " offline" : ""}`} data-user-id={m.user.id} data-status={g.key === "offline" ? "offline" : m.presence}>
                {/* Without JavaScript the link reloads the page with the card; htmx swaps just the card in. */}
                <a class="member-link" href={`${base}?member=${m.user.id}`} hx-get={`/guilds/${props.guildId}/members/${m.user.id}/card`} hx-target="#popover" hx-swap="innerHTML">
                  <span class="avatar-with-status">
                    <Avatar user={m.user} size={32} />
                    <StatusDot ctx={props.ctx} userId={m.user.id} status={g.key === "offline" ? "offline" : m.presence} />
                  </span>
                  <span class="member-text">
                    <span class="member-name" hx-ignore="" data-role-color={roleColor(m.roles.find((r) => r.color))}>
                      {displayName(m)}
                    </span>
                    {m.user.isBot ? <span class="bot-tag">{t("bots.tag")}</span> : null}
                    {g.key !== "offline" && m.user.customStatus ? (
                      <span class="member-custom-status muted small" hx-ignore="">
                        {m.user.customStatus}
                      </span>
                    ) : null}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** The profile card: avatar, names, roles, member since, and a button to message them. */
export function MemberCard(props: { ctx: PageCtx; guildId: string; view: MemberView; isSelf: boolean; isOwner: boolean }) {
  const { t, locale } = props.ctx;
  const { user, member, roles } = props.view;
  return (
    <article class="member-card" aria-label={displayName(props.view)} hx-ignore="">
      <Avatar user={user} size={80} />
      <h3>
        {displayName(props.view)} {user.isBot ? <span class="bot-tag">{t("bots.tag")}</span> : null}
      </h3>
      <p class="muted">
        {user.username}
        {user.pronouns ? ` · ${user.pronouns}` : ""}
      </p>
      {props.isOwner ? <p class="badge">{t("guild.owner")}</p> : null}
      {user.about ? <p class="about">{user.about}</p> : null}
      <h4>{t("member.roles")}</h4>
      <ul class="role-chips">
        {roles.map((r) => (
          <li class="role-chip">{r.name}</li>
        ))}
      </ul>
      <p class="small">
        {t("guild.memberSince")}: {new Date(member.joinedAt).toLocaleDateString(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium" })}
      </p>
      {props.isSelf ? null : (
        <form method="post" action="/dm" class="card-actions">
          <input type="hidden" name="user" value={user.id} />
          <button type="submit" class="primary">
            {t("member.message")}
          </button>
        </form>
      )}
    </article>
  );
}
