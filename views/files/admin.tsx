import type { PageCtx } from "../shared/page-ctx.ts";
import { Field } from "../shared/form.tsx";

/** File size and storage quota, on the admin settings page. */
export function FileLimitsForm(props: { ctx: PageCtx; maxFileMb: number; quotaMb: number }) {
  const { t } = props.ctx;
  return (
    <section class="settings-section" aria-labelledby="file-limits-title">
      <h2 id="file-limits-title">{t("files.adminTitle")}</h2>
      <form method="post" action="/admin/files" class="inline-fields">
        <Field label={t("files.maxFileSize")} name="max_file_size_mb" type="number" value={String(props.maxFileMb)} inputmode="numeric" required />
        <Field label={t("files.storageQuota")} name="storage_quota_mb" type="number" value={String(props.quotaMb)} inputmode="numeric" required />
        <button type="submit">{t("common.save")}</button>
      </form>
    </section>
  );
}
