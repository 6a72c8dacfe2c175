// Admin → IP bans: ban an address or a range (signing out the accounts seen there and deleting
// their recent messages), the list of bans, and lifting one. Every action is in the instance
// audit log (ip_ban.create / ip_ban.delete).
import type { IpBan } from "../../src/moderation/table.ts";
import { Purge } from "../moderation/pages.tsx";
import { Field } from "../shared/form.tsx";
import type { FormErrors, PageCtx } from "../shared/page-ctx.ts";
import { AdminLayout } from "./pages.tsx";

export function IpBansPage(props: { ctx: PageCtx; bans: (IpBan & { by: string })[]; notice?: string; errors?: FormErrors }) {
  const { t } = props.ctx;
  return (
    <AdminLayout ctx={props.ctx} page="ipBans" notice={props.notice} error={props.errors?.general}>
      <section class="settings-section" aria-labelledby="ip-ban-new">
        <h2 id="ip-ban-new">{t("moderation.ipBanNew")}</h2>
        <p class="muted">{t("moderation.ipBanHint")}</p>
        <form method="post" action="/admin/ip-bans" class="stack">
          <Field label={t("moderation.ipBanAddress")} name="ip" required maxlength={64} error={props.errors?.fields?.ip} />
          <Field label={t("moderation.reason")} name="reason" maxlength={512} error={props.errors?.fields?.reason} />
          <Purge ctx={props.ctx} />
          <button type="submit" class="danger">
            {t("moderation.ipBanSubmit")}
          </button>
        </form>
      </section>
      <section class="settings-section" aria-labelledby="ip-ban-list">
        <h2 id="ip-ban-list">{t("moderation.ipBans")}</h2>
        {props.bans.length === 0 ? (
          <p class="muted">{t("moderation.ipBansNone")}</p>
        ) : (
          <table class="data-table ip-bans" hx-ignore="">
            <thead>
              <tr>
                <th scope="col">{t("moderation.ipBanAddress")}</th>
                <th scope="col">{t("moderation.reason")}</th>
                <th scope="col">{t("moderation.ipBanBy")}</th>
                <th scope="col">{t("moderation.ipBanWhen")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("moderation.ipBanLift")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.bans.map((b) => (
                <tr data-ip-ban={b.id}>
                  <td>
                    <code>{b.cidr}</code>
                  </td>
                  <td>{b.reason}</td>
                  <td>{b.by}</td>
                  <td>{b.createdAt.slice(0, 16).replace("T", " ")} UTC</td>
                  <td>
                    <form method="post" action={`/admin/ip-bans/${b.id}/delete`} class="inline-form">
                      <button type="submit" class="button small" aria-label={t("moderation.ipBanLiftNamed", { cidr: b.cidr })}>
                        {t("moderation.ipBanLift")}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </AdminLayout>
  );
}
