// Browser side of moderation: the settings pages (members, rules, reports, AutoMod, audit log),
// their form posts, accepting the rules, and the per-message page (report, move to a thread).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { AuditPage, AutomodPage, MembersModeration, MessageModeration, ReportsPage } from "../../views/moderation/pages.tsx";
import { Document } from "../../views/layouts/document.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel, requireGuild, unknownGuild, visibleChannels, type GuildAccess } from "../guilds/access.ts";
import type { GuildAbilities } from "../../views/guilds/settings.tsx";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam, text } from "../http/validate.ts";
import { listMembers } from "../members/service.ts";
import { findMessage, unknownMessage } from "../messages/service.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { guildRoles } from "../roles/service.ts";
import { findUser } from "../users/service.ts";
import { requirePageUser } from "../users/routes.tsx";
import { channels } from "../guilds/table.ts";
import { and, eq } from "drizzle-orm";
import { listAudit } from "./audit.ts";
import { createRule, deleteRule, listRules, ruleJson } from "./automod/rules.ts";
import { ruleCreate, type Action } from "./automod/schema.ts";
import { moveToThread } from "./channels.ts";
import { channelToolRoutes } from "./channel-routes.ts";
import { banWithPurge, kickMember, timeoutMember } from "./members.ts";
import { isModerator, listReports, reportMessage, resolveReport } from "./reports.ts";
import { acceptRules, serverRules, setServerRules } from "./screening.ts";
import { toReportAction, resolveBody } from "./api.ts";
import { THREAD_TYPES } from "../threads/rules.ts";

const list = (raw: string | undefined) => (raw ?? "").split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
const many = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export function moderationPages(core: Core) {
  const app = new Hono<AppEnv>();
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  const gid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("guild"));
    if (!parsed.success) throw unknownGuild();
    return parsed.data;
  };
  const abilities = (a: GuildAccess): GuildAbilities & { kick: boolean; timeout: boolean } => ({
    manageGuild: has(a.permissions, Permission.MANAGE_GUILD),
    manageRoles: has(a.permissions, Permission.MANAGE_ROLES),
    ban: has(a.permissions, Permission.BAN_MEMBERS),
    isOwner: a.isOwner,
    manageExpressions: has(a.permissions, Permission.MANAGE_GUILD_EXPRESSIONS),
    moderate: isModerator(a),
    viewAudit: has(a.permissions, Permission.VIEW_AUDIT_LOG),
    kick: has(a.permissions, Permission.KICK_MEMBERS),
    timeout: has(a.permissions, Permission.MODERATE_MEMBERS),
  });
  const saved = (c: Context<AppEnv>) => (c.req.query("saved") ? c.get("t")("common.saved") : undefined);
  const back = (c: Context<AppEnv>, page: string) => c.redirect(`/guilds/${gid(c)}/settings/${page}?saved=1`, 303);
  const names = (ids: (string | null)[]) => new Map([...new Set(ids.filter((i): i is string => !!i))].map((id) => [id, findUser(core, id)?.username ?? id]));

  const membersPage = (c: Context<AppEnv>, error?: string, status = 200) => {
    const a = requireGuild(core, me(c), gid(c));
    if (!isModerator(a) && !has(a.permissions, Permission.MANAGE_GUILD)) throw unknownGuild();
    return c.html(<MembersModeration ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} members={listMembers(core, a.guild.id)} rules={serverRules(core.db.readOrm, a.guild.id)} notice={saved(c)} error={error} />, status as 200);
  };
  // Each action answers with the page again and the error on failure (the form keeps working without JS).
  const act = (page: string, fn: (c: Context<AppEnv>) => Promise<unknown>) => async (c: Context<AppEnv>) => {
    try {
      await fn(c);
      return back(c, page);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      const message = errors.general ?? Object.values(errors.fields ?? {})[0];
      if (page === "moderation") return membersPage(c, message, status);
      if (page === "reports") return reportsPage(c, message, status);
      return automodPage(c, message, status);
    }
  };
  app.get("/guilds/:guild/settings/moderation", requirePageUser, (c) => membersPage(c));
  app.post("/guilds/:guild/moderation/kick/:user", requirePageUser, act("moderation", (c) => kickMember(core, me(c), gid(c), c.req.param("user")!)));
  app.post(
    "/guilds/:guild/moderation/ban/:user",
    requirePageUser,
    act("moderation", async (c) => {
      const form = await parseForm(c, z.object({ reason: text(512).default(""), delete_message_seconds: z.coerce.number().int().default(0) }));
      return banWithPurge(core, me(c), gid(c), c.req.param("user")!, { reason: form.reason, deleteMessageSeconds: form.delete_message_seconds });
    }),
  );
  app.post(
    "/guilds/:guild/moderation/timeout/:user",
    requirePageUser,
    act("moderation", async (c) => {
      const form = await parseForm(c, z.object({ seconds: z.coerce.number().int().min(0).max(2_419_200) }));
      return timeoutMember(core, me(c), gid(c), c.req.param("user")!, form.seconds ? new Date(Date.now() + form.seconds * 1000) : null);
    }),
  );
  app.post(
    "/guilds/:guild/moderation/rules",
    requirePageUser,
    act("moderation", async (c) => {
      const form = await parseForm(c, z.object({ rules: z.string().max(6000).default(""), screening: z.literal("1").optional() }));
      return setServerRules(core, me(c), gid(c), { rules: form.rules, screening: form.screening === "1" });
    }),
  );
  app.post("/guilds/:guild/moderation/accept-rules", requirePageUser, async (c) => {
    await acceptRules(core, me(c), gid(c));
    const referer = c.req.header("Referer");
    return c.redirect(referer && URL.canParse(referer) && new URL(referer).pathname.startsWith("/channels/") ? new URL(referer).pathname : `/channels/${gid(c)}`, 303);
  });

  const reportsPage = (c: Context<AppEnv>, error?: string, status = 200) => {
    const a = requireGuild(core, me(c), gid(c));
    const which = z.enum(["open", "actioned", "dismissed", "all"]).catch("open").parse(c.req.query("status"));
    const reports = listReports(core, me(c), a.guild.id, which);
    return c.html(<ReportsPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} reports={reports} names={names(reports.flatMap((r) => [r.reporterId, r.targetUserId]))} status={which} notice={saved(c)} error={error} />, status as 200);
  };
  app.get("/guilds/:guild/settings/reports", requirePageUser, (c) => reportsPage(c));
  app.post(
    "/guilds/:guild/moderation/reports/:report",
    requirePageUser,
    act("reports", async (c) => {
      const form = await parseForm(c, z.object({ action: z.enum(["dismiss", "delete_message", "timeout", "kick", "ban"]) }));
      // From the queue a timeout is an hour and a ban purges nothing; the API takes any duration.
      const body = resolveBody.parse(form.action === "timeout" ? { action: "timeout", duration_seconds: 3600 } : form.action === "ban" ? { action: "ban", delete_message_seconds: 0 } : { action: form.action });
      return resolveReport(core, me(c), gid(c), c.req.param("report")!, toReportAction(body));
    }),
  );

  const automodPage = (c: Context<AppEnv>, error?: string, status = 200) => {
    const a = requireGuild(core, me(c), gid(c), Permission.MANAGE_GUILD);
    return c.html(<AutomodPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} rules={listRules(core, me(c), a.guild.id).map(ruleJson)} channels={visibleChannels(core, a)} roles={guildRoles(core, a.guild.id)} notice={saved(c)} error={error} />, status as 200);
  };
  app.get("/guilds/:guild/settings/automod", requirePageUser, (c) => automodPage(c));
  app.post(
    "/guilds/:guild/moderation/automod",
    requirePageUser,
    act("automod", async (c) => {
      const f = await parseForm(c, z.object({ name: text(100), trigger_type: z.coerce.number().int(), keywords: z.string().max(60_000).optional(), regex: z.string().max(3000).optional(), presets: many, mention_limit: z.coerce.number().int().optional(), allowed_domains: z.string().max(20_000).optional(), block: z.literal("1").optional(), custom_message: z.string().max(150).optional(), alert_channel: z.string().optional(), timeout_seconds: z.coerce.number().int().default(0), exempt_roles: many, exempt_channels: many }));
      const actions: Action[] = [];
      if (f.block) actions.push({ type: 1, metadata: f.custom_message ? { custom_message: f.custom_message } : {} });
      if (f.alert_channel) actions.push({ type: 2, metadata: { channel_id: f.alert_channel } });
      if (f.timeout_seconds > 0) actions.push({ type: 3, metadata: { duration_seconds: f.timeout_seconds } });
      const t = f.trigger_type;
      const meta: Record<string, unknown> = {};
      if (t === 1 || t === 6) {
        if (list(f.keywords).length) meta.keyword_filter = list(f.keywords);
        const patterns = (f.regex ?? "").split("\n").map((s) => s.trim()).filter(Boolean);
        if (patterns.length) meta.regex_patterns = patterns;
      }
      if (t === 4) meta.presets = f.presets.map(Number);
      if (t === 5) meta.mention_total_limit = f.mention_limit ?? 5;
      if (t === 101) meta.allowed_domains = list(f.allowed_domains);
      const input = ruleCreate.parse({ name: f.name, event_type: t === 6 ? 2 : 1, trigger_type: t, trigger_metadata: meta, actions, enabled: true, exempt_roles: f.exempt_roles, exempt_channels: f.exempt_channels });
      return createRule(core, me(c), gid(c), input);
    }),
  );
  app.post("/guilds/:guild/moderation/automod/:rule/delete", requirePageUser, act("automod", (c) => deleteRule(core, me(c), gid(c), c.req.param("rule")!)));

  app.get("/guilds/:guild/settings/audit", requirePageUser, (c) => {
    const a = requireGuild(core, me(c), gid(c), Permission.VIEW_AUDIT_LOG);
    const userId = snowflakeParam.safeParse(c.req.query("user_id")).data;
    const action = z.coerce.number().int().safeParse(c.req.query("action_type") || undefined).data;
    const entries = listAudit(core, a.guild.id, { userId, actionType: action, limit: 100 });
    return c.html(<AuditPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} entries={entries} names={names(entries.flatMap((e) => [e.userId, e.targetId]))} members={listMembers(core, a.guild.id)} filter={{ userId, action }} />);
  });

  // The per-message page, linked from a message's ⚑ button.
  const messagePage = (c: Context<AppEnv>, extra: { error?: string; notice?: string } = {}, status = 200) => {
    const channelId = snowflakeParam.safeParse(c.req.param("channel")).data ?? "x";
    const access = requireChannel(core, me(c), channelId, Permission.READ_MESSAGE_HISTORY);
    const message = findMessage(core, channelId, snowflakeParam.safeParse(c.req.param("message")).data ?? "x");
    const threads = core.db.readOrm.select().from(channels).where(and(eq(channels.parentId, channelId))).all().filter((ch) => THREAD_TYPES.includes(ch.type));
    const ctx = pageCtx(c, core);
    return c.html(
      <Document title={ctx.t("moderation.report")} locale={ctx.locale} theme={ctx.theme} bodyClass="settings-page">
        <main class="settings-main" id="main">
          <h1>{ctx.t("moderation.messageTitle")}</h1>
          <p>
            <a href={`/channels/${access.channel.guildId ?? "@me"}/${channelId}`}>← #{access.channel.name}</a>
          </p>
          <MessageModeration ctx={ctx} message={message} authorName={findUser(core, message.authorId)?.username ?? ""} canManage={has(access.permissions, Permission.MANAGE_MESSAGES)} threads={threads} {...extra} />
        </main>
      </Document>,
      status as 200,
    );
  };
  app.get("/channels/:channel/messages/:message/moderate", requirePageUser, (c) => messagePage(c));
  app.post("/channels/:channel/messages/:message/report", requirePageUser, async (c) => {
    try {
      const form = await parseForm(c, z.object({ reason: z.string().max(2000) }));
      await reportMessage(core, me(c), c.req.param("channel")!, c.req.param("message")!, form.reason);
      return messagePage(c, { notice: c.get("t")("moderation.reported") });
    } catch (err) {
      if (err instanceof Error && err.message === unknownMessage().message) throw err;
      const { errors, status } = formErrors(c, err);
      return messagePage(c, { error: errors.general ?? Object.values(errors.fields ?? {})[0] }, status);
    }
  });
  app.post("/channels/:channel/messages/:message/move", requirePageUser, async (c) => {
    const form = await parseForm(c, z.object({ thread_id: z.string().max(20).optional() }));
    const moved = await moveToThread(core, me(c), c.req.param("channel")!, c.req.param("message")!, { threadId: form.thread_id || undefined });
    const channel = requireChannel(core, me(c), moved.threadId).channel;
    return c.redirect(`/channels/${channel.guildId}/${channel.parentId}?thread=${moved.threadId}`, 303);
  });
  channelToolRoutes(app, core);
  return app;
}
