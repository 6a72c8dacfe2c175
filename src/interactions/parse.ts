// The composer's text form of a slash command: `/name value` for a command whose first option is
// text, or `/name option:value other:value` (values run to the next `word:` naming an option), and
// `/name sub option:value` for sub-commands. Values are checked against the option's type,
// choices and limits; `<@id>`, `<#id>` and `<@&id>` (what mentions.js writes) name people,
// channels and roles.
import { AppError, ErrorCode } from "../lib/errors.ts";
import { OptionType, type CommandOption } from "./command-schema.ts";

export interface ParsedOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: ParsedOption[];
}

const bad = (name: string, message: string) => new AppError(400, ErrorCode.invalidBody, `${name}: ${message}`, { fields: { [name]: message } });

function coerce(o: CommandOption, raw: string): string | number | boolean {
  const text = raw.trim();
  if (o.choices?.length) {
    const hit = o.choices.find((c) => c.name.toLowerCase() === text.toLowerCase() || String(c.value) === text);
    if (!hit) throw bad(o.name, `one of ${o.choices.map((c) => c.name).join(", ")}.`);
    return hit.value;
  }
  switch (o.type) {
    case OptionType.STRING:
      if (text.length < (o.min_length ?? 1) || text.length > (o.max_length ?? 6000)) throw bad(o.name, `${o.min_length ?? 1} to ${o.max_length ?? 6000} characters.`);
      return text;
    case OptionType.INTEGER:
    case OptionType.NUMBER: {
      const n = Number(text.replace(",", "."));
      if (!Number.isFinite(n) || (o.type === OptionType.INTEGER && !Number.isInteger(n))) throw bad(o.name, o.type === OptionType.INTEGER ? "a whole number." : "a number.");
      if ((o.min_value !== undefined && n < o.min_value) || (o.max_value !== undefined && n > o.max_value)) throw bad(o.name, `between ${o.min_value ?? "-∞"} and ${o.max_value ?? "∞"}.`);
      return n;
    }
    case OptionType.BOOLEAN:
      if (/^(true|yes|oui|vrai|1)$/i.test(text)) return true;
      if (/^(false|no|non|faux|0)$/i.test(text)) return false;
      throw bad(o.name, "true or false.");
    case OptionType.USER:
    case OptionType.CHANNEL:
    case OptionType.ROLE:
    case OptionType.MENTIONABLE: {
      const id = /^(?:<(?:@!?|#|@&))?(\d{1,20})>?$/.exec(text)?.[1];
      if (!id) throw bad(o.name, "a mention or an id.");
      return id;
    }
    default:
      throw bad(o.name, "this kind of option cannot be given from the composer.");
  }
}

function parseLevel(options: CommandOption[], rest: string): ParsedOption[] {
  const text = rest.trim();
  const subs = options.filter((o) => o.type === OptionType.SUB_COMMAND || o.type === OptionType.SUB_COMMAND_GROUP);
  if (subs.length) {
    const [word = "", ...more] = text.split(/\s+/);
    const sub = subs.find((s) => s.name === word.toLowerCase());
    if (!sub) throw bad("subcommand", `one of ${subs.map((s) => s.name).join(", ")}.`);
    return [{ name: sub.name, type: sub.type, options: parseLevel(sub.options ?? [], more.join(" ")) }];
  }
  const values = new Map<string, string>();
  const names = options.map((o) => o.name.replace(/[-]/g, "\\-"));
  const marker = names.length ? new RegExp(`(?:^|\\s)(${names.join("|")}):`, "gi") : null;
  const hits = marker ? [...text.matchAll(marker)] : [];
  if (hits.length === 0) {
    if (text && options[0]) values.set(options[0].name, text);
    else if (text) throw bad("options", "this command takes no options.");
  } else {
    if (text.slice(0, hits[0]!.index).trim()) throw bad(hits[0]![1]!, "give every value as name:value.");
    hits.forEach((m, i) => {
      const start = m.index! + m[0].length;
      const end = i + 1 < hits.length ? hits[i + 1]!.index! : text.length;
      values.set(m[1]!.toLowerCase(), text.slice(start, end));
    });
  }
  const out: ParsedOption[] = [];
  for (const o of options) {
    const raw = values.get(o.name);
    if (raw === undefined || raw.trim() === "") {
      if (o.required) throw bad(o.name, "required.");
      continue;
    }
    out.push({ name: o.name, type: o.type, value: coerce(o, raw) });
  }
  return out;
}

/** `/name rest` → the command name and the rest of the text; null when the text is not a command. */
export function splitCommand(content: string): { name: string; rest: string } | null {
  const m = /^\/([-_\p{L}\p{N}]{1,32})(?:\s+([\s\S]*))?$/u.exec(content.trim());
  return m ? { name: m[1]!.toLowerCase(), rest: m[2] ?? "" } : null;
}

export const parseOptions = (options: CommandOption[], rest: string) => parseLevel(options, rest);
