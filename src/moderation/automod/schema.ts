// AutoMod rules in Discord's auto-moderation shapes (/guilds/{id}/auto-moderation/rules), with
// Discord's limits, plus two trigger types of our own for links (documented in docs/moderation.md).
import { z } from "zod";
import { RE2JS } from "re2js";

export const EventType = { MESSAGE_SEND: 1, MEMBER_UPDATE: 2 } as const;
export const TriggerType = {
  KEYWORD: 1,
  SPAM: 3,
  KEYWORD_PRESET: 4,
  MENTION_SPAM: 5,
  MEMBER_PROFILE: 6,
  /** Pokynano: invite links to other instances (or to Discord). */
  INVITE_LINKS: 100,
  /** Pokynano: links to sites outside `allowed_domains`. */
  LINK_ALLOWLIST: 101,
} as const;
export const ActionType = { BLOCK_MESSAGE: 1, SEND_ALERT_MESSAGE: 2, TIMEOUT: 3 } as const;
export const Preset = { PROFANITY: 1, SEXUAL_CONTENT: 2, SLURS: 3 } as const;

export const MAX_RULES_PER_GUILD = 20;
/** Discord: 10 regex patterns of at most 260 characters each per rule. */
export const MAX_REGEX = 10;
export const MAX_REGEX_LENGTH = 260;

const snowflake = z.string().regex(/^\d{1,20}$/, "Not an id.");
const keyword = z.string().trim().min(1).max(60);
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Not a domain name.");

/** A pattern RE2 (linear time, no backreferences or lookaround) accepts; refused with the reason otherwise. */
const regexPattern = z
  .string()
  .min(1)
  .max(MAX_REGEX_LENGTH)
  .superRefine((pattern, ctx) => {
    try {
      RE2JS.compile(pattern);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `Not a supported regular expression: ${(err as Error).message}`.slice(0, 200) });
    }
  });

export const triggerMetadata = z.strictObject({
  keyword_filter: z.array(keyword).max(1000).optional(),
  regex_patterns: z.array(regexPattern).max(MAX_REGEX).optional(),
  presets: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).max(3).optional(),
  allow_list: z.array(keyword).max(1000).optional(),
  mention_total_limit: z.number().int().min(1).max(50).optional(),
  mention_raid_protection_enabled: z.boolean().optional(),
  /** SPAM: the same message this many times within the window is spam (default 3). */
  duplicate_limit: z.number().int().min(2).max(20).optional(),
  /** SPAM: more than this many messages within the window is flooding (default 8). */
  flood_limit: z.number().int().min(2).max(100).optional(),
  /** SPAM: the window in seconds (default 30). */
  window_seconds: z.number().int().min(1).max(600).optional(),
  /** LINK_ALLOWLIST: domains (and their subdomains) links may point to. */
  allowed_domains: z.array(domain).max(200).optional(),
});
export type TriggerMetadata = z.infer<typeof triggerMetadata>;

export const action = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal(1), metadata: z.strictObject({ custom_message: z.string().max(150).optional() }).optional() }),
  z.strictObject({ type: z.literal(2), metadata: z.strictObject({ channel_id: snowflake }) }),
  z.strictObject({ type: z.literal(3), metadata: z.strictObject({ duration_seconds: z.number().int().min(1).max(2_419_200) }) }),
]);
export type Action = z.infer<typeof action>;

const TRIGGERS = Object.values(TriggerType) as number[];
export const ruleCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  event_type: z.union([z.literal(1), z.literal(2)]),
  trigger_type: z.number().int().refine((t) => TRIGGERS.includes(t), "Unknown trigger type."),
  trigger_metadata: triggerMetadata.default({}),
  actions: z.array(action).min(1).max(5),
  enabled: z.boolean().default(false),
  exempt_roles: z.array(snowflake).max(20).default([]),
  exempt_channels: z.array(snowflake).max(50).default([]),
});
export type RuleCreate = z.infer<typeof ruleCreate>;
// No defaults here: a field left out of a PATCH keeps its value.
export const ruleUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  event_type: z.union([z.literal(1), z.literal(2)]).optional(),
  trigger_metadata: triggerMetadata.optional(),
  actions: z.array(action).min(1).max(5).optional(),
  enabled: z.boolean().optional(),
  exempt_roles: z.array(snowflake).max(20).optional(),
  exempt_channels: z.array(snowflake).max(50).optional(),
});
export type RuleUpdate = z.infer<typeof ruleUpdate>;

/** The parts of a rule that must agree with its trigger type; the message says what is missing. */
export function ruleProblem(rule: { event_type: number; trigger_type: number; trigger_metadata: TriggerMetadata; actions: Action[] }): string | null {
  const m = rule.trigger_metadata;
  const t = rule.trigger_type;
  if ((t === TriggerType.KEYWORD || t === TriggerType.MEMBER_PROFILE) && !m.keyword_filter?.length && !m.regex_patterns?.length) return "A keyword rule needs keyword_filter or regex_patterns.";
  if (t === TriggerType.KEYWORD_PRESET && !m.presets?.length) return "A preset rule needs presets.";
  if (t === TriggerType.MENTION_SPAM && m.mention_total_limit === undefined) return "A mention spam rule needs mention_total_limit.";
  if (t === TriggerType.LINK_ALLOWLIST && !m.allowed_domains) return "A link rule needs allowed_domains (it may be empty).";
  if (rule.event_type === EventType.MEMBER_UPDATE && ![TriggerType.KEYWORD, TriggerType.KEYWORD_PRESET, TriggerType.MEMBER_PROFILE].includes(t as 1)) return "Only keyword, preset and profile rules apply to member updates.";
  if (rule.event_type === EventType.MESSAGE_SEND && t === TriggerType.MEMBER_PROFILE) return "A profile rule applies to member updates (event_type 2).";
  return null;
}
