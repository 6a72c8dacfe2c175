// Browser pages for direct messages: a conversation, the new-message picker, group tools, blocks.
import { CallButton } from "../../views/voice/ring.tsx";
import { VoicePanel } from "../../views/voice/panel.tsx";
import { Hono, type Context } from "hono";
import { and, eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import { DmActions, DmMain, GroupPanel, NewDmMain } from "../../views/dms/pages.tsx";
import { DmSidebar } from "../../views/dms/sidebar.tsx";
import { MessagePane } from "../../views/messages/pane.tsx";
import { lastReadOf, loadHistory } from "../messages/history.ts";
import { markRead } from "../messages/read-state.ts";
import { AppShell } from "../../views/shell/app-shell.tsx";
import { currentAuth } from "../auth/middleware.ts";
import { users, type User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import { channelAccess, unknownChannel } from "../guilds/access.ts";
import { shellData } from "../guilds/shell.ts";
import { members } from "../guilds/table.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, safeNext } from "../http/page.ts";
import { parseForm, snowflakeParam, text } from "../http/validate.ts";
import { findUserByName } from "../users/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { addToGroup, createGroupDm, dmTitle, dmView, isBlocked, listDms, openDm, removeFromGroup, renameGroup, setBlocked, setDmPrivacy } from "./service.ts";

/** People who share a server with me, optionally matching a search, for the picker. */
function candidates(core: Core, me: string, query: string): User[] {
  const mine = core.db.readOrm.select({ g: members.guildId }).from(members).where(eq(members.userId, me)).all().map((r) => r.g);
  if (mine.length === 0) return [];
  const q = query.trim().slice(0, 64).replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const pattern = `%${q}%`;
  const rows = core.db.readOrm
    .selectDistinct({ user: users })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(sql`${members.guildId} IN (${sql.join(mine.map((g) => sql`${BigInt(g)}`), sql`, `)})`, q ? or(sql`${users.username} LIKE ${pattern} ESCAPE '\\'`, sql`${users.displayName} LIKE ${pattern} ESCAPE '\\'`) : undefined))
    .limit(50)
    .all();
  return rows.map((r) => r.user).filter((u) => u.id !== me && !u.deletedAt && !u.deactivatedAt);
}

export function dmPages(core: Core) {
  const app = new Hono<AppEnv>();
  // Mounted at "/": scope the sign-in check to this app's own paths, not every request.
  app.use("/channels/*", requirePageUser);
  app.use("/dm", requirePageUser);
  app.use("/dm/*", requirePageUser);
  app.use("/settings/dm-privacy", requirePageUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user;

  const conversation = (c: Context<AppEnv>, channelId: string, error?: string, status = 200, lastReadId: string | null = null) => {
    const access = channelAccess(core, me(c).id, channelId);
    if (!access || access.guild) throw unknownChannel();
    const view = dmView(core, me(c).id, access.channel);
    const { ctx, dmStates, shell } = shellData(c, core);
    const other = view.recipients[0];
    const blocked = access.channel.type === 1 && other ? isBlocked(core, me(c).id, other.id) : false;
    return c.html(
      <AppShell
        {...shell}
        activeGuildId={null}
        title={dmTitle(view)}
        sidebarTitle={<h2>{ctx.t("dm.title")}</h2>}
        sidebar={<DmSidebar ctx={ctx} dms={listDms(core, me(c).id)} activeId={channelId} states={dmStates} />}
        mainTitle={<span hx-ignore="">{dmTitle(view)}</span>}
        mainHeader={
          <>
            {blocked ? null : <CallButton ctx={ctx} channelId={channelId} />}
            <DmActions ctx={ctx} view={view} blocked={blocked} />
          </>
        }
        main={
          <>
            {c.req.query("call") !== undefined && !blocked ? <VoicePanel ctx={ctx} guildId={null} channelId={channelId} name={dmTitle(view)} canStream={true} /> : null}
            <DmMain ctx={ctx} view={view} blocked={blocked} />
            <MessagePane
              ctx={ctx}
              history={loadHistory(core, me(c).id, channelId, null, { around: c.req.query("around"), lastReadId })}
              intro=""
              canSend={!blocked}
              canManage={false}
              canPin={true}
              placeholder={ctx.t("message.placeholderDm", { name: dmTitle(view) })}
            />
          </>
        }
        scripts={["js/history.js", "js/mentions.js", "js/composer.js", "js/commands.js", ...(c.req.query("call") !== undefined && !blocked ? ["js/voice.js"] : [])]}
        members={access.channel.type === 3 ? <GroupPanel ctx={ctx} view={view} me={me(c)} error={error} /> : undefined}
      />,
      status as 200,
    );
  };

  app.get("/channels/@me", (c) => c.redirect("/", 302));
  app.get("/channels/@me/:channel", async (c) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    const lastReadId = lastReadOf(core, me(c).id, parsed.data);
    if (channelAccess(core, me(c).id, parsed.data)) await markRead(core, me(c).id, parsed.data);
    return conversation(c, parsed.data, undefined, 200, lastReadId);
  });

  const picker = (c: Context<AppEnv>, error?: string, status = 200) => {
    const { ctx, dmStates, shell } = shellData(c, core);
    const query = c.req.query("q") ?? "";
    return c.html(
      <AppShell
        {...shell}
        activeGuildId={null}
        title={ctx.t("dm.new")}
        sidebarTitle={<h2>{ctx.t("dm.title")}</h2>}
        sidebar={<DmSidebar ctx={ctx} dms={listDms(core, me(c).id)} states={dmStates} />}
        mainTitle={ctx.t("dm.new")}
        main={<NewDmMain ctx={ctx} candidates={candidates(core, me(c).id, query)} query={query} error={error} />}
      />,
      status as 200,
    );
  };
  app.get("/dm/new", (c) => picker(c));
  app.post("/dm", async (c) => {
    const form = await parseForm(c, z.object({ user: z.union([z.string().regex(/^\d{1,20}$/), z.array(z.string().regex(/^\d{1,20}$/)).max(20)]).optional(), name: text(200).optional() }));
    const chosen = form.user === undefined ? [] : Array.isArray(form.user) ? form.user : [form.user];
    try {
      const channel = chosen.length === 1 && !form.name ? await openDm(core, me(c).id, chosen[0]!) : await createGroupDm(core, me(c).id, chosen, form.name ?? "");
      return c.redirect(`/channels/@me/${channel.id}`, 303);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return picker(c, errors.general, status);
    }
  });

  const groupAction = (path: string, run: (c: Context<AppEnv>, channelId: string) => Promise<unknown>) =>
    app.post(path, async (c) => {
      const parsed = snowflakeParam.safeParse(c.req.param("channel"));
      if (!parsed.success) throw unknownChannel();
      try {
        await run(c, parsed.data);
        return c.redirect(channelAccess(core, me(c).id, parsed.data) ? `/channels/@me/${parsed.data}` : "/", 303);
      } catch (err) {
        const { errors, status } = formErrors(c, err);
        return conversation(c, parsed.data, errors.general ?? Object.values(errors.fields ?? {})[0], status);
      }
    });
  groupAction("/dm/:channel/add", async (c, channelId) => {
    const form = await parseForm(c, z.object({ username: text(64) }));
    const user = findUserByName(core, form.username);
    await addToGroup(core, me(c).id, channelId, user?.id ?? "0");
  });
  groupAction("/dm/:channel/remove/:user", (c, channelId) => removeFromGroup(core, me(c).id, channelId, c.req.param("user") ?? ""));
  groupAction("/dm/:channel/leave", (c, channelId) => removeFromGroup(core, me(c).id, channelId, me(c).id));
  groupAction("/dm/:channel/rename", async (c, channelId) => {
    const form = await parseForm(c, z.object({ name: text(200) }));
    await renameGroup(core, me(c).id, channelId, form.name);
  });

  app.post("/dm/block/:user", async (c) => {
    const form = await parseForm(c, z.object({ blocked: z.enum(["0", "1"]) }));
    const target = snowflakeParam.safeParse(c.req.param("user"));
    if (!target.success) throw unknownChannel();
    await setBlocked(core, me(c).id, target.data, form.blocked === "1");
    const back = c.req.header("Referer");
    return c.redirect(safeNext(back && URL.canParse(back) ? new URL(back).pathname : "/"), 303);
  });
  app.post("/settings/dm-privacy", async (c) => {
    const form = await parseForm(c, z.object({ allow: z.literal("1").optional() }));
    await setDmPrivacy(core, me(c).id, form.allow === "1");
    return c.redirect("/settings/account?saved=1", 303);
  });
  return app;
}

