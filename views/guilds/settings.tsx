import type { User } from "../../src/auth/table.ts";
import type { Guild, Role } from "../../src/guilds/table.ts";
import type { InviteView } from "../../src/invites/service.ts";
import { displayName, type MemberView } from "../../src/members/service.ts";
import { has, Permission, PERMISSION_INFO } from "../../src/permissions/permissions.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import { Field } from "../shared/form.tsx";
import { TableHead } from "../shared/table-head.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { SettingsFrame, type NavItem } from "./settings-frame.tsx";

export type GuildSettingsPage = "overview" | "roles" | "members" | "invites" | "bans" | "emoji" | "moderation" | "reports" | "automod" | "audit" | "subscriptions";

export interface GuildAbilities {
  manageGuild: boolean;
  manageRoles: boolean;
  ban: boolean;
  isOwner: boolean;
  /** MANAGE_GUILD_EXPRESSIONS: the Emoji page (src/emoji/routes.tsx). */
  manageExpressions?: boolean;
  /** Kick, ban, timeout or manage messages: the Moderation and Reports pages (src/moderation/routes.tsx). */
  moderate?: boolean;
  /** VIEW_AUDIT_LOG: the Audit log page. */
  viewAudit?: boolean;
  /** MANAGE_WEBHOOKS: the Event subscriptions page (src/subscriptions/routes.tsx; MANAGE_GUILD also opens it). */
  manageWebhooks?: boolean;
}

export function guildNav(ctx: PageCtx, guild: Guild, page: GuildSettingsPage, can: GuildAbilities): NavItem[] {
  const item = (p: GuildSettingsPage, label: MessageKey): NavItem => ({ href: `/guilds/${guild.id}/settings${p === "overview" ? "" : `/${p}`}`, label: ctx.t(label), current: p === page });
  const items = [item("overview", "guild.overview")];
  if (can.manageRoles) items.push(item("roles", "guild.roles"), item("members", "guild.members"));
  if (can.manageGuild) items.push(item("invites", "guild.invites"));
  if (can.ban) items.push(item("bans", "guild.bans"));
  if (can.manageExpressions) items.push(item("emoji", "emoji.title"));
  if (can.moderate) items.push(item("moderation", "moderation.title"), item("reports", "moderation.reports"));
  if (can.manageGuild) items.push(item("automod", "automod.title"));
  if (can.viewAudit) items.push(item("audit", "moderation.audit"));
  if (can.manageGuild || can.manageWebhooks) items.push(item("subscriptions", "subscriptions.title"));
  return items;
}

export function OverviewPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; members: MemberView[]; myNick: string | null; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const f = props.errors?.fields ?? {};
  const g = props.guild;
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("guild.settings")} nav={guildNav(props.ctx, g, "overview", props.can)} notice={props.notice} error={props.errors?.general}>
      <form method="post" action={`/guilds/${g.id}/nick`} class="inline-fields settings-section">
        <Field label={t("member.nick")} name="nick" value={props.myNick ?? ""} maxlength={32} error={f.nick} />
        <button type="submit">{t("common.save")}</button>
      </form>
      {props.can.manageGuild ? (
        <section class="settings-section" aria-labelledby="icon-title">
          <h2 id="icon-title">{t("guild.icon")}</h2>
          <div class="avatar-row">
            {g.icon ? <img class="guild-icon" src={`/icons/${g.icon}.webp`} alt="" width="80" height="80" /> : null}
            <form method="post" action={`/guilds/${g.id}/icon`} enctype="multipart/form-data" class="stack" data-avatar-crop="">
              <label for="f-icon">{t("guild.icon")}</label>
              <input id="f-icon" name="icon" type="file" accept="image/png,image/jpeg,image/webp" required />
              <p class="hint">{t("profile.avatarHint")}</p>
              {f.icon ? <p class="field-error">{f.icon}</p> : null}
              <button type="submit">{t("common.save")}</button>
            </form>
            {g.icon ? (
              <form method="post" action={`/guilds/${g.id}/icon/remove`}>
                <button type="submit" class="link-button">
                  {t("guild.iconRemove")}
                </button>
              </form>
            ) : null}
          </div>
        </section>
      ) : null}
      {props.can.manageGuild ? (
        <form method="post" action={`/guilds/${g.id}/settings`} class="stack settings-section">
          <Field label={t("guild.name")} name="name" value={g.name} required maxlength={100} error={f.name} />
          <Field label={t("guild.description")} name="description" value={g.description} maxlength={300} error={f.description} />
          <button type="submit" class="primary">
            {t("common.save")}
          </button>
        </form>
      ) : null}
      {props.can.isOwner ? (
        <>
          <form method="post" action={`/guilds/${g.id}/transfer`} class="stack settings-section">
            <h2>{t("guild.transfer")}</h2>
            <div class="field">
              <label for="f-owner">{t("guild.newOwner")}</label>
              <select id="f-owner" name="owner_id">
                {props.members
                  .filter((m) => m.user.id !== g.ownerId)
                  .map((m) => (
                    <option value={m.user.id}>{displayName(m)}</option>
                  ))}
              </select>
            </div>
            <button type="submit">{t("guild.transfer")}</button>
          </form>
          <form method="post" action={`/guilds/${g.id}/delete`} class="stack settings-section danger-zone">
            <h2>{t("guild.delete")}</h2>
            <p>{t("guild.deleteHint")}</p>
            <Field label={t("guild.confirm")} name="confirm" required error={f.confirm} />
            <button type="submit" class="danger">
              {t("guild.delete")}
            </button>
          </form>
        </>
      ) : (
        <form method="post" action={`/guilds/${g.id}/leave`} class="settings-section">
          <button type="submit" class="danger">
            {t("guild.leave")}
          </button>
        </form>
      )}
    </SettingsFrame>
  );
}

export function RolesPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; roles: Role[]; notice?: string; error?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("guild.roles")} nav={guildNav(props.ctx, g, "roles", props.can)} notice={props.notice} error={props.error}>
      <form method="post" action={`/guilds/${g.id}/roles`} class="inline-fields settings-section">
        <Field label={t("role.name")} name="name" required maxlength={100} />
        <button type="submit" class="primary">
          {t("role.create")}
        </button>
      </form>
      <table class="data-table" hx-ignore="">
        <tbody>
          {props.roles.map((r) => (
            <tr data-role={r.name}>
              <td>{r.id === g.id ? "@everyone" : r.name}</td>
              <td class="actions">
                <a href={`/guilds/${g.id}/roles/${r.id}`}>{t("role.edit")}</a>
                {r.id === g.id ? null : (
                  <>
                    <form method="post" action={`/guilds/${g.id}/roles/${r.id}/move`} class="inline-form">
                      <input type="hidden" name="direction" value="up" />
                      <button type="submit" class="link-button" aria-label={`${t("channel.moveUp")}: ${r.name}`}>
                        ↑
                      </button>
                    </form>
                    <form method="post" action={`/guilds/${g.id}/roles/${r.id}/move`} class="inline-form">
                      <input type="hidden" name="direction" value="down" />
                      <button type="submit" class="link-button" aria-label={`${t("channel.moveDown")}: ${r.name}`}>
                        ↓
                      </button>
                    </form>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SettingsFrame>
  );
}

export function RoleEditPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; role: Role; members: MemberView[]; others: MemberView[]; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const { role, guild: g } = props;
  const everyone = role.id === g.id;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={everyone ? "@everyone" : role.name} nav={guildNav(props.ctx, g, "roles", props.can)} notice={props.notice} error={props.errors?.general}>
      {everyone ? <p>{t("role.everyoneHint")}</p> : null}
      <form method="post" action={`/guilds/${g.id}/roles/${role.id}`} class="stack settings-section">
        {everyone ? null : (
          <>
            <Field label={t("role.name")} name="name" value={role.name} required maxlength={100} error={f.name} />
            <div class="field">
              <label for="f-color">{t("role.colorLabel")}</label>
              <input id="f-color" type="color" name="color" value={`#${role.color.toString(16).padStart(6, "0")}`} />
            </div>
            <label class="choice-option">
              <input type="checkbox" name="hoist" value="1" checked={role.hoist} /> {t("role.hoist")}
            </label>
            <label class="choice-option">
              <input type="checkbox" name="mentionable" value="1" checked={role.mentionable} /> {t("role.mentionable")}
            </label>
          </>
        )}
        <fieldset class="choice permission-list">
          <legend>{t("role.permissions")}</legend>
          {PERMISSION_INFO.map((p) => (
            <label class="choice-option perm-option">
              <input type="checkbox" name="permissions" value={p.name} checked={has(role.permissions, Permission[p.name])} />
              <span>
                <span class="perm-name">{t(`permission.${p.name}` as MessageKey)}</span>
                <span class="hint">{t(`permission.${p.name}.desc` as MessageKey)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
      {everyone ? null : (
        <>
          <section class="settings-section" aria-labelledby="role-members">
            <h2 id="role-members">{t("role.members")}</h2>
            <ul class="member-list" hx-ignore="">
              {props.members.map((m) => (
                <li class="member-row">
                  {displayName(m)}
                  <form method="post" action={`/guilds/${g.id}/members/${m.user.id}/roles/${role.id}/remove`} class="inline-form">
                    <button type="submit" class="link-button" aria-label={`${t("role.take")}: ${displayName(m)}`}>
                      {t("role.take")}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action={`/guilds/${g.id}/roles/${role.id}/give`} class="inline-fields">
              <div class="field">
                <label for="f-give">{t("role.give")}</label>
                <select id="f-give" name="user_id">
                  {props.others.map((m) => (
                    <option value={m.user.id}>{displayName(m)}</option>
                  ))}
                </select>
              </div>
              <button type="submit">{t("role.give")}</button>
            </form>
          </section>
          <form method="post" action={`/guilds/${g.id}/roles/${role.id}/delete`} class="settings-section danger-zone">
            <button type="submit" class="danger">
              {t("role.delete")}
            </button>
          </form>
        </>
      )}
    </SettingsFrame>
  );
}

export function MembersPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; members: MemberView[]; notice?: string; error?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("guild.members")} nav={guildNav(props.ctx, g, "members", props.can)} notice={props.notice} error={props.error}>
      <table class="data-table" hx-ignore="">
        <tbody>
          {props.members.map((m) => (
            <tr data-member={m.user.username}>
              <td>
                {displayName(m)} <span class="muted">{m.user.username}</span>
              </td>
              <td>{m.roles.map((r) => r.name).join(", ")}</td>
              <td class="actions">
                {props.can.ban && m.user.id !== g.ownerId && m.user.id !== props.ctx.user?.id ? (
                  <form method="post" action={`/guilds/${g.id}/bans/${m.user.id}`} class="inline-form">
                    <button type="submit" class="link-button danger-text" aria-label={`${t("guild.ban")}: ${m.user.username}`}>
                      {t("guild.ban")}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SettingsFrame>
  );
}

export function InvitesPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; invites: InviteView[]; publicUrl: string; notice?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("guild.invites")} nav={guildNav(props.ctx, g, "invites", props.can)} notice={props.notice}>
      {props.invites.length === 0 ? (
        <p class="muted">{t("invite.none")}</p>
      ) : (
        <table class="data-table" hx-ignore="">
          <TableHead columns={[t("invite.link"), t("invite.by"), t("invite.uses"), t("invite.expires")]} actions={t("invite.revoke")} />
          <tbody>
            {props.invites.map((v) => (
              <tr>
                <td>
                  <code>{`${props.publicUrl}/invite/${v.invite.code}`}</code> #{v.channel.name}
                </td>
                <td>{v.inviter?.username ?? ""}</td>
                <td>
                  {v.invite.uses}/{v.invite.maxUses ?? "∞"}
                </td>
                <td>{v.invite.expiresAt?.slice(0, 16).replace("T", " ") ?? t("common.never")}</td>
                <td>
                  <form method="post" action={`/invite/${v.invite.code}/revoke`} class="inline-form">
                    <button type="submit" class="link-button">
                      {t("invite.revoke")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SettingsFrame>
  );
}

export function BansPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; bans: { user: User; reason: string }[]; notice?: string }) {
  const { t } = props.ctx;
  const g = props.guild;
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("guild.bans")} nav={guildNav(props.ctx, g, "bans", props.can)} notice={props.notice}>
      {props.bans.length === 0 ? (
        <p class="muted">{t("guild.noBans")}</p>
      ) : (
        <ul class="member-list" hx-ignore="">
          {props.bans.map((b) => (
            <li class="member-row">
              {b.user.username} <span class="muted">{b.reason}</span>
              <form method="post" action={`/guilds/${g.id}/bans/${b.user.id}/remove`} class="inline-form">
                <button type="submit" class="link-button">
                  {t("guild.unban")}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </SettingsFrame>
  );
}
