import type { Message } from "../../src/messages/table.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/**
 * Editing in place: replaces nothing but the empty slot under the text (CSS hides the text while
 * the slot holds a form). Saving (composer.js posts it) broadcasts the edited message, whose new bytes replace the whole
 * article, form included; Cancel and Escape just empty the slot (composer.js).
 */
export function EditForm(props: { ctx: PageCtx; message: Message }) {
  const { t } = props.ctx;
  const m = props.message;
  const action = `/channels/${m.channelId}/messages/${m.id}/edit`;
  return (
    <form class="edit-form" method="post" action={action} data-edit-form={m.id}>
      <label for={`edit-input-${m.id}`} class="visually-hidden">
        {t("message.edit")}
      </label>
      <textarea id={`edit-input-${m.id}`} name="content" maxlength={4000} rows={2} required autofocus>
        {m.content}
      </textarea>
      <p class="muted small">{t("message.editHint")}</p>
      <div class="edit-actions">
        <button type="button" class="link-button" data-edit-cancel="">
          {t("common.cancel")}
        </button>
        <button type="submit" class="primary small">
          {t("message.editSave")}
        </button>
      </div>
      <p class="field-error" role="alert" hidden></p>
    </form>
  );
}
