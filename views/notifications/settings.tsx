import type { Guild } from "../../src/guilds/table.ts";
import type { Channel } from "../../src/guilds/table.ts";
import type { MessageKey } from "../../src/i18n/index.ts";
import { isMuted, MUTED_FOREVER, MUTE_MINUTES, type Prefs, type ScopeSettings } from "../../src/notifications/settings.ts";
import { SettingsLayout } from "../settings/layout.tsx";
import type { PageCtx } from "../shared/page-ctx.ts";

type Row = { id: string; name: string; settings: ScopeSettings };

function Select(props: { label: string; name: string; options: [string, string][]; selected: string }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select name={props.name}>
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.selected}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

const tri = (v: boolean | null) => (v === null ? "" : v ? "1" : "0");

/** One server's or channel's choices; `inherit` offers "as the server says" (channels). */
function ScopeForm(props: { ctx: PageCtx; row: Row; inherit: boolean; back: string }) {
  const { t, locale } = props.ctx;
  const s = props.row.settings;
  const levelOptions: [string, string][] = [
    ...(props.inherit ? ([["", t("notify.levelInherit")]] as [string, string][]) : []),
    ["all", t("notify.levelAll")],
    ["mentions", t("notify.levelMentions")],
    ["nothing", t("notify.levelNothing")],
  ];
  const muteOptions: [string, string][] = [["keep", t("notify.muteKeep")], ["off", t("notify.muteOff")], ...MUTE_MINUTES.map((m): [string, string] => [String(m), t(m === 0 ? "notify.muteForever" : (`notify.mute${m}` as MessageKey))])];
  const yesNo: [string, string][] = props.inherit ? [["", t("notify.inherit")], ["1", t("notify.yes")], ["0", t("notify.no")]] : [["1", t("notify.yes")], ["0", t("notify.no")]];
  const muted = isMuted(s);
  return (
    <form method="post" action={`/settings/notifications/scope/${props.row.id}`} class="notify-scope" data-scope={props.row.id}>
      <input type="hidden" name="back" value={props.back} />
      <h3>{props.row.name}</h3>
      {muted ? <p class="muted">{s.mutedUntil === MUTED_FOREVER ? t("notify.mutedForever") : t("notify.mutedUntil", { time: new Date(s.mutedUntil).toLocaleString(locale) })}</p> : null}
      <Select label={t("notify.level")} name="level" options={levelOptions} selected={s.level ?? (props.inherit ? "" : "mentions")} />
      <Select label={t("notify.mute")} name="mute" options={muteOptions} selected="keep" />
      <Select label={t("notify.suppressEveryone")} name="suppress_everyone" options={yesNo} selected={props.inherit ? tri(s.suppressEveryone) : s.suppressEveryone ? "1" : "0"} />
      <Select label={t("notify.suppressRoles")} name="suppress_roles" options={yesNo} selected={props.inherit ? tri(s.suppressRoles) : s.suppressRoles ? "1" : "0"} />
      <button type="submit">{t("notify.save")}</button>
    </form>
  );
}

export function NotificationSettings(props: { ctx: PageCtx; prefs: Prefs; servers: Row[]; vapidKey: string; notice?: string }) {
  const { t } = props.ctx;
  return (
    <SettingsLayout ctx={props.ctx} page="notifications" notice={props.notice} scripts={["js/notify-settings.js"]}>
      <section class="settings-section" id="notify-device" data-vapid-key={props.vapidKey} data-on={t("notify.stateOn")} data-off={t("notify.stateOff")} data-denied={t("notify.stateDenied")} data-unsupported={t("notify.stateUnsupported")}>
        <h2>{t("notify.deviceTitle")}</h2>
        <p class="muted">{t("notify.deviceIntro")}</p>
        <p id="notify-state" role="status"></p>
        <button type="button" id="notify-enable" class="primary">
          {t("notify.enable")}
        </button>{" "}
        <button type="button" id="notify-disable" hidden>
          {t("notify.disable")}
        </button>
      </section>
      <section class="settings-section">
        <h2>{t("notify.general")}</h2>
        <form method="post" action="/settings/notifications/prefs">
          <label class="check">
            <input type="checkbox" name="dm_notify" value="1" checked={props.prefs.dmNotify} /> {t("notify.dmNotify")}
          </label>
          <label class="check">
            <input type="checkbox" name="sound" value="1" checked={props.prefs.sound} /> {t("notify.sound")}
          </label>
          <p class="muted">{t("notify.dndHint")}</p>
          <button type="submit">{t("notify.save")}</button>
        </form>
      </section>
      <section class="settings-section">
        <h2>{t("notify.servers")}</h2>
        {props.servers.length === 0 ? <p class="muted">{t("notify.noServers")}</p> : null}
        {props.servers.map((row) => (
          <div class="notify-server">
            <ScopeForm ctx={props.ctx} row={row} inherit={false} back="/settings/notifications" />
            <a href={`/settings/notifications/guilds/${row.id}`}>{t("notify.channels")}</a>
          </div>
        ))}
      </section>
    </SettingsLayout>
  );
}

export function ChannelNotificationSettings(props: { ctx: PageCtx; guild: Guild; channels: (Pick<Channel, "id" | "name"> & { settings: ScopeSettings })[]; notice?: string }) {
  const { t } = props.ctx;
  const back = `/settings/notifications/guilds/${props.guild.id}`;
  return (
    <SettingsLayout ctx={props.ctx} page="notifications" notice={props.notice}>
      <section class="settings-section">
        <h2>{t("notify.channelsOf", { name: props.guild.name })}</h2>
        <p>
          <a href="/settings/notifications">← {t("settings.notifications")}</a>
        </p>
        {props.channels.map((ch) => (
          <ScopeForm ctx={props.ctx} row={{ id: ch.id, name: `#${ch.name ?? ""}`, settings: ch.settings }} inherit={true} back={back} />
        ))}
      </section>
    </SettingsLayout>
  );
}
