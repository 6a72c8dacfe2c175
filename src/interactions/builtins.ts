// The server's own slash commands: /me, /shrug, /nick and /poll (a live poll with buttons).
// They run for the person directly; no application is involved.
import { and, eq, sql } from "drizzle-orm";
import type { User } from "../auth/table.ts";
import type { Core } from "../core.ts";
import type { ChannelAccess } from "../guilds/access.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { setNickname } from "../members/service.ts";
import { emitMessageEvent, findMessage, sendMessage } from "../messages/service.ts";
import { messages } from "../messages/table.ts";
import type { MessageKey } from "../i18n/en.ts";
import { OptionType, type CommandOption } from "./command-schema.ts";
import { componentsFor, writeComponents, type Components } from "./components.ts";
import { parseOptions } from "./parse.ts";
import { pollVotes } from "./table.ts";

export interface Builtin {
  name: string;
  descriptionKey: MessageKey;
  options: CommandOption[];
  guildOnly?: boolean;
  run(core: Core, user: User, access: ChannelAccess, values: Map<string, string | number | boolean>): Promise<void>;
}

const text = (name: string, description: string, required = true, max = 2000): CommandOption => ({ type: OptionType.STRING, name, description, required, max_length: max });
const MAX_POLL_CHOICES = 10;
const POLL_PREFIX = "poll:";

/** Markdown-escaped, so the words keep their look inside the italics. */
const escapeMd = (s: string) => s.replace(/([\\*_`~|>])/g, "\\$1");

export const BUILTINS: Builtin[] = [
  {
    name: "me",
    descriptionKey: "interactions.builtin.me",
    options: [text("text", "What you do")],
    async run(core, user, access, v) {
      await sendMessage(core, user, access.channel.id, { content: `*${escapeMd(String(v.get("text")))}*` });
    },
  },
  {
    name: "shrug",
    descriptionKey: "interactions.builtin.shrug",
    options: [text("text", "A message before the shrug", false)],
    async run(core, user, access, v) {
      const before = v.get("text");
      await sendMessage(core, user, access.channel.id, { content: `${before ? `${before} ` : ""}¯\\\\_(ツ)_/¯` });
    },
  },
  {
    name: "nick",
    descriptionKey: "interactions.builtin.nick",
    options: [text("name", "Your new nickname (empty: none)", false, 32)],
    guildOnly: true,
    async run(core, user, access, v) {
      const name = v.get("name");
      await setNickname(core, user.id, access.channel.guildId!, user.id, name ? String(name) : null);
    },
  },
  {
    name: "poll",
    descriptionKey: "interactions.builtin.poll",
    options: [text("question", "The question", true, 300), text("choices", "Choices, separated by commas or |", true, 1000)],
    async run(core, user, access, v) {
      const choices = String(v.get("choices"))
        .split(/[|,]/)
        .map((c) => c.trim())
        .filter(Boolean);
      if (choices.length < 2 || choices.length > MAX_POLL_CHOICES || new Set(choices).size !== choices.length) throw new AppError(400, ErrorCode.invalidBody, `A poll has 2 to ${MAX_POLL_CHOICES} different choices.`, { fields: { choices: `2 to ${MAX_POLL_CHOICES} different choices.` } });
      if (choices.some((c) => c.length > 70)) throw new AppError(400, ErrorCode.invalidBody, "A choice has at most 70 characters.", { fields: { choices: "At most 70 characters each." } });
      await sendMessage(core, user, access.channel.id, { content: `📊 **${escapeMd(String(v.get("question")))}**`, components: pollComponents(choices, choices.map(() => 0)) });
    },
  },
];

function pollComponents(choices: string[], counts: number[]): Components {
  const buttons = choices.map((label, i) => ({ type: 2 as const, style: 2 as const, label: `${label} · ${counts[i]}`, custom_id: `${POLL_PREFIX}${i}` }));
  const rows: Components = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push({ type: 1, components: buttons.slice(i, i + 5) });
  return rows;
}

export const findBuiltin = (name: string) => BUILTINS.find((b) => b.name === name);

export async function runBuiltin(core: Core, b: Builtin, user: User, access: ChannelAccess, rest: string): Promise<void> {
  if (b.guildOnly && !access.channel.guildId) throw new AppError(400, ErrorCode.invalidBody, `/${b.name} works in servers only.`);
  const parsed = parseOptions(b.options, rest);
  await b.run(core, user, access, new Map(parsed.map((o) => [o.name, o.value!])));
}

export const isPollButton = (customId: string) => customId.startsWith(POLL_PREFIX);

/** A vote: pick a choice, pick another to change it, pick yours again to take it back. Counts update live for everyone. */
export async function votePoll(core: Core, user: User, channelId: string, messageId: string, customId: string): Promise<void> {
  const message = findMessage(core, channelId, messageId);
  const stored = componentsFor(core, [messageId]).get(messageId);
  const choice = Number(customId.slice(POLL_PREFIX.length));
  if (!stored || stored.applicationId !== null || !Number.isInteger(choice)) throw new AppError(400, ErrorCode.invalidBody, "Not a poll.");
  const labels = stored.components.flatMap((r) => r.components).map((c) => (c.type === 2 ? (c.label ?? "").replace(/ · \d+$/, "") : ""));
  if (choice < 0 || choice >= labels.length) throw new AppError(400, ErrorCode.invalidBody, "Unknown choice.", { fields: { custom_id: "Unknown choice." } });
  const updated = await core.queue.write(({ orm }) => {
    const mine = orm.select().from(pollVotes).where(and(eq(pollVotes.messageId, messageId), eq(pollVotes.userId, user.id))).get();
    if (mine?.choice === choice) orm.delete(pollVotes).where(and(eq(pollVotes.messageId, messageId), eq(pollVotes.userId, user.id))).run();
    else orm.insert(pollVotes).values({ messageId, userId: user.id, choice }).onConflictDoUpdate({ target: [pollVotes.messageId, pollVotes.userId], set: { choice } }).run();
    const counts = labels.map(() => 0);
    for (const r of orm.select({ choice: pollVotes.choice, n: sql<number>`count(*)` }).from(pollVotes).where(eq(pollVotes.messageId, messageId)).groupBy(pollVotes.choice).all()) counts[r.choice] = Number(r.n);
    writeComponents(orm, messageId, null, pollComponents(labels, counts));
    return orm.select().from(messages).where(eq(messages.id, message.id)).get()!;
  });
  emitMessageEvent(core, { type: "update", message: updated });
}
