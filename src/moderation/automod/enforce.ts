// AutoMod at the doors: the send and edit paths, thread titles and nicknames each make one call
// here before they write. A server without enabled rules costs one Map lookup. A rule's actions:
// block (the author sees the rule's message, or a default one), alert (a message in the moderators'
// channel, authored by the member as on Discord, with the content quoted), timeout. Administrators
// and members with MANAGE_GUILD are exempt, as on Discord.
import type { Core } from "../../core.ts";
import { ids } from "../../db/snowflake.ts";
import { JsonTopic } from "../../gateway/authority.ts";
import type { ChannelAccess, GuildAccess } from "../../guilds/access.ts";
import { channels } from "../../guilds/table.ts";
import { AppError } from "../../lib/errors.ts";
import { en } from "../../i18n/en.ts";
import { emitMessageEvent } from "../../messages/service.ts";
import { messages } from "../../messages/table.ts";
import { Permission } from "../../permissions/permissions.ts";
import { eq } from "drizzle-orm";
import { AuditAction, audit } from "../audit.ts";
import { systemTimeout } from "../members.ts";
import { compiledRules, evaluate, type Hit, type Subject, type Surface } from "./engine.ts";
import { ActionType } from "./schema.ts";

/** Discord's JSON error code for a message blocked by AutoMod. */
export const AUTOMOD_BLOCKED = 200000;

const exempt = (access: GuildAccess) => access.isOwner || (access.permissions & (Permission.ADMINISTRATOR | Permission.MANAGE_GUILD)) !== 0n;

/** A message being sent or edited, or a thread being named, in this channel. */
export async function automodChannelText(core: Core, access: ChannelAccess, userId: string, text: string, surface: Exclude<Surface, "nickname">): Promise<void> {
  const guild = access.guild;
  if (!guild || compiledRules(core, guild.guild.id).length === 0 || exempt(guild)) return;
  await enforce(core, { surface, guildId: guild.guild.id, userId, channelId: access.channel.id, parentId: access.channel.parentId, roleIds: guild.roles.map((r) => r.id), text });
}

/** A nickname being set (checked against member-update rules; the one who sets it may be exempt). */
export async function automodNickname(core: Core, actor: GuildAccess, targetId: string, nick: string): Promise<void> {
  if (compiledRules(core, actor.guild.id).length === 0 || exempt(actor)) return;
  await enforce(core, { surface: "nickname", guildId: actor.guild.id, userId: targetId, channelId: null, parentId: null, roleIds: actor.roles.map((r) => r.id), text: nick });
}

async function enforce(core: Core, subject: Subject): Promise<void> {
  const hits = evaluate(core, subject);
  if (hits.length === 0) return;
  let block: Hit | null = null;
  let customMessage: string | undefined;
  for (const hit of hits) {
    for (const action of hit.rule.actions) {
      const options = { auto_moderation_rule_name: hit.rule.name, auto_moderation_rule_trigger_type: String(hit.rule.triggerType), ...(subject.channelId ? { channel_id: subject.channelId } : {}) };
      if (action.type === ActionType.BLOCK_MESSAGE) {
        if (!block) {
          block = hit;
          customMessage = action.metadata?.custom_message || undefined;
        }
        await audit(core, { guildId: subject.guildId, userId: subject.userId, action: AuditAction.AUTO_MODERATION_BLOCK_MESSAGE, targetId: subject.userId, options, reason: null });
      } else if (action.type === ActionType.SEND_ALERT_MESSAGE) {
        await alert(core, subject, hit, action.metadata.channel_id);
        await audit(core, { guildId: subject.guildId, userId: subject.userId, action: AuditAction.AUTO_MODERATION_FLAG_TO_CHANNEL, targetId: subject.userId, options, reason: null });
      } else if (action.type === ActionType.TIMEOUT) {
        await systemTimeout(core, subject.guildId, subject.userId, action.metadata.duration_seconds);
        await audit(core, { guildId: subject.guildId, userId: subject.userId, action: AuditAction.AUTO_MODERATION_USER_COMMUNICATION_DISABLED, targetId: subject.userId, options, reason: null });
      }
      core.hub.gateway?.dispatch(JsonTopic.guild(subject.guildId), "AUTO_MODERATION_ACTION_EXECUTION", {
        guild_id: subject.guildId,
        action,
        rule_id: hit.rule.id,
        rule_trigger_type: hit.rule.triggerType,
        user_id: subject.userId,
        channel_id: subject.channelId ?? undefined,
        content: subject.text,
        matched_keyword: hit.keyword,
        matched_content: hit.content,
      });
    }
  }
  if (block) {
    throw customMessage
      ? new AppError(400, AUTOMOD_BLOCKED, customMessage, { extra: { rule_id: block.rule.id } })
      : new AppError(400, AUTOMOD_BLOCKED, en["automod.blocked"], { key: "automod.blocked", extra: { rule_id: block.rule.id } });
  }
}

/** The alert: a message in the moderators' channel quoting what was written, in a code block so nothing in it renders or pings. */
async function alert(core: Core, subject: Subject, hit: Hit, channelId: string): Promise<void> {
  const channel = core.db.readOrm.select().from(channels).where(eq(channels.id, channelId)).get();
  if (!channel || channel.guildId !== subject.guildId) return;
  const where = subject.channelId ? ` in <#${subject.channelId}>` : "";
  const quoted = subject.text.replace(/`/g, "ˋ").slice(0, 3000);
  const content = `🛡 AutoMod: rule “${hit.rule.name.replace(/[`*_~|<>@]/g, "")}” (${subject.surface})${where}${hit.content ? `, matched “${hit.content.replace(/[`*_~|<>@]/g, "").slice(0, 100)}”` : ""}\n\`\`\`\n${quoted}\n\`\`\``;
  const message = await core.queue.write(({ orm }) => orm.insert(messages).values({ id: ids.nextString(), channelId, authorId: subject.userId, content }).returning().get());
  emitMessageEvent(core, { type: "create", message });
}
