import type { Channel } from "../../src/guilds/table.ts";
import type { PageCtx } from "../shared/page-ctx.ts";

/** The "Category" picker of the channel forms ("No category" or one of the server's categories). */
export function CategorySelect(props: { ctx: PageCtx; categories: Channel[]; selected?: string | null }) {
  const { t } = props.ctx;
  return (
    <div class="field">
      <label for="f-parent">{t("channel.category")}</label>
      <select id="f-parent" name="parent_id">
        <option value="">{t("channel.none")}</option>
        {props.categories.map((cat) => (
          <option value={cat.id} selected={cat.id === props.selected}>
            {cat.name}
          </option>
        ))}
      </select>
    </div>
  );
}
