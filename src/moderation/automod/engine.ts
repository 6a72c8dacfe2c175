// AutoMod matching. A server's enabled rules are compiled once (keyword lists into one regular
// expression per rule, presets likewise, user regexes with re2js) and cached until a rule changes,
// so a message in a server without rules costs one Map lookup, and one with rules a few scans of
// at most 4000 characters.
//
// User-written regexes run on re2js, a JavaScript port of RE2: matching is linear in the input
// whatever the pattern (no backtracking, so `(a+)+$` cannot stall the event loop), and it needs no
// native module or download, so it works inside the compiled binary. Keyword, wildcard and preset
// patterns are built by us from escaped literals and run on the built-in engine, which is faster.
import { eq } from "drizzle-orm";
import { RE2JS } from "re2js";
import type { Core } from "../../core.ts";
import { automodRules, type AutomodRow } from "../table.ts";
import { EventType, TriggerType, type Action, type TriggerMetadata } from "./schema.ts";
import { presetPattern } from "./presets.ts";
import { keywordSource } from "./keywords.ts";

export type Surface = "message" | "edit" | "thread" | "nickname";

export interface Subject {
  surface: Surface;
  guildId: string;
  userId: string;
  /** Where it happens (the thread's parent for a thread title); null for a nickname. */
  channelId: string | null;
  /** The category of that channel, whose exemption covers it too. */
  parentId: string | null;
  roleIds: string[];
  text: string;
}

export interface Hit {
  rule: CompiledRule;
  /** The keyword or pattern that matched (Discord's matched_keyword). */
  keyword: string | null;
  /** The part of the text that matched (Discord's matched_content). */
  content: string | null;
}

export interface CompiledRule {
  id: string;
  name: string;
  eventType: number;
  triggerType: number;
  actions: Action[];
  exemptRoles: Set<string>;
  exemptChannels: Set<string>;
  meta: TriggerMetadata;
  test: (subject: Subject) => { keyword: string | null; content: string | null } | null;
}

function keywordRegex(list: string[] | undefined): RegExp | null {
  const usable = (list ?? []).map((k) => k.trim()).filter((k) => k.replace(/\*/g, "").length > 0);
  return usable.length ? new RegExp(usable.map(keywordSource).join("|"), "giu") : null;
}

/** The first match not covered by the allow list. */
function firstMatch(re: RegExp, text: string, allow: RegExp | null): string | null {
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    if (!allow) return m[0];
    allow.lastIndex = 0;
    const exempt = allow.exec(m[0]);
    if (!exempt || exempt[0].length !== m[0].length) return m[0];
  }
  return null;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`)\]]+/giu;
function hosts(text: string): { host: string; path: string; raw: string }[] {
  const out: { host: string; path: string; raw: string }[] = [];
  for (const m of text.matchAll(URL_RE)) {
    try {
      const u = new URL(m[0]);
      out.push({ host: u.hostname.toLowerCase().replace(/\.$/, ""), path: u.pathname, raw: m[0] });
    } catch {
      // Not a URL after all: no link.
    }
  }
  return out;
}
const underDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** Recent messages per server and member, for the spam trigger: [time, normalised text]. */
const recent = new WeakMap<Core, Map<string, [number, string][]>>();
function spamTest(core: Core, meta: TriggerMetadata, subject: Subject): string | null {
  if (subject.surface !== "message") return null;
  let byKey = recent.get(core);
  if (!byKey) recent.set(core, (byKey = new Map()));
  const windowMs = (meta.window_seconds ?? 30) * 1000;
  const now = Date.now();
  const key = `${subject.guildId}:${subject.userId}`;
  const text = subject.text.toLowerCase().replace(/\s+/g, " ").trim();
  const list = (byKey.get(key) ?? []).filter(([t]) => now - t < windowMs);
  list.push([now, text]);
  byKey.set(key, list.slice(-100));
  // Keep the map from growing with every member who ever wrote: drop idle keys now and then.
  if (byKey.size > 5000) for (const [k, v] of byKey) if (now - v[v.length - 1]![0] > 600_000) byKey.delete(k);
  if (text && list.filter(([, t]) => t === text).length >= (meta.duplicate_limit ?? 3)) return "duplicate";
  if (list.length > (meta.flood_limit ?? 8)) return "flood";
  return null;
}

function compile(core: Core, row: AutomodRow): CompiledRule {
  const meta = JSON.parse(row.triggerMetadata) as TriggerMetadata;
  const base = {
    id: row.id,
    name: row.name,
    eventType: row.eventType,
    triggerType: row.triggerType,
    actions: JSON.parse(row.actions) as Action[],
    exemptRoles: new Set(JSON.parse(row.exemptRoles) as string[]),
    exemptChannels: new Set(JSON.parse(row.exemptChannels) as string[]),
    meta,
  };
  const allow = keywordRegex(meta.allow_list);
  const own = new URL(core.config.publicUrl).hostname.toLowerCase();
  let test: CompiledRule["test"] = () => null;
  switch (row.triggerType) {
    case TriggerType.KEYWORD:
    case TriggerType.MEMBER_PROFILE: {
      const words = keywordRegex(meta.keyword_filter);
      const patterns = (meta.regex_patterns ?? []).map((p) => ({ source: p, re: RE2JS.compile(p, RE2JS.CASE_INSENSITIVE) }));
      test = (s) => {
        const word = words ? firstMatch(words, s.text, allow) : null;
        if (word) return { keyword: word, content: word };
        for (const p of patterns) {
          const m = p.re.matcher(s.text);
          if (m.find()) return { keyword: p.source, content: m.group() ?? "" };
        }
        return null;
      };
      break;
    }
    case TriggerType.KEYWORD_PRESET: {
      const re = presetPattern(meta.presets ?? []);
      test = (s) => {
        const word = re ? firstMatch(re, s.text, allow) : null;
        return word ? { keyword: null, content: word } : null;
      };
      break;
    }
    case TriggerType.MENTION_SPAM: {
      const limit = meta.mention_total_limit ?? 50;
      test = (s) => {
        if (s.surface !== "message" && s.surface !== "edit") return null;
        const unique = new Set([...s.text.matchAll(/<@(!|&)?(\d{1,20})>/g)].map((m) => `${m[1] === "&" ? "r" : "u"}${m[2]}`));
        return unique.size > limit ? { keyword: null, content: null } : null;
      };
      break;
    }
    case TriggerType.SPAM:
      test = (s) => (spamTest(core, meta, s) ? { keyword: null, content: null } : null);
      break;
    case TriggerType.INVITE_LINKS:
      test = (s) => {
        const bad = hosts(s.text).find((h) => (h.host !== own && /^\/invite\/[\w-]{2,32}\/?$/.test(h.path)) || underDomain(h.host, "discord.gg") || (underDomain(h.host, "discord.com") && h.path.startsWith("/invite/")));
        return bad ? { keyword: null, content: bad.raw } : null;
      };
      break;
    case TriggerType.LINK_ALLOWLIST: {
      const allowed = meta.allowed_domains ?? [];
      test = (s) => {
        const bad = hosts(s.text).find((h) => h.host !== own && !allowed.some((d) => underDomain(h.host, d)));
        return bad ? { keyword: null, content: bad.raw } : null;
      };
      break;
    }
  }
  return { ...base, test };
}

const cache = new WeakMap<Core, Map<string, CompiledRule[]>>();

export function forgetCompiled(core: Core, guildId: string): void {
  cache.get(core)?.delete(guildId);
}

/** The server's enabled rules, compiled (cached until a rule changes). */
export function compiledRules(core: Core, guildId: string): CompiledRule[] {
  let byGuild = cache.get(core);
  if (!byGuild) cache.set(core, (byGuild = new Map()));
  let rules = byGuild.get(guildId);
  if (!rules) {
    const rows = core.db.readOrm.select().from(automodRules).where(eq(automodRules.guildId, guildId)).all();
    rules = rows.filter((r) => r.enabled).map((r) => compile(core, r));
    byGuild.set(guildId, rules);
  }
  return rules;
}

/** Every rule the subject breaks (exemptions applied). */
export function evaluate(core: Core, subject: Subject): Hit[] {
  const rules = compiledRules(core, subject.guildId);
  if (rules.length === 0) return [];
  const event = subject.surface === "nickname" ? EventType.MEMBER_UPDATE : EventType.MESSAGE_SEND;
  const hits: Hit[] = [];
  for (const rule of rules) {
    if (rule.eventType !== event) continue;
    if (subject.channelId && (rule.exemptChannels.has(subject.channelId) || (subject.parentId && rule.exemptChannels.has(subject.parentId)))) continue;
    if (subject.roleIds.some((r) => rule.exemptRoles.has(r))) continue;
    const m = rule.test(subject);
    if (m) hits.push({ rule, ...m });
  }
  return hits;
}
