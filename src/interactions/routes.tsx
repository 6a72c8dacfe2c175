// Browser side of commands and components: the composer's command list (for suggestions), running
// a command typed in the composer, and clicks on buttons and select menus.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { pageCtx } from "../http/page.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { findMessage, unknownMessage } from "../messages/service.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { requirePageUser } from "../users/routes.tsx";
import { findApplication } from "../bots/service.ts";
import { BUILTINS, findBuiltin, isPollButton, runBuiltin, votePoll } from "./builtins.ts";
import { commandsInGuild, type Command } from "./commands.ts";
import { componentsFor, findComponent } from "./components.ts";
import { parseOptions, splitCommand } from "./parse.ts";
import { invoke } from "./service.ts";

const unknownCommandText = () => new AppError(400, ErrorCode.invalidBody, "Unknown command.", { key: "interactions.unknownCommand" });

/** May this person use this application command here? (USE_APPLICATION_COMMANDS and the command's default_member_permissions.) */
function allowed(permissions: bigint, c: Command): boolean {
  if (!has(permissions, Permission.USE_APPLICATION_COMMANDS)) return false;
  const needed = c.body.default_member_permissions;
  if (needed === undefined || needed === null) return true;
  return has(permissions, Permission.ADMINISTRATOR) || (BigInt(needed) !== 0n && (permissions & BigInt(needed)) === BigInt(needed));
}

export function interactionPages(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/channels/*", requirePageUser);
  const cid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsed.success) throw unknownChannel();
    return parsed.data;
  };
  const usable = (permissions: bigint, guildId: string | null) => (guildId ? commandsInGuild(core, guildId).filter((cmd) => allowed(permissions, cmd)) : []);

  app.get("/channels/:channel/commands", (c) => {
    const access = requireChannel(core, currentAuth(c).user.id, cid(c));
    const { t } = pageCtx(c, core);
    const builtins = BUILTINS.filter((b) => !b.guildOnly || access.channel.guildId).map((b) => ({ name: b.name, description: t(b.descriptionKey), app: null, options: b.options.map((o) => ({ name: o.name, required: o.required ?? false, type: o.type })) }));
    const apps = usable(access.permissions, access.channel.guildId).map((cmd) => ({
      name: cmd.name,
      description: cmd.description,
      app: findApplication(core, cmd.applicationId)?.app.name ?? null,
      options: cmd.options.map((o) => ({ name: o.name, required: o.required ?? false, type: o.type, choices: o.choices?.map((ch) => ch.name) })),
    }));
    return c.json([...builtins, ...apps]);
  });

  app.post("/channels/:channel/commands", async (c) => {
    const form = await parseForm(c, z.object({ content: z.string().min(1).max(8000) }));
    const user = currentAuth(c).user;
    const access = requireChannel(core, user.id, cid(c), Permission.SEND_MESSAGES);
    const split = splitCommand(form.content);
    if (!split) throw unknownCommandText();
    const builtin = findBuiltin(split.name);
    if (builtin) {
      await runBuiltin(core, builtin, user, access, split.rest);
      return c.body(null, 204);
    }
    // A server's own command of an application comes before its global one of the same name.
    const matches = usable(access.permissions, access.channel.guildId).filter((cmd) => cmd.name === split.name);
    const command = matches.find((cmd) => cmd.guildId) ?? matches[0];
    if (!command) throw unknownCommandText();
    const options = parseOptions(command.options, split.rest);
    const users = options.filter((o) => o.type === 6).map((o) => String(o.value));
    await invoke(core, {
      appId: command.applicationId,
      type: 2,
      invoker: user,
      access,
      data: { id: command.id, name: command.name, type: 1, options, guild_id: command.guildId ?? undefined, resolved: users.length ? { users: Object.fromEntries(users.map((id) => [id, { id }])) } : undefined },
    });
    return c.body(null, 204);
  });

  app.post("/channels/:channel/messages/:message/components", async (c) => {
    const form = await parseForm(c, z.object({ custom_id: z.string().min(1).max(100), values: z.union([z.string().max(100), z.array(z.string().max(100)).max(25)]).optional() }));
    const user = currentAuth(c).user;
    const channelId = cid(c);
    const mid = snowflakeParam.safeParse(c.req.param("message"));
    if (!mid.success) throw unknownMessage();
    const access = requireChannel(core, user.id, channelId, Permission.READ_MESSAGE_HISTORY);
    const message = findMessage(core, channelId, mid.data);
    const stored = componentsFor(core, [message.id]).get(message.id);
    const component = stored && findComponent(stored.components, form.custom_id);
    if (!stored || !component) throw new AppError(400, ErrorCode.invalidBody, "Unknown component.", { fields: { custom_id: "Not on this message." } });
    if (component.disabled) throw new AppError(400, ErrorCode.invalidBody, "This component is disabled.");
    if (stored.applicationId === null) {
      if (!isPollButton(form.custom_id)) throw new AppError(400, ErrorCode.invalidBody, "Unknown component.");
      await votePoll(core, user, channelId, message.id, form.custom_id);
      return c.body(null, 204);
    }
    const values = form.values === undefined ? [] : (Array.isArray(form.values) ? form.values : [form.values]).filter(Boolean);
    if (component.type === 3) {
      const known = new Set(component.options.map((o) => o.value));
      if (values.some((v) => !known.has(v)) || values.length < (component.min_values ?? 1) || values.length > (component.max_values ?? 1)) throw new AppError(400, ErrorCode.invalidBody, "Invalid selection.", { fields: { values: "Not among the options." } });
    }
    await invoke(core, { appId: stored.applicationId, type: 3, invoker: user, access, message, data: component.type === 3 ? { custom_id: form.custom_id, component_type: 3, values } : { custom_id: form.custom_id, component_type: 2 } });
    return c.body(null, 204);
  });
  return app;
}
