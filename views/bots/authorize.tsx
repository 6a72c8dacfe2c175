// The invite page of a bot (Discord's /oauth2/authorize?client_id=…&scope=bot&permissions=…):
// pick one of the servers you manage and the permissions its managed role will hold.
import type { User } from "../../src/auth/table.ts";
import type { Application } from "../../src/bots/table.ts";
import type { Guild } from "../../src/guilds/table.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import { has, Permission, PERMISSION_INFO } from "../../src/permissions/permissions.ts";
import { CardPage } from "../guilds/forms.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { Alert } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

export interface AuthorizeProps {
  ctx: PageCtx;
  app: Application;
  bot: User;
  guilds: Guild[];
  permissions: bigint;
  errors?: FormErrors;
  done?: Guild;
}

export function AuthorizePage(props: AuthorizeProps) {
  const { t } = props.ctx;
  const name = props.app.name;
  return (
    <CardPage ctx={props.ctx} title={t("bots.authorizeTitle", { name })}>
        <header class="bot-app-head" hx-ignore="">
          <Avatar user={props.bot} size={64} />
          <span class="bot-tag">{t("bots.tag")}</span>
        </header>
        {props.app.description ? (
          <p class="about" hx-ignore="">
            {props.app.description}
          </p>
        ) : null}
        {props.errors?.general ? <Alert kind="error">{props.errors.general}</Alert> : null}
        {props.done ? (
          <Alert kind="success">
            <a href={`/channels/${props.done.id}`}>{t("bots.authorized", { name, server: props.done.name })}</a>
          </Alert>
        ) : props.guilds.length === 0 ? (
          <p class="muted">{t("bots.noServers")}</p>
        ) : (
          <form method="post" action={`/oauth2/authorize?client_id=${props.app.id}&scope=bot`} class="stack">
            <div class="field">
              <label for="guild_id">{t("bots.chooseServer")}</label>
              <select id="guild_id" name="guild_id" required>
                {props.guilds.map((g) => (
                  <option value={g.id}>{g.name}</option>
                ))}
              </select>
            </div>
            <fieldset class="choice">
              <legend>{t("bots.authorizeIntro", { name })}</legend>
              {PERMISSION_INFO.map((p) => (
                <label class="choice-option perm-option">
                  <input type="checkbox" name="permissions" value={p.name} checked={has(props.permissions, Permission[p.name])} />
                  <span class="perm-name">{t(`permission.${p.name}` as MessageKey)}</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" class="primary">
              {t("bots.authorize")}
            </button>
          </form>
        )}
    </CardPage>
  );
}
