import type { CustomEmoji } from "../../src/emoji/table.ts";
import { emojiPath } from "../../src/emoji/service.ts";
import type { Guild } from "../../src/guilds/table.ts";
import { guildNav, type GuildAbilities } from "../guilds/settings.tsx";
import { SettingsFrame } from "../guilds/settings-frame.tsx";
import { Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";

/** Server settings → Emoji: upload (PNG, GIF or WebP, 256 KiB), rename, remove. */
export function EmojiSettingsPage(props: { ctx: PageCtx; guild: Guild; can: GuildAbilities; emojis: CustomEmoji[]; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const g = props.guild;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsFrame ctx={props.ctx} guild={g} title={t("emoji.title")} nav={guildNav(props.ctx, g, "emoji", props.can)} notice={props.notice} error={props.errors?.general}>
      <p class="muted">{t("emoji.hint")}</p>
      <form method="post" action={`/guilds/${g.id}/emojis`} enctype="multipart/form-data" class="stack emoji-upload">
        <Field label={t("emoji.name")} name="name" required maxlength={32} minlength={2} error={f.name} hint={t("emoji.nameHint")} />
        <div class={`field${f.image ? " has-error" : ""}`}>
          <label for="f-image">{t("emoji.image")}</label>
          <input id="f-image" name="image" type="file" accept="image/png,image/gif,image/webp" required aria-describedby={f.image ? "f-image-error" : undefined} />
          {f.image ? (
            <p class="field-error" id="f-image-error">
              {f.image}
            </p>
          ) : null}
        </div>
        <button type="submit" class="primary">
          {t("emoji.upload")}
        </button>
      </form>
      {props.emojis.length === 0 ? (
        <p class="muted">{t("emoji.none")}</p>
      ) : (
        <ul class="emoji-list" hx-ignore="">
          {props.emojis.map((e) => (
            <li class="emoji-row" id={`emoji-${e.id}`}>
              <img src={emojiPath(e)} alt={`:${e.name}:`} width={32} height={32} />
              <form method="post" action={`/guilds/${g.id}/emojis/${e.id}`} class="inline-form">
                <label class="visually-hidden" for={`rename-${e.id}`}>
                  {t("emoji.name")}
                </label>
                <input id={`rename-${e.id}`} name="name" value={e.name} required maxlength={32} minlength={2} />
                <button type="submit" class="link-button">
                  {t("common.save")}
                </button>
              </form>
              <form method="post" action={`/guilds/${g.id}/emojis/${e.id}/delete`} class="inline-form">
                <button type="submit" class="link-button danger" aria-label={t("emoji.remove", { name: e.name })}>
                  {t("common.delete")}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </SettingsFrame>
  );
}
