// Discord's application command object (chat input, user and message commands) with its limits.
import { z } from "zod";

// Chat input names: lower-case letters (any script), digits, - and _ (Discord's rule).
const chatName = z.string().regex(/^[-_\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u, "1-32 lower-case letters, digits, - or _.");
const localizations = z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), z.string().min(1).max(100)).nullish();
const choice = z.strictObject({ name: z.string().min(1).max(100), name_localizations: localizations, value: z.union([z.string().max(100), z.number()]) });

export const OptionType = { SUB_COMMAND: 1, SUB_COMMAND_GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, CHANNEL: 7, ROLE: 8, MENTIONABLE: 9, NUMBER: 10, ATTACHMENT: 11 } as const;

interface OptionShape {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: OptionShape[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  autocomplete?: boolean;
  channel_types?: number[];
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
}

const option: z.ZodType<OptionShape> = z.lazy(() =>
  z
    .strictObject({
      type: z.number().int().min(1).max(11),
      name: chatName,
      name_localizations: localizations,
      description: z.string().min(1).max(100),
      description_localizations: localizations,
      required: z.boolean().optional(),
      choices: z.array(choice).max(25).optional(),
      options: z.array(option).max(25).optional(),
      channel_types: z.array(z.number().int().min(0).max(16)).max(16).optional(),
      min_value: z.number().optional(),
      max_value: z.number().optional(),
      min_length: z.number().int().min(0).max(6000).optional(),
      max_length: z.number().int().min(1).max(6000).optional(),
      autocomplete: z.boolean().optional(),
    })
    .refine((o) => !o.options || o.type <= 2, "Only sub-commands and groups have options.")
    .refine((o) => !o.choices || [3, 4, 10].includes(o.type), "Only string, integer and number options have choices."),
);

const requiredFirst = (list: OptionShape[] | undefined) => {
  const flags = (list ?? []).map((o) => o.required === true);
  return flags.indexOf(false) === -1 || !flags.slice(flags.indexOf(false)).includes(true);
};

export const commandSchema = z
  .strictObject({
    id: z.string().optional(),
    type: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    name: z.string().min(1).max(32),
    name_localizations: localizations,
    description: z.string().max(100).optional(),
    description_localizations: localizations,
    options: z.array(option).max(25).optional(),
    default_member_permissions: z.union([z.string().regex(/^\d{1,20}$/), z.null()]).optional(),
    dm_permission: z.boolean().nullish(),
    default_permission: z.boolean().nullish(),
    contexts: z.array(z.number().int().min(0).max(2)).max(3).nullish(),
    integration_types: z.array(z.number().int().min(0).max(1)).max(2).nullish(),
    nsfw: z.boolean().optional(),
    handler: z.number().int().optional(),
  })
  .refine((c) => (c.type ?? 1) !== 1 || chatName.safeParse(c.name).success, { message: "1-32 lower-case letters, digits, - or _.", path: ["name"] })
  .refine((c) => (c.type ?? 1) !== 1 || (c.description !== undefined && c.description.length >= 1), { message: "A slash command needs a description (1-100 characters).", path: ["description"] })
  .refine((c) => requiredFirst(c.options), { message: "Required options come before optional ones.", path: ["options"] })
  .refine((c) => new Set((c.options ?? []).map((o) => o.name)).size === (c.options ?? []).length, { message: "Option names must be unique.", path: ["options"] });

export type CommandInput = z.infer<typeof commandSchema>;
export type CommandOption = OptionShape;
/** Discord: at most 100 global and 100 per-server chat input commands per application. */
export const MAX_COMMANDS = 100;
export const commandListSchema = z.array(commandSchema).max(MAX_COMMANDS);
