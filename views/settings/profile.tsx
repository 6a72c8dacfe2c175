import { LOCALES } from "../../src/i18n/index.ts";
import { DENSITIES, FONT_SIZES } from "../../src/users/appearance.ts";
import { Avatar } from "../shared/avatar.tsx";
import { Choice, Field, TextArea } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { SettingsLayout } from "./layout.tsx";

export function ProfileSettings(props: { ctx: PageCtx; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  const user = props.ctx.user!;
  const f = props.errors?.fields ?? {};
  return (
    <SettingsLayout ctx={props.ctx} page="profile" notice={props.notice} error={props.errors?.general} scripts={["js/avatar-crop.js"]}>
      <section class="settings-section" aria-labelledby="avatar-title">
        <h2 id="avatar-title">{t("profile.avatar")}</h2>
        <div class="avatar-row">
          <Avatar user={user} size={80} />
          <form method="post" action="/settings/avatar" enctype="multipart/form-data" class="stack" data-avatar-crop="">
            <label for="f-avatar">{t("profile.avatarUpload")}</label>
            <input id="f-avatar" name="avatar" type="file" accept="image/png,image/jpeg,image/webp" required aria-describedby="f-avatar-hint" />
            <p class="hint" id="f-avatar-hint">
              {t("profile.avatarHint")}
            </p>
            {f.avatar ? <p class="field-error">{f.avatar}</p> : null}
            <button type="submit">{t("common.save")}</button>
          </form>
          {user.avatar ? (
            <form method="post" action="/settings/avatar/remove">
              <button type="submit" class="link-button">
                {t("profile.avatarRemove")}
              </button>
            </form>
          ) : null}
        </div>
      </section>
      <form method="post" action="/settings/profile" class="stack settings-section">
        <Field label={t("common.displayName")} name="display_name" value={user.displayName} maxlength={32} error={f.display_name} />
        <Field label={t("profile.pronouns")} name="pronouns" value={user.pronouns} maxlength={40} error={f.pronouns} />
        <TextArea label={t("profile.about")} name="about" value={user.about} maxlength={190} error={f.about} />
        <Choice
          legend={t("profile.status")}
          name="status"
          selected={user.status}
          options={(["online", "idle", "dnd", "invisible"] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Field label={t("profile.customStatus")} name="custom_status" value={user.customStatus} maxlength={128} error={f.custom_status} />
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
    </SettingsLayout>
  );
}

export function AppearanceSettings(props: { ctx: PageCtx; notice?: string }) {
  const { t } = props.ctx;
  const user = props.ctx.user!;
  return (
    <SettingsLayout ctx={props.ctx} page="appearance" notice={props.notice}>
      <form method="post" action="/settings/appearance" class="stack settings-section">
        <Choice legend={t("appearance.theme")} name="theme" selected={user.theme} options={(["dark", "light", "system"] as const).map((v) => ({ value: v, label: t(`theme.${v}`) }))} />
        <div class="field">
          <label for="f-locale">{t("appearance.language")}</label>
          <select id="f-locale" name="locale">
            {Object.entries(LOCALES).map(([code, name]) => (
              <option value={code} selected={code === user.locale} lang={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <Choice legend={t("appearance.timeFormat")} name="time_format" selected={user.timeFormat} options={(["24h", "12h"] as const).map((v) => ({ value: v, label: t(`time.${v}`) }))} />
        <fieldset class="choice">
          <legend>{t("appearance.accent")}</legend>
          <label class="choice-option">
            <input type="checkbox" name="accent_default" value="1" checked={user.accent === ""} /> {t("appearance.accentDefault")}
          </label>
          <label class="choice-option" for="f-accent">
            {t("appearance.accentPick")}
            <input id="f-accent" type="color" name="accent" value={user.accent || "#5865f2"} />
          </label>
        </fieldset>
        <Choice legend={t("appearance.density")} name="density" selected={user.density} options={DENSITIES.map((v) => ({ value: v, label: t(`appearance.density.${v}`) }))} />
        <div class="field">
          <label for="f-font-size">{t("appearance.fontSize")}</label>
          <select id="f-font-size" name="font_size">
            {FONT_SIZES.map((size) => (
              <option value={String(size)} selected={size === user.fontSize}>
                {t("appearance.fontSizePx", { size })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
      </form>
    </SettingsLayout>
  );
}
