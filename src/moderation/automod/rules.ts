// AutoMod rules: list, create, change, delete (MANAGE_GUILD), in Discord's JSON shape. Every change
// drops the server's compiled rules (engine.ts) and is written to the audit log.
import { and, eq, sql } from "drizzle-orm";
import type { Core } from "../../core.ts";
import { ids } from "../../db/snowflake.ts";
import { requireGuild } from "../../guilds/access.ts";
import { channels } from "../../guilds/table.ts";
import { AppError, ErrorCode } from "../../lib/errors.ts";
import { Permission } from "../../permissions/permissions.ts";
import { AuditAction, audit, diff } from "../audit.ts";
import { automodRules, type AutomodRow } from "../table.ts";
import { forgetCompiled } from "./engine.ts";
import { MAX_RULES_PER_GUILD, ruleProblem, type Action, type RuleCreate, type RuleUpdate, type TriggerMetadata } from "./schema.ts";

export const unknownRule = () => new AppError(404, ErrorCode.unknownRoute, "Unknown AutoMod rule.", { key: "error.notFound" });

export function ruleJson(row: AutomodRow) {
  return {
    id: row.id,
    guild_id: row.guildId,
    name: row.name,
    creator_id: row.creatorId,
    event_type: row.eventType,
    trigger_type: row.triggerType,
    trigger_metadata: JSON.parse(row.triggerMetadata) as TriggerMetadata,
    actions: JSON.parse(row.actions) as Action[],
    enabled: row.enabled,
    exempt_roles: JSON.parse(row.exemptRoles) as string[],
    exempt_channels: JSON.parse(row.exemptChannels) as string[],
  };
}
export type RuleJson = ReturnType<typeof ruleJson>;

export function listRules(core: Core, userId: string, guildId: string): AutomodRow[] {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  return core.db.readOrm.select().from(automodRules).where(eq(automodRules.guildId, guildId)).orderBy(automodRules.id).all();
}

export function findRule(core: Core, userId: string, guildId: string, ruleId: string): AutomodRow {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  const row = core.db.readOrm.select().from(automodRules).where(and(eq(automodRules.guildId, guildId), eq(automodRules.id, ruleId))).get();
  if (!row) throw unknownRule();
  return row;
}

function check(core: Core, guildId: string, rule: Omit<RuleJson, "id" | "guild_id" | "creator_id" | "name" | "enabled" | "exempt_roles">): void {
  const problem = ruleProblem(rule);
  if (problem) throw new AppError(400, ErrorCode.invalidBody, problem, { fields: { trigger_metadata: problem } });
  // An alert goes to a text channel of this server, and exemptions name this server's channels.
  const own = new Set(core.db.readOrm.select({ id: channels.id }).from(channels).where(eq(channels.guildId, guildId)).all().map((c) => c.id));
  for (const a of rule.actions) if (a.type === 2 && !own.has(a.metadata.channel_id)) throw new AppError(400, ErrorCode.invalidBody, "The alert channel is not in this server.", { fields: { actions: "Unknown channel." } });
  if (rule.exempt_channels.some((id) => !own.has(id))) throw new AppError(400, ErrorCode.invalidBody, "An exempt channel is not in this server.", { fields: { exempt_channels: "Unknown channel." } });
}

const AUDITED = ["name", "event_type", "trigger_metadata", "actions", "enabled", "exempt_roles", "exempt_channels"];

export async function createRule(core: Core, userId: string, guildId: string, input: RuleCreate): Promise<AutomodRow> {
  requireGuild(core, userId, guildId, Permission.MANAGE_GUILD);
  check(core, guildId, input);
  const count = Number(core.db.readOrm.select({ n: sql<bigint>`count(*)` }).from(automodRules).where(eq(automodRules.guildId, guildId)).get()!.n);
  if (count >= MAX_RULES_PER_GUILD) throw new AppError(400, ErrorCode.invalidBody, `A server has at most ${MAX_RULES_PER_GUILD} AutoMod rules.`);
  const row = await core.queue.write(({ orm }) =>
    orm
      .insert(automodRules)
      .values({
        id: ids.nextString(),
        guildId,
        name: input.name,
        creatorId: userId,
        eventType: input.event_type,
        triggerType: input.trigger_type,
        triggerMetadata: JSON.stringify(input.trigger_metadata),
        actions: JSON.stringify(input.actions),
        enabled: input.enabled,
        exemptRoles: JSON.stringify(input.exempt_roles),
        exemptChannels: JSON.stringify(input.exempt_channels),
      })
      .returning()
      .get(),
  );
  forgetCompiled(core, guildId);
  await audit(core, { guildId, userId, action: AuditAction.AUTO_MODERATION_RULE_CREATE, targetId: row.id, changes: diff(null, ruleJson(row), AUDITED) });
  return row;
}

export async function updateRule(core: Core, userId: string, guildId: string, ruleId: string, patch: RuleUpdate): Promise<AutomodRow> {
  const before = findRule(core, userId, guildId, ruleId);
  const old = ruleJson(before);
  const next = { ...old, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as RuleJson;
  check(core, guildId, next);
  const row = await core.queue.write(({ orm }) =>
    orm
      .update(automodRules)
      .set({
        name: next.name,
        eventType: next.event_type,
        triggerMetadata: JSON.stringify(next.trigger_metadata),
        actions: JSON.stringify(next.actions),
        enabled: next.enabled,
        exemptRoles: JSON.stringify(next.exempt_roles),
        exemptChannels: JSON.stringify(next.exempt_channels),
      })
      .where(eq(automodRules.id, ruleId))
      .returning()
      .get(),
  );
  forgetCompiled(core, guildId);
  await audit(core, { guildId, userId, action: AuditAction.AUTO_MODERATION_RULE_UPDATE, targetId: ruleId, changes: diff(old, ruleJson(row), AUDITED) });
  return row;
}

export async function deleteRule(core: Core, userId: string, guildId: string, ruleId: string): Promise<void> {
  const before = findRule(core, userId, guildId, ruleId);
  await core.queue.write(({ orm }) => orm.delete(automodRules).where(eq(automodRules.id, ruleId)).run());
  forgetCompiled(core, guildId);
  await audit(core, { guildId, userId, action: AuditAction.AUTO_MODERATION_RULE_DELETE, targetId: ruleId, changes: diff(ruleJson(before), null, AUDITED) });
}
