// Application commands: an application registers global commands or commands for one server it
// is in; people see them in the composer of servers where the application's bot is a member.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Core } from "../core.ts";
import { ids } from "../db/snowflake.ts";
import { members } from "../guilds/table.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { applicationCommands, type CommandRow } from "./table.ts";
import { MAX_COMMANDS, type CommandInput, type CommandOption } from "./command-schema.ts";

export const unknownCommand = () => new AppError(404, 10063, "Unknown application command.", { key: "error.notFound" });

export interface Command {
  id: string;
  applicationId: string;
  guildId: string | null;
  type: number;
  name: string;
  description: string;
  options: CommandOption[];
  body: Omit<CommandInput, "id">;
  version: string;
}

const toCommand = (r: CommandRow): Command => {
  const body = JSON.parse(r.body) as Omit<CommandInput, "id">;
  return { id: r.id, applicationId: r.applicationId, guildId: r.guildId, type: r.type, name: r.name, description: body.description ?? "", options: body.options ?? [], body, version: r.version };
};

/** Discord's application command object. */
export function commandJson(c: Command) {
  return {
    id: c.id,
    application_id: c.applicationId,
    guild_id: c.guildId ?? undefined,
    type: c.type,
    name: c.name,
    name_localizations: c.body.name_localizations ?? null,
    description: c.description,
    description_localizations: c.body.description_localizations ?? null,
    options: c.options,
    default_member_permissions: c.body.default_member_permissions ?? null,
    dm_permission: c.body.dm_permission ?? true,
    contexts: c.body.contexts ?? null,
    integration_types: c.body.integration_types ?? [0],
    nsfw: c.body.nsfw ?? false,
    version: c.version,
  };
}

const scope = (appId: string, guildId: string | null) => and(eq(applicationCommands.applicationId, appId), guildId === null ? isNull(applicationCommands.guildId) : eq(applicationCommands.guildId, guildId));

export function listCommands(core: Core, appId: string, guildId: string | null): Command[] {
  return core.db.readOrm.select().from(applicationCommands).where(scope(appId, guildId)).orderBy(applicationCommands.id).all().map(toCommand);
}

export function findCommand(core: Core, appId: string, guildId: string | null, commandId: string): Command {
  const row = core.db.readOrm.select().from(applicationCommands).where(and(scope(appId, guildId), eq(applicationCommands.id, commandId))).get();
  if (!row) throw unknownCommand();
  return toCommand(row);
}

const duplicate = () => new AppError(400, ErrorCode.invalidBody, "Application command names must be unique.", { fields: { name: "Already used by another command of this kind." } });

function upsertIn(orm: Parameters<Parameters<Core["queue"]["write"]>[0]>[0]["orm"], appId: string, guildId: string | null, input: CommandInput, replaceId?: string): CommandRow {
  const type = input.type ?? 1;
  const { id: _id, ...body } = input;
  const version = ids.nextString();
  const existing = orm.select().from(applicationCommands).where(and(scope(appId, guildId), eq(applicationCommands.type, type), eq(applicationCommands.name, input.name))).get();
  if (existing && replaceId && existing.id !== replaceId) throw duplicate();
  const targetId = replaceId ?? existing?.id;
  if (targetId) return orm.update(applicationCommands).set({ type, name: input.name, body: JSON.stringify(body), version }).where(eq(applicationCommands.id, targetId)).returning().get();
  const count = orm.select({ n: sql<bigint>`count(*)` }).from(applicationCommands).where(scope(appId, guildId)).get()!.n;
  if (Number(count) >= MAX_COMMANDS) throw new AppError(400, 30032, `An application has at most ${MAX_COMMANDS} commands here.`);
  return orm.insert(applicationCommands).values({ id: ids.nextString(), applicationId: appId, guildId, type, name: input.name, body: JSON.stringify(body), version }).returning().get();
}

/** POST: create, or overwrite the command with the same name and type (Discord's upsert). */
export async function createCommand(core: Core, appId: string, guildId: string | null, input: CommandInput): Promise<{ command: Command; created: boolean }> {
  const before = listCommands(core, appId, guildId).some((c) => c.name === input.name && c.type === (input.type ?? 1));
  const row = await core.queue.write(({ orm }) => upsertIn(orm, appId, guildId, input));
  return { command: toCommand(row), created: !before };
}

export async function editCommand(core: Core, appId: string, guildId: string | null, commandId: string, patch: Partial<CommandInput>): Promise<Command> {
  const current = findCommand(core, appId, guildId, commandId);
  const merged = { ...current.body, ...patch, type: current.type as 1 | 2 | 3 } as CommandInput;
  const row = await core.queue.write(({ orm }) => upsertIn(orm, appId, guildId, merged, commandId));
  return toCommand(row);
}

export async function deleteCommand(core: Core, appId: string, guildId: string | null, commandId: string): Promise<void> {
  findCommand(core, appId, guildId, commandId);
  await core.queue.write(({ orm }) => orm.delete(applicationCommands).where(eq(applicationCommands.id, commandId)).run());
}

/** PUT: the list becomes exactly these commands (kept ids for unchanged names, so versions tell what changed). */
export async function overwriteCommands(core: Core, appId: string, guildId: string | null, list: CommandInput[]): Promise<Command[]> {
  const keys = list.map((c) => `${c.type ?? 1}:${c.name}`);
  if (new Set(keys).size !== keys.length) throw duplicate();
  await core.queue.write(({ orm }) => {
    const keep = new Set<string>();
    for (const input of list) keep.add(upsertIn(orm, appId, guildId, input).id);
    for (const old of orm.select({ id: applicationCommands.id }).from(applicationCommands).where(scope(appId, guildId)).all()) if (!keep.has(old.id)) orm.delete(applicationCommands).where(eq(applicationCommands.id, old.id)).run();
  });
  return listCommands(core, appId, guildId);
}

/** Chat input commands people can use in a server: global and this server's, of applications whose bot is a member. */
export function commandsInGuild(core: Core, guildId: string): Command[] {
  const rows = core.db.readOrm
    .select({ c: applicationCommands })
    .from(applicationCommands)
    .innerJoin(members, and(eq(members.userId, applicationCommands.applicationId), eq(members.guildId, guildId)))
    .where(and(eq(applicationCommands.type, 1), sql`(${applicationCommands.guildId} IS NULL OR ${applicationCommands.guildId} = ${BigInt(guildId)})`))
    .all();
  return rows.map((r) => toCommand(r.c));
}
