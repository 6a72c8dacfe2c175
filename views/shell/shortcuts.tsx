import type { MessageKey } from "../../src/i18n/index.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

// Keys as people read them. Ctrl stands for Cmd on a Mac as well (the scripts accept either).
const SHORTCUTS: [keys: string[], label: MessageKey][] = [
  [["Ctrl", "K"], "shortcuts.switcher"],
  [["Alt", "↑ / ↓"], "shortcuts.channelNext"],
  [["Alt", "Shift", "↑ / ↓"], "shortcuts.unreadNext"],
  [["Esc"], "shortcuts.markRead"],
  [["Page Up"], "shortcuts.focusMessages"],
  [["↑ / ↓"], "shortcuts.betweenMessages"],
  [["↑"], "shortcuts.editLast"],
  [["Enter"], "shortcuts.send"],
  [["Shift", "Enter"], "shortcuts.newline"],
  [["Ctrl", "/"], "shortcuts.list"],
];

/** The shortcut list (Ctrl+/): a native modal dialog, so focus stays inside and returns on close. */
export function ShortcutsDialog(props: { ctx: PageCtx }) {
  const { t } = props.ctx;
  return (
    <dialog id="shortcuts-dialog" class="shortcuts-dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
      <dl class="shortcut-list">
        {SHORTCUTS.map(([keys, label]) => (
          <div class="shortcut">
            <dt>
              {keys.map((k, i) => (
                <>
                  {i > 0 ? " + " : null}
                  <kbd>{k}</kbd>
                </>
              ))}
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">{t("shortcuts.messageActions")}</p>
      <form method="dialog">
        <button type="submit" class="primary" autofocus>
          {t("shortcuts.close")}
        </button>
      </form>
    </dialog>
  );
}
